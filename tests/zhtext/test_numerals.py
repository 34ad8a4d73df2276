"""Chinese numerals: counted numbers, digit strings, ranges, and digitised text that keeps its offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhtext.fold import fold
from zhtext.numerals import cn_to_int, cn_to_range, digit_string, digitise, replace_cn_numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十六", 16),
        ("二十五", 25),
        ("三千五", 3500),
        ("一千五", 1500),
        ("一百零五", 105),
        ("两千", 2000),
        ("两万", 20000),
        ("一万五", 15000),
        ("三万五千", 35000),
        ("八万", 80000),
        ("十", 10),
        ("拾陆", 16),
        ("四五", None),  # two digits in a row: a digit string
        ("万一", None),
        ("一三八", None),
        ("", None),
    ],
)
def test_cn_to_int(text: str, value: int | None) -> None:
    assert cn_to_int(text) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("十四五", (14, 15)),
        ("二十三四", (23, 24)),
        ("十几", (11, 19)),
        ("二十几", (21, 29)),
        ("三四十", (30, 40)),
        ("十六", (16, 16)),
        ("十四六", None),  # not two neighbours: no range
        ("七八", (7, 8)),
        ("七九", None),
        ("甲", None),
    ],
)
def test_cn_to_range(text: str, expected: tuple[int, int] | None) -> None:
    assert cn_to_range(text) == expected


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("一三八", "138"),
        ("幺三八", "138"),
        ("壹叁捌", "138"),
        ("洞拐勾", "079"),
        ("1三8", "138"),
        ("一二a", None),
    ],
)
def test_digit_string(text: str, digits: str | None) -> None:
    assert digit_string(text) == digits


def test_full_width_digits_are_ascii_after_folding() -> None:
    assert fold("１５歲") == "15岁"


def test_replace_cn_numbers_leaves_units_after_digits() -> None:
    assert replace_cn_numbers("4千-6千，年满十六周岁") == "4千-6千，年满16周岁"
    assert replace_cn_numbers("月薪两万以上") == "月薪20000以上"


@pytest.mark.parametrize(
    ("text", "digitised"),
    [
        ("十四五岁的学生", "14-15岁的学生"),
        ("十几岁", "11-19岁"),
        ("16岁一45岁", "16岁-45岁"),  # 一 used as a dash
        ("十六岁一四十五岁", "16岁-45岁"),
        ("十四五规划", "十四五规划"),  # a range only before 岁
    ],
)
def test_digitise_for_ages(text: str, digitised: str) -> None:
    assert digitise(text, ages=True).text == digitised


def test_digitise_maps_every_character_back() -> None:
    text = "年满十六周岁，月薪三千五"
    digits = digitise(text)
    assert digits.text == "年满16周岁，月薪3500"
    start = digits.text.index("16")
    assert text[slice(*digits.source(start, start + 2))] == "十六"
    assert text[slice(*digits.source(start, start + 1))] == "十六"  # part of a numeral quotes all of it
    start = digits.text.index("3500")
    assert text[slice(*digits.source(start - 2, start + 4))] == "月薪三千五"


def test_digitise_without_numerals_is_the_identity() -> None:
    digits = digitise("16-35岁")
    assert digits.text == "16-35岁"
    assert digits.source(0, 2) == (0, 2)


def _reference_spans(text: str, ages: bool) -> tuple[str, list[tuple[int, int]]]:
    """Digitised text and each of its characters' original span, the slow way: one entry per character."""
    from zhtext.numerals import _AGE_PIECES, _NUMBER_ONLY, _replacement

    out, spans, done = [], [], 0
    for match in (_AGE_PIECES if ages else _NUMBER_ONLY).finditer(text):
        new = _replacement(match)
        if new is None:
            continue
        out.append(text[done : match.start()])
        spans += [(i, i + 1) for i in range(done, match.start())]
        out.append(new)
        spans += [match.span()] * len(new)
        done = match.end()
    out.append(text[done:])
    spans += [(i, i + 1) for i in range(done, len(text))]
    return "".join(out), spans


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("一二两三十百千万几五六岁周 -~0123456789年满招工")), max_size=30),
    st.booleans(),
)
def test_every_digitised_character_maps_to_the_characters_it_was_read_from(text: str, ages: bool) -> None:
    digits = digitise(text, ages=ages)
    expected_text, spans = _reference_spans(text, ages)
    assert digits.text == expected_text
    for index, span in enumerate(spans):
        assert digits.source(index, index + 1) == span
    for start in range(len(spans)):
        for end in range(start + 1, len(spans) + 1):
            assert digits.source(start, end) == (spans[start][0], spans[end - 1][1])
