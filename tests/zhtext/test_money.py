"""Money: amounts with their period as spans, salary fields as monthly ranges, and the model's pay floors."""

from __future__ import annotations

import pytest

from zhtext.fold import fold, fold_mapped
from zhtext.money import Salary, amounts, monthly_pay_floors, parse_salary, pays_at_least


def _amounts(text: str) -> list[tuple[str, float, str | None]]:
    return [(a.span.text, a.value_yuan, a.per) for a in amounts(fold(text).lower())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("800元", [("800元", 800, None)]),
        ("1500块", [("1500块", 1500, None)]),
        ("月薪一千五", [("一千五", 1500, "month")]),
        ("一共八万", [("八万", 80000, None)]),
        ("两万以上", [("两万", 20000, None)]),
        ("2k", [("2k", 2000, None)]),
        ("2K", [("2k", 2000, None)]),
        ("8w", [("8w", 80000, None)]),
        ("1.5万", [("1.5万", 15000, None)]),
        ("２０００元", [("2000元", 2000, None)]),
        ("200元/天", [("200元", 200, "day")]),
        ("日结300", [("300", 300, "day")]),
        ("时薪25元", [("25元", 25, "hour")]),
        ("25元每小时", [("25元", 25, "hour")]),
        ("计件0.5元/件", [("0.5元", 0.5, "piece")]),
        ("年薪10-15万", [("10", 100000, "year"), ("15万", 150000, "year")]),
        ("3000-5000元/月", [("3000", 3000, "month"), ("5000元", 5000, "month")]),
        ("4-6千", [("4", 4000, None), ("6千", 6000, None)]),
        ("8000-1.2万", [("8000", 8000, None), ("1.2万", 12000, None)]),
    ],
)
def test_amounts(text: str, expected: list[tuple[str, float, str | None]]) -> None:
    assert _amounts(text) == expected


@pytest.mark.parametrize("text", ["工作8小时", "电话13812345678", "招聘20-30人", "2023-05-12", "16-35岁", ""])
def test_numbers_that_are_not_money(text: str) -> None:
    assert _amounts(text) == []


def test_amount_spans_map_back_to_the_text_as_written() -> None:
    folded = fold_mapped("待遇：月薪３０００－５０００元，日結貳佰", lower=True)
    found = amounts(folded.text)
    assert [folded.span(a.span.start, a.span.end).text for a in found] == ["３０００", "５０００元", "貳佰"]
    assert (found[2].value_yuan, found[2].per) == (200, "day")


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("3000-5000元/月", 3000, 5000),
        ("３０００－５０００元", 3000, 5000),
        ("4-6千", 4000, 6000),
        ("1-1.5万", 10000, 15000),
        ("9-1.2万", 9000, 12000),
        ("12-18K·13薪", 12000, 18000),
        ("200元/天", 4350, 4350),
        ("25元/小时", 4350, 4350),
        ("年薪10-15万", 8333, 12500),
        ("月薪5000以上", 5000, None),
        ("最高2万", None, 20000),
        ("三千到五千", 3000, 5000),
        ("一千五", 1500, 1500),
        ("两万以上", 20000, None),
        ("工作5天，月薪6000", 6000, 6000),
    ],
)
def test_parse_salary(text: str, low: int | None, high: int | None) -> None:
    salary = parse_salary(text)
    assert (salary.min_monthly, salary.max_monthly) == (low, high)


def test_parse_salary_negotiable_and_months_paid() -> None:
    assert parse_salary("面议（5000-8000）") == Salary(5000, 8000, negotiable=True)
    assert parse_salary("8千-1.5万·15薪").months_paid == 15
    assert parse_salary(None) == Salary()


@pytest.mark.parametrize(
    ("text", "floors"),
    [
        ("月薪过万,不看经验", [10_000.0]),
        ("待遇:13500-27000元/月,无需经验", [13_500.0, 13_500.0]),
        ("普工,薪资:日结500-800", [500 * 21.75]),
        ("经验不限,综合收入:月入1-3万", [10_000.0]),
        ("时薪30", [30 * 174.0]),
        ("年收入10万", [100_000 / 12]),
        ("月薪20000元", [20_000.0]),
        ("工资3个月一结", []),  # a figure this small after a pay word is not a wage
        ("一天8小时", []),
    ],
)
def test_monthly_pay_floors(text: str, floors: list[float]) -> None:
    assert monthly_pay_floors(fold(text).lower()) == pytest.approx(floors)


@pytest.mark.parametrize(
    "text",
    ["月薪过万，日结500", "普工 4500-6000元/月", "工资3个月一结", "年薪12万", "时薪60元", "日结300元", ""],
)
@pytest.mark.parametrize("monthly", [1_000.0, 6_000.0, 10_000.0, 13_000.0])
def test_pays_at_least_reads_the_floors(text: str, monthly: float) -> None:
    """pays_at_least stops at the first figure high enough: the same answer as every floor read."""
    folded = fold(text).lower()
    assert pays_at_least(folded, monthly) == any(f >= monthly for f in monthly_pay_floors(folded))
