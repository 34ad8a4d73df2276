"""Patterns that skip to their first characters (zhtext.scan.led: re's info block, or a lookahead of them)
find exactly what they would alone."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhtext.fold import fold
from zhtext.scan import LED, any_word, first_class, led

# Every module that builds patterns with led() (zhtext.law.context's Gated parts included); importing
# them fills LED.
MODULES = (
    "zhtext.ages",
    "zhtext.contacts",
    "zhtext.money",
    "zhtext.numerals",
    "zhtext.law.agency",
    "zhtext.law.fees",
    "zhtext.law.labour",
    "zhtext.law.marriage",
    "zhtext.law.sums",
    "zhtext.law.matchmaking",
    "risk_model.features.indicators",
    "risk_model.features.structured",
)
for _module in MODULES:
    importlib.import_module(_module)


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        ("ab|cd", 0, "[ac]"),
        ("(?<!x)ab", 0, "[a]"),  # a lookbehind reads nothing of the match
        ("a?b", 0, "[ab]"),  # an optional first item lets the next one start
        ("(a|b?)c", 0, "[abc]"),
        ("(?:x{0,2})y", 0, "[xy]"),
        (r"\d+元", 0, r"[\d]"),
        (r"[0-3一]万", 0, "[0-3一]"),
        ("tel|电话", re.IGNORECASE, "[t电]"),
        ("a*", 0, None),  # can match the empty string, so anywhere
        (".x", 0, None),
        ("[^a]b", 0, None),
        (r"\wb", 0, None),
        ("(?i:a)b", 0, None),  # case folded inside a group only: the class would not fold
        (r"(a)?\1b", 0, None),  # a back-reference that may come first is not followed
    ],
)
def test_the_first_characters_read_from_a_pattern(pattern: str, flags: int, expected: str | None) -> None:
    assert first_class(pattern, flags) == expected


@pytest.mark.parametrize(
    ("pattern", "flags", "text"),
    [
        ("(?i:a)b|x", 0, "Ab ab x"),
        ("x|(?i:y)z", 0, "Yz yz x"),
        ("(?i)abc", 0, "ABC abc"),  # inline global flags must stay first: compiled as written
        ("abc # a comment", re.VERBOSE, "xabc abc"),  # the comment must not swallow the wrap's ")"
        ("ab|cd", 0, "ab cd"),
        (r"(?P<n>\d)(?P=n)", 0, "11 12 22"),
    ],
)
def test_patterns_the_reading_cannot_follow_still_match_as_written(
    pattern: str, flags: int, text: str
) -> None:
    expected = [m.span() for m in re.compile(pattern, flags).finditer(text)]
    assert [m.span() for m in led(pattern, flags).finditer(text)] == expected
    assert expected


def test_a_case_insensitive_pattern_keeps_both_cases() -> None:
    assert [m.group() for m in led("tel|qq", re.IGNORECASE).finditer("TEL Tel QQ qQ")] == [
        "TEL",
        "Tel",
        "QQ",
        "qQ",
    ]


def test_a_case_sensitive_pattern_keeps_its_text_and_skips_by_its_info_block() -> None:
    compiled = led("(?<!x)ab|(?<!y)cd")
    assert compiled.pattern == "(?<!x)ab|(?<!y)cd"  # no lookahead wrapped around it
    assert [m.span() for m in compiled.finditer("xab ab ycd cd")] == [(4, 6), (11, 13)]
    assert compiled.match("ab") and not compiled.match("zab") and compiled.fullmatch("cd")
    named = led(r"(?<!x)(?P<amount>\d+)元|约(?P<about>\d)")
    assert named.groupindex == re.compile(r"(?<!x)(?P<amount>\d+)元|约(?P<about>\d)").groupindex
    assert [m.groupdict() for m in named.finditer("x5元 12元 约3")] == [
        {"amount": "12", "about": None},
        {"amount": None, "about": "3"},
    ]
    assert led("tel|qq", re.IGNORECASE).pattern.startswith("(?=")  # case folds: the lookahead instead


def test_the_finders_slow_patterns_get_a_lookahead() -> None:
    with_lookahead = [pattern for pattern, _, first in LED.values() if first is not None]
    assert len(with_lookahead) >= 30, len(with_lookahead)


def test_every_finder_pattern_but_one_has_its_first_characters_read() -> None:
    """A branch that may start with any character (a lookbehind before an optional part and a negated
    class, say) leaves the whole pattern scanned at every position: the minor-word pattern once lost
    its skip that way and the finders took 50% longer. The one pattern left is read from a lookbehind."""
    finders = [(p, first) for p, _, first in LED.values() if any("\u4e00" <= c <= "\u9fff" for c in p)]
    unread = [pattern for pattern, first in finders if first is None]  # (this file's own are ASCII)
    assert len(unread) <= 1 and all(p.startswith("(?<=总共") for p in unread), unread


def _challenge_texts() -> list[str]:
    texts = []
    for path in sorted(Path(__file__).resolve().parents[1].joinpath("challenge").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                ad = json.loads(line)
                texts.append(fold(" ".join(v for v in ad.values() if isinstance(v, str))).lower())
    return texts


def _same_matches(text: str) -> None:
    for compiled, (pattern, flags, _) in LED.items():
        alone = re.compile(pattern, flags)
        assert [m.span() for m in compiled.finditer(text)] == [m.span() for m in alone.finditer(text)], (
            pattern
        )


def test_the_same_matches_as_each_pattern_alone_on_the_challenge_ads() -> None:
    texts = _challenge_texts()
    assert len(texts) >= 200
    for text in texts:
        _same_matches(text)
        _same_matches(text.upper())


_ALPHABET = list(
    "不中介以借债先垫扣押身份证护照工资带班交给我们出境外越南新娘保证岁满十五六一二三 ,。"
    "vVwWqQ+➕:TELtel电话微信扣0123456789元万(\n"
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=40))
def test_the_same_matches_on_made_up_text(text: str) -> None:
    _same_matches(text)


_GATE_WORDS = ("工资", "工", "资卡", "扣押", "押", "不", "出境", "越南新娘", "+")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=40))
def test_a_gate_finds_a_text_exactly_when_one_of_its_words_is_in_it(text: str) -> None:
    for size in range(1, len(_GATE_WORDS) + 1):
        words = _GATE_WORDS[:size]
        assert bool(any_word(*words).search(text)) == any(word in text for word in words)


def test_a_gate_needs_words() -> None:
    with pytest.raises(ValueError):
        any_word()
    with pytest.raises(ValueError):
        any_word("工资", "")
