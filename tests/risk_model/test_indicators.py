"""Indicators fire on the unlawful wording and stay quiet on negations and lawful ads."""

from __future__ import annotations

import pytest

from risk_model.features import ad_text, fold_record
from risk_model.indicators import indicator_values, indicators


def values(body: str, company: str = "") -> dict[str, float]:
    record = fold_record({"body": body, "company_name": company})
    return dict(
        zip(
            [i.name for i in indicators()],
            indicator_values(ad_text(record), record["company_name"]),
            strict=True,
        )
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("charges_fee", "入职需交押金500元"),
        ("charges_fee", "上岗前交服装费"),
        ("training_loan", "招转培，先培训后上岗"),
        ("id_card_kept", "身份证统一保管"),
        ("minimum_age_under_16", "年龄14-18岁"),
        ("minimum_age_under_16", "年满15周岁即可"),
        ("pay_far_above_norm", "普工，经验不限，月薪20000元"),
        ("contact_off_platform", "有意者加微信详谈"),
        ("contact_off_platform", "电话13812345678"),
        ("claims_agency", "本公司为正规劳务派遣"),
        ("cross_border_bride", "越南新娘快速成婚"),
        ("bride_under_20", "18岁姑娘温柔贤惠"),
        ("guaranteed_success", "包成功包娶"),
        ("virgin", "保证处女"),
        ("large_fee", "服务费6万全包"),
    ],
)
def test_indicator_fires(name: str, text: str) -> None:
    assert values(text)[name] == 1.0


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("charges_fee", "免体检费，不收任何押金"),
        ("charges_fee", "培训费公司承担"),
        ("minimum_age_under_16", "年龄18-45岁"),
        ("pay_far_above_norm", "会计，本科，月薪20000元"),
        ("bride_under_20", "25岁姑娘"),
        ("large_fee", "服务费500元"),
    ],
)
def test_indicator_quiet(name: str, text: str) -> None:
    assert values(text)[name] == 0.0


def test_full_width_and_traditional_text_is_folded_first() -> None:
    assert values("越南新娘，服務費６萬")["large_fee"] == 1.0


def test_agency_without_licence_only_when_no_licence_is_shown() -> None:
    assert values("职业中介，代招普工")["agency_without_licence"] == 1.0
    assert values("职业中介，人力资源服务许可证编号123")["agency_without_licence"] == 0.0


def test_every_unlawful_indicator_cites_a_law() -> None:
    assert all(i.legal_basis for i in indicators())
    assert "劳动合同法第九条" in next(i for i in indicators() if i.name == "id_card_kept").legal_basis
    assert "禁止使用童工规定" in next(i for i in indicators() if i.name == "minimum_age_under_16").legal_basis


@pytest.mark.parametrize("text", ["  ABC\t 12 ", "８０００元／月", "機構 中介", "a\x1fb", ""])
def test_fold_value_matches_store_fold_text(text: str) -> None:
    from risk_model.features import fold_value
    from store.text import fold_text

    assert fold_value(text) == fold_text(text).lower()
