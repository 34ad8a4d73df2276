"""Gated reads which gate words a text holds in one scan: the same as asking for each word."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from zhtext.law.context import Gated

# Words that share starts and overlap (工资 / 工资卡 / 资卡, 押金 / 金额): the cases one scan could miss.
WORDS = ("工资", "工资卡", "资卡", "押金", "金额", "卡", "代领")
GATED = Gated(
    (("工资", "代领"), r"工资[^,]{0,4}代领"),
    (("工资卡",), r"工资卡[^,]{0,3}(保管|收走)"),
    (("资卡", "金额"), r"(资卡|金额)\d+"),
    (("押金",), r"押金\d*"),
    (("卡",), r"卡[号里]"),
)


def _plain(text: str) -> list[tuple[int, int]]:
    """Each part tried where one of its words is in the text, as `word in text` says."""
    found = [
        match
        for gate, pattern in GATED.parts
        if any(word in text for word in gate)
        for match in re.finditer(pattern.pattern, text)
    ]
    return [m.span() for m in sorted(found, key=lambda m: (m.start(), -m.end()))]


@given(
    st.lists(st.sampled_from((*WORDS, "保管", "收走", "号", "里", "12", ",", "的")), max_size=14).map("".join)
)
def test_gated_matches_the_plain_reading(text: str) -> None:
    assert GATED.present(text) == frozenset(w for gate, _ in GATED.parts for w in gate if w in text)
    assert [m.span() for m in GATED.finditer(text)] == _plain(text)


def test_a_word_inside_a_longer_one_is_present() -> None:
    assert GATED.present("工资卡号") == {"工资", "工资卡", "资卡", "卡"}
    assert GATED.present("押金额") == {"押金", "金额"}
    assert GATED.present("没有") == frozenset()
