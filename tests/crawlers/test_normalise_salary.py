"""Salary strings to monthly CNY ranges, including per-day/hour/year pay and garbage."""

from __future__ import annotations

import pytest

from crawlers.normalise.salary import Salary, parse_salary
from zhtext.numerals import cn_to_int, replace_cn_numbers


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("3000-5000元/月", 3000, 5000),
        ("3000~5000", 3000, 5000),
        ("３０００－５０００元", 3000, 5000),  # full-width
        ("3,000-5,000", 3000, 5000),
        ("4-6千", 4000, 6000),
        ("4千-6千", 4000, 6000),
        ("4.5-6千/月", 4500, 6000),
        ("1.5万-2万", 15000, 20000),
        ("1-1.5万", 10000, 15000),
        ("6千-1.2万", 6000, 12000),
        ("8000-1.2万", 8000, 12000),
        ("9-1.2万", 9000, 12000),
        ("0.8-1.2万/月", 8000, 12000),
        ("8k-12k", 8000, 12000),
        ("15k-25k", 15000, 25000),
        ("12-18K·13薪", 12000, 18000),
        ("200元/天", 4350, 4350),  # 200 × 21.75
        ("50元/天", 1088, 1088),  # 1087.5, rounded half to even
        ("日结150", 3262, 3262),
        ("25元/小时", 4350, 4350),  # 25 × 8 × 21.75
        ("时薪20元", 3480, 3480),
        ("年薪10-15万", 8333, 12500),
        ("20-30万/年", 16667, 25000),
        ("月薪5000以上", 5000, None),
        ("5000元起", 5000, None),
        ("底薪3000+提成", 3000, None),
        ("4000以下", None, 4000),
        ("最高2万", None, 20000),
        ("5000", 5000, 5000),
        ("3000元左右", 3000, 3000),
        ("三千到五千", 3000, 5000),
        ("两万以上", 20000, None),
        ("8000-5000", 5000, 8000),  # reversed range
    ],
)
def test_parse_salary_ranges(text: str, low: int | None, high: int | None) -> None:
    salary = parse_salary(text)
    assert (salary.min_monthly, salary.max_monthly) == (low, high)
    assert salary.negotiable is False


@pytest.mark.parametrize("text", ["面议", "薪资面议", "工资面谈"])
def test_negotiable_without_figures(text: str) -> None:
    assert parse_salary(text) == Salary(None, None, negotiable=True)


def test_negotiable_with_figures_keeps_both() -> None:
    assert parse_salary("面议（5000-8000）") == Salary(5000, 8000, negotiable=True)


@pytest.mark.parametrize(("text", "months"), [("12-18K·13薪", 13), ("8千-1.5万·15薪", 15), ("6-8千", None)])
def test_months_paid_is_noted_not_applied(text: str, months: int | None) -> None:
    assert parse_salary(text).months_paid == months


@pytest.mark.parametrize(
    "text", ["", None, "garbage", "0-0", "2023-05-12", "五险一金", "9�-1.5万", "若干", "100000000", "1-2"]
)
def test_garbage_gives_nothing(text: str | None) -> None:
    salary = parse_salary(text)
    assert (salary.min_monthly, salary.max_monthly, salary.negotiable) == (None, None, False)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十六", 16),
        ("二十五", 25),
        ("三千五", 3500),
        ("一百零五", 105),
        ("两千", 2000),
        ("十", 10),
        ("四五", None),
    ],
)
def test_cn_to_int(text: str, value: int | None) -> None:
    assert cn_to_int(text) == value


def test_replace_cn_numbers_leaves_units_after_digits() -> None:
    assert replace_cn_numbers("4千-6千，年满十六周岁") == "4千-6千，年满16周岁"


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("工作5天，月薪6000", 6000, 6000),
        ("2023-05-12发布，月薪4000-6000", 4000, 6000),
        ("做六休一，3500元/月+提成", 3500, None),
    ],
)
def test_implausible_figures_are_skipped_for_the_salary(text: str, low: int | None, high: int | None) -> None:
    salary = parse_salary(text)
    assert (salary.min_monthly, salary.max_monthly) == (low, high)
