"""Ages as spans on folded text: forms, roles (applicant, refused, client), the requirement and under-16 hires."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from zhtext import ages
from zhtext.ages import AgeMention, AgeRange, age_mentions, age_requirement, under_16_hires
from zhtext.fold import fold, fold_mapped

YEAR = 2025  # birth years and cohorts are read against a fixed year in tests


def _mentions(text: str) -> list[tuple[str, int | None, int | None, str]]:
    return [(m.span.text, m.low, m.high, m.role) for m in age_mentions(fold(text), year=YEAR)]


@pytest.mark.parametrize(
    ("text", "quoted", "low", "high"),
    [
        ("十五岁", "十五岁", 15, 15),
        ("要求15周岁", "15周岁", 15, 15),
        ("16岁以下", "16岁以下", None, 16),
        ("13-15岁", "13-15岁", 13, 15),
        ("13~15岁", "13~15岁", 13, 15),
        ("13～15岁", "13~15岁", 13, 15),  # full-width tilde folds to ~
        ("13至15岁", "13至15岁", 13, 15),
        ("16岁一45岁", "16岁一45岁", 16, 45),  # 一 used as a dash
        ("21岁——24岁", "21岁——24岁", 21, 24),
        ("年满14岁", "年满14岁", 14, None),
        ("年满十四周岁", "年满十四周岁", 14, None),
        ("未满十六周岁的也可", "未满十六周岁", None, 15),
        ("不满16也行", "不满16", None, 15),
        ("16岁不到也没关系", "16岁不到", None, 15),  # the number first, "not yet" after
        ("十六周岁未满的也收", "十六周岁未满", None, 15),
        ("二十岁还不到", "二十岁还不到", None, 19),
        ("14、15岁的都可以", "14、15岁", 14, 15),
        ("十四五岁的学生也收", "十四五岁", 14, 15),
        ("十几岁也可以", "十几岁", 11, 19),
        ("16周岁(含)以上", "16周岁(含)以上", 16, None),
        ("16周岁（含）以上", "16周岁(含)以上", 16, None),  # full-width brackets fold
        ("18岁起", "18岁起", 18, None),
        ("15岁即可", "15岁即可", 15, None),
        ("30岁以内", "30岁以内", None, 30),
        ("年龄:14-18", "年龄:14-18", 14, 18),
        ("年龄：16以上", "年龄:16以上", 16, None),
        ("年龄要求35以下", "年龄要求35以下", None, 35),
        ("1.40岁以下", "40岁以下", None, 40),  # "1." numbers the item
        ("2010年出生", "2010年出生", 14, 15),
        ("10后也可以", "10后", 6, 15),
        ("05后", "05后", 16, 20),
    ],
)
def test_age_forms(text: str, quoted: str, low: int | None, high: int | None) -> None:
    assert _mentions(text) == [(quoted, low, high, "applicant")]


@pytest.mark.parametrize(
    ("text", "quoted", "role"),
    [
        ("未满16周岁勿扰", "未满16周岁", "refused"),
        ("14岁以下不招", "14岁以下", "refused"),
        ("不招收未满16周岁的人员", "未满16周岁", "refused"),
        ("严禁招用16周岁以下人员", "16周岁以下", "refused"),
        ("严禁使用童工", "童工", "refused"),
        ("不招童工", "童工", "refused"),
        ("谢绝未成年", "未成年", "refused"),
        ("未成年人勿扰", "未成年人", "refused"),
        ("本厂无童工", "童工", "other"),
        ("辅导6-12岁学生", "6-12岁", "client"),
        ("托管班招收孩子(6-12岁)", "6-12岁", "client"),
        ("照顾3岁宝宝", "3岁", "client"),
        ("招收6-12岁学员", "6-12岁", "client"),
        ("课程顾问(青少儿6~18岁)", "6~18岁", "client"),
        ("负责7-14岁儿童的英语教学", "7-14岁", "client"),
        ("辅导初中生功课", "初中生", "client"),
        ("初中生也可", "初中生", "applicant"),
        ("初二学生暑假工", "初二学生", "applicant"),
        ("在读初中", "在读初中", "applicant"),
        ("小学毕业即可", "小学毕业", "applicant"),
        ("招生顾问18-35岁", "18-35岁", "applicant"),  # a job title, not the pupils
        ("教师25-40岁", "25-40岁", "applicant"),
        # an animal's age, and the children a nanny looks after counted out one by one
        ("宠物店招助理,店里的金毛12岁了", "12岁", "client"),
        ("上门喂一只15岁的老猫", "15岁", "client"),
        ("泰迪今年9岁", "9岁", "client"),
        ("招宠物美容学徒14岁以上", "14岁以上", "applicant"),
        ("看护两个孩子,老大13岁", "13岁", "client"),
        ("招保姆带小孩,14岁以上就行", "14岁以上", "applicant"),  # the nanny's own age
    ],
)
def test_roles(text: str, quoted: str, role: str) -> None:
    assert [(m[0], m[3]) for m in _mentions(text)] == [(quoted, role)]


@pytest.mark.parametrize(
    "text",
    [
        "月薪3000-5000元",
        "4-6千",
        "工作8小时",
        "工作8-10小时",
        "2-3年经验",
        "招聘20-30人",
        "2023-05-12",
        "00后",  # adults
        "90后优先",
        "正月初二上班",
        "未成年工特殊保护",  # 未成年工 are 16-17 by law
        "有小孩的宝妈",
        "不满3个月按天算",
        "十四五规划",
        "",
    ],
)
def test_not_ages(text: str) -> None:
    assert age_mentions(fold(text), year=YEAR) == []


@pytest.mark.parametrize(
    "text",
    [
        "十五岁",
        "１５歲",
        "年龄14-18岁",
        "年满15周岁即可",
        "年龄十四岁",
        "年龄:14-18",
        "十四五岁的学生也收",
        "14、15岁的小孩也可以",
        "16岁以下",
        "未满16周岁的也可以",
        "初中生也可",
        "小学毕业即可",
        "小孩也可以",
        "10后",
        "暑假工，13-15岁",
        "孩子十五岁，家长同意就能来",
        "十三四岁的也要，跟着大人干轻活",
        "招14岁以上学生工/暑假工",
        "暑假工，09年10年的都可以",
        "招聘08-10年的学生也要",
        "十五六的男孩，包吃住学手艺",
        "孩子放假在家没事干的，可以送来厂里打暑假工",
        "年龄不够的也收",
        "不到十六的也要，活不累",
    ],
)
def test_under_16_hires(text: str) -> None:
    assert under_16_hires(fold(text), year=YEAR)
    assert under_16_hires(fold(text).lower(), year=YEAR)  # lower-cased folded text works too


@pytest.mark.parametrize(
    "text",
    [
        "严禁使用童工",
        "不招童工",
        "未满16周岁勿扰",
        "14岁以下不招",
        "谢绝未成年",
        "课程顾问(青少儿6~18岁)",
        "辅导6-12岁学生",
        "照顾3岁宝宝",
        "招收6-12岁学员",
        "年龄45岁以下",
        "年龄18-45岁",
        "16周岁(含)以上",
        "00后",
        "本厂无童工",
        "月薪3000-5000",
        "有10年的也可以，经验丰富优先",
        "05年的也可以，成年就行",
        "宝妈可以把孩子带到店里，边上班边照顾",
        "辅导十二三的孩子写作业",
        "不到16个人的小组，年龄18岁以上",
    ],
)
def test_no_under_16_hire(text: str) -> None:
    assert under_16_hires(fold(text), year=YEAR) == []


def test_under_16_spans_point_at_the_phrase() -> None:
    folded = fold("招聘普工，月薪4500，年龄14-18岁，严禁使用童工")
    spans = under_16_hires(folded)
    assert [(s.text, folded[s.start : s.end]) for s in spans] == [("年龄14-18岁", "年龄14-18岁")]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("招工：十五歲也可", "十五歲也可"),
        ("招工：１５歲", "１５歲"),
        ("年齡：１４－１８歲", "年齡：１４－１８歲"),
        ("初中生　也可", "初中生"),
    ],
)
def test_spans_map_back_to_the_text_as_written(text: str, quoted: str) -> None:
    folded = fold_mapped(text)
    spans = under_16_hires(folded.text)
    assert [folded.span(s.start, s.end).text for s in spans] == [quoted]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("16周岁(含)以上", 16, None),  # the crawler once stored 16-16
        ("18-35岁，16-18岁的学生也可", 16, 35),
        ("年龄18周岁以上，45周岁以下", 18, 45),
        ("不招收未满16周岁的人员", 16, None),  # a refusal is a lower bound
        ("严禁招用16周岁以下人员", 16, None),
        ("14岁以下不招", 14, None),
        ("未满16周岁的也可以", None, 15),
        ("年龄18--35周岁，30岁以上须有销售经验", 18, 35),
        ("辅导6-12岁学生，要求22-35岁", 22, 35),  # the pupils' ages are not the requirement
        ("年龄不限", None, None),
    ],
)
def test_age_requirement(text: str, low: int | None, high: int | None) -> None:
    assert age_requirement(text) == AgeRange(low, high)


@pytest.mark.parametrize("text", ["宝宝3岁", "初中生也可", "2010年出生", "男女不限，身体健康", None])
def test_age_requirement_silent(text: str | None) -> None:
    assert age_requirement(text) is None


def test_mentions_are_in_reading_order() -> None:
    mentions = age_mentions(fold("严禁使用童工，年龄16-45岁，未满16周岁勿扰"))
    assert [m.span.text for m in mentions] == ["童工", "年龄16-45岁", "未满16周岁"]
    assert all(isinstance(m, AgeMention) for m in mentions)


def test_the_demo_ads_under_16_wording_is_read() -> None:
    from synthetic_ads.phrases.job import SUMMER_ORDINARY, UNDER_16_AGES, UNDER_16_LINES

    # "初中毕业即可，年龄小的…" names no age and no pupil: 初中毕业 alone is also a 16-year-old's schooling.
    unread = [line for line in UNDER_16_LINES if not under_16_hires(fold(line))]
    assert unread == ["初中毕业即可，年龄小的带户口本过来"]
    assert all(under_16_hires(fold(text)) for text, _, _ in UNDER_16_AGES)
    assert not any(under_16_hires(fold(line)) for line in SUMMER_ORDINARY)


def test_birth_year_patterns_are_read_only_where_their_words_are_and_always_there() -> None:
    """_birth_mentions tries the cohort pattern only where 后 stands and the born-in pattern only where
    年的 or 年生的 does: every match of each holds those words, on strings built from their parts."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from zhtext.ages import _BORN_IN, _COHORT

    parts = [
        "20",
        "09",
        "10",
        "05",
        "18",
        "年",
        "生",
        "的",
        "后",
        "都",
        "也",
        "可以",
        "行",
        "、",
        "-",
        "到",
        " ",
        "有",
        "招",
    ]

    @settings(max_examples=2000, deadline=None)
    @given(st.lists(st.sampled_from(parts), max_size=12).map("".join))
    def check(text: str) -> None:
        for match in _COHORT.finditer(text):
            assert "后" in match.group()
        for match in _BORN_IN.finditer(text):
            assert "年的" in match.group() or "年生的" in match.group(), match.group()

    check()
    assert [m.group() for m in _BORN_IN.finditer("09年10年的都可以")] == ["10年的"]
    assert age_mentions("09年10年的都可以,招10后")[-1].form == "birth"


