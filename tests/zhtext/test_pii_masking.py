"""PII detection and masking: phones, ID numbers and marked chat IDs masked; ordinary numbers left alone."""

from __future__ import annotations

import pytest

from zhtext.pii import find_pii, is_valid_id_number, mask_id_number, mask_phone, mask_text

VALID_ID = "320102199001011232"  # check digit computed with stdnum.cn.ric
VALID_ID_X = "11010519491231002X"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话13812345678", "电话138****5678"),
        ("电话：138-1234-5678。", "电话：138-****-5678。"),
        ("138 1234 5678", "138 **** 5678"),
        ("+86 13912345678", "+86 139****5678"),
        ("座机025-84001234", "座机025-****1234"),
        ("(025)8400 1234转12", "(025)**** 1234转12"),
        ("苏州 0512-65231234", "苏州 0512-****1234"),
        ("北京010-62751234", "北京010-****1234"),
        (f"身份证号{VALID_ID}", "身份证号3201**********1232"),
        (f"身份证 {VALID_ID_X}，", "身份证 1101**********002X，"),
        ("护照号：E12345678", "护照号：E******78"),
        ("邮箱zhang.san@example.com", "邮箱z********@example.com"),
        ("加微信：abc_12345", "加微信：a******45"),
        ("QQ：123456789", "QQ：1******89"),
    ],
)
def test_mask_text_masks_personal_data(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "月薪3000-5000元",
        "薪资8k-12k，13薪",
        "发布日期2023-05-12 09:30",
        "20230512",
        "统一社会信用代码91320594MA1MXXXX0Q",
        "320102199013011232",  # month 13
        "订单号 213812345678901",  # longer digit run containing a mobile-like part
        "许可证编号：320102201801",
        "招聘100人，年龄16-35岁",
        "",
    ],
)
def test_ordinary_numbers_are_not_pii(text: str) -> None:
    assert find_pii(text) == []
    assert mask_text(text) == text


def test_find_pii_reports_kind_span_and_value_in_order() -> None:
    text = f"张先生13812345678，身份证{VALID_ID}"
    found = find_pii(text)
    assert [m.kind for m in found] == ["mobile", "id_number"]
    assert [text[m.start : m.end] for m in found] == [m.value for m in found]
    assert found[1].value == VALID_ID


def test_id_number_is_not_also_reported_as_phone() -> None:
    # The tail of an ID number must not be taken for a separate phone number.
    found = find_pii(f"{VALID_ID}")
    assert [m.kind for m in found] == ["id_number"]


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        (VALID_ID, True),
        (VALID_ID_X, True),
        (VALID_ID_X.lower(), True),
        ("320102199001011233", False),
        ("123", False),
    ],
)
def test_is_valid_id_number(number: str, valid: bool) -> None:
    assert is_valid_id_number(number) is valid


def test_mask_helpers() -> None:
    assert mask_phone("138-1234-5678") == "138****5678"
    assert mask_phone("8613812345678") == "138****5678"
    assert mask_phone("02584001234") == "025-****1234"
    assert mask_id_number(VALID_ID) == "3201**********1232"
    assert mask_id_number("320 102 199 001 011 232") == "3201**********1232"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("联系一三八 一二三四 五六七八找王", "联系一三八 **** 五六七八找王"),
        ("电话：壹叁捌-壹贰叁肆-伍陆柒捌", "电话：壹叁捌-****-伍陆柒捌"),
        ("①③⑧①②③④⑤⑥⑦⑧", "①③⑧****⑤⑥⑦⑧"),
        ("1 3 8 . 1 2 3 4 . 5 6 7 8", "1 3 8 . * * * * . 5 6 7 8"),
        ("１３８１２３４５６７８", "１３８****５６７８"),
        ("加我幺三八/幺二三四/五六七八", "加我幺三八/****/五六七八"),
    ],
)
def test_obfuscated_mobiles_are_masked_as_written(text: str, masked: str) -> None:
    assert mask_text(text) == masked


def test_an_id_number_with_a_wrong_check_digit_is_masked() -> None:
    # Issue 13: a wrong check digit (a typo, or on purpose) still names a person.
    assert mask_text("320102199001011237") == "3201**********1237"


@pytest.mark.parametrize(
    "text",
    [
        "一二三四五六七八九十",
        "招聘一二三四五六七八九零一名员工",
        "月薪三千至五千元，工作一二年",
        "2023-11-28 10:30:45",
    ],
)
def test_numerals_that_are_not_mobiles_stay(text: str) -> None:
    assert mask_text(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("受害人身份证号：320102900101123，已核实", "受害人身份证号：3201*******1123，已核实"),
        ("证件号码 110105751231002 暂扣", "证件号码 1101*******1002 暂扣"),
    ],
)
def test_legacy_15_digit_ids_after_a_marker_are_masked(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "营业执照注册号：320102000123456",  # an old company registration number, not a person
        "身份证号：320102901301123",  # month 13: not a date
        "订单号 320102900101123",
    ],
)
def test_fifteen_digit_numbers_that_are_not_legacy_ids_stay(text: str) -> None:
    assert mask_text(text) == text


def test_mobile_numbers_plain_and_disguised_but_not_landlines() -> None:
    from zhtext.contacts import mobile_numbers

    text = "王经理 138-1234-5678，或 幺三九 一二三四 五六七八，座机 0512-66668888"
    assert mobile_numbers(text) == ["13812345678", "13912345678"]
    assert mobile_numbers("座机 0512-66668888") == [] and mobile_numbers(None) == []
