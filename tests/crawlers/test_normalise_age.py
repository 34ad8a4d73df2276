"""Age requirements: ranges, one-sided bounds, Chinese numerals, refusals, and no salary false positives."""

from __future__ import annotations

import pytest

from crawlers.normalise.age import AgeRange, find_age_requirement, parse_age


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("16-35周岁", 16, 35),
        ("18岁以上", 18, None),
        ("年满16周岁", 16, None),
        ("14岁即可", 14, None),
        ("16至45岁", 16, 45),
        ("18到35岁", 18, 35),
        ("18岁-35岁", 18, 35),
        ("年龄22－52周岁", 22, 52),
        ("45岁以下", None, 45),
        ("不超过40岁", None, 40),
        ("年龄不限", None, None),
        ("不限", None, None),
        ("十六岁", 16, 16),
        ("十四周岁以上", 14, None),
        ("年满十八周岁，五十岁以下", 18, 50),
        ("16-18岁的学生也可", 16, 18),
        ("年龄：18-35", 18, 35),
        ("16岁一45岁", 16, 45),  # 一 used as a dash
        ("年龄18周岁以上，45周岁以下", 18, 45),
        ("不招收未满16周岁的人员", 16, None),  # a refusal is a lower bound
        ("严禁招用16周岁以下人员", 16, None),
        ("未满16周岁的也可以", None, 15),
        ("满18岁", 18, None),
    ],
)
def test_parse_age(text: str, low: int | None, high: int | None) -> None:
    assert parse_age(text) == AgeRange(low, high)


@pytest.mark.parametrize(
    "text",
    [
        "月薪3000-5000元",
        "4-6千",
        "工作8-10小时",
        "2-3年经验",
        "招聘20-30人",
        "2023-05-12",
        "",
        None,
        "宝宝3岁",
    ],
)
def test_numbers_outside_age_contexts_are_ignored(text: str | None) -> None:
    assert find_age_requirement(text) is None
    assert parse_age(text) == AgeRange(None, None)


def test_find_age_requirement_in_an_ad_body_takes_the_widest_range() -> None:
    body = (
        "诚聘普工50名，月薪4500-6000元，包吃住。招聘要求：1、男女不限，年龄18-35周岁；"
        "2、16-18岁的学生也可，暑假工优先。联系电话13812345678"
    )
    assert find_age_requirement(body) == AgeRange(16, 35)


def test_find_age_requirement_distinguishes_open_from_silent() -> None:
    assert find_age_requirement("招聘要求：年龄不限，男女不限") == AgeRange(None, None)
    assert find_age_requirement("招聘要求：男女不限，身体健康") is None