@pytest.mark.parametrize(
    ("text", "quoted", "high"),
    [
        # "16岁也可" alone is 16 and over; after 未满/不满/没满/不到 it is the under-16s who are welcome
        ("招聘普工，未满16岁也可", "未满16岁", 15),
        ("未满16周岁也可以来上班", "未满16周岁", 15),
        ("不满十六岁也行", "不满十六岁", 15),
        ("没满16岁也要", "没满16岁", 15),
        ("不到16岁也收", "不到16岁", 15),
        ("未满 16岁也可", "未满 16岁", 15),
    ],
)
def test_under_an_age_and_welcome_is_under_that_age(text: str, quoted: str, high: int) -> None:
    mentions = [m for m in _mentions(text) if m[0] == quoted]
    assert mentions and all(m[2] == high and m[3] == "applicant" for m in mentions)
    assert [s.text for s in under_16_hires(fold(text), year=YEAR)] == [
        quoted
    ]  # one span, not one per reading
    assert age_requirement(text) == AgeRange(None, high)


@pytest.mark.parametrize(
    ("text", "requirement"),
    [
        ("16岁也可", AgeRange(16, None)),
        ("年满16岁也可", AgeRange(16, None)),
        ("年龄不到45岁", AgeRange(None, 44)),
        ("不到16岁勿扰", AgeRange(16, None)),
    ],
)
def test_welcome_ages_that_are_not_under_16(text: str, requirement: AgeRange) -> None:
    assert under_16_hires(fold(text), year=YEAR) == []
    assert age_requirement(text) == requirement


@pytest.mark.parametrize(
    "text",
    [
        "每天工作不到16小时",
        "招普工,18-45岁,宿舍到工厂不到15分钟",
        "离地铁不到10公里,年龄18岁以上",
        "招18岁以上,不到十五分钟就到厂",
        "年满18岁,没满10单不算提成",
    ],
)
def test_times_distances_and_counts_are_not_ages(text: str) -> None:
    assert under_16_hires(fold(text), year=YEAR) == []


# Pieces of age phrases, numbers near and across the 8-17 line, numerals that digitise into it, and what
# moves a number in or out of a window (text in between, line breaks).
_AGE_PIECES = (
    *"0123456789一二两三四五六七八九十几岁周满未不没到以下上内含-~至、,。!? \n",
    *("年龄", "要求", "招", "普工", "也可", "勿扰", "不招", "初中生", "出生", "后", "的", "都可以"),
    *("十六", "十七", "十四五", "七八", "1七", "8.5", "1.40", "工资3000-5000", "上班8小时", "包吃住"),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_AGE_PIECES), max_size=30).map("".join))
@example("年龄:14-60岁")
@example("未满十七岁也可")
@example("1七岁也收")
@example("要求十四五岁,包吃住")
def test_the_minor_number_shortcut_finds_what_every_mention_finds(text: str) -> None:
    """under_16_hires skips the number patterns where no window holds a number from 8 to 17; read with
    every number (no shortcut: every age a pattern reads is 0 to 99), it finds exactly the same spans."""
    folded = fold(text)
    found = under_16_hires(folded, year=YEAR)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ages, "_MINOR_NUMBERS", range(100))
        assert under_16_hires(folded, year=YEAR) == found
