"""Patterns with a leading lookahead (zhtext.scan.led) find exactly what they would without it.

The lookahead is only right when FIRST holds every character a match can begin with. Each pattern's
structure is read here (re's own parser) to compute those characters, so a pattern edited later without
its FIRST fails this test rather than silently missing matches.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhtext.fold import fold
from zhtext.scan import LED

# Every module that builds a pattern with led(); importing them fills LED.
MODULES = (
    "zhtext.ages",
    "zhtext.contacts",
    "zhtext.money",
    "zhtext.numerals",
    "zhtext.law.agency",
    "zhtext.law.fees",
    "zhtext.law.labour",
    "zhtext.law.marriage",
    "risk_model.features.indicators",
    "risk_model.features.structured",
)
for _module in MODULES:
    importlib.import_module(_module)

try:  # re's parser: a private module, stable since 3.11 (sre_parse before); read by this test only
    from re import _constants as sre_c
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    pytest.skip("re's parser is not importable on this Python", allow_module_level=True)


_CLASSES = {sre_c.CATEGORY_DIGIT: r"\d", sre_c.CATEGORY_SPACE: r"\s"}


class _Open(Exception):
    """A pattern that can start with any character (or a category such as \\d): no FIRST can be checked."""


def _first(items: list[tuple[object, object]]) -> tuple[set[str], bool]:
    """(characters a match of ITEMS can start with, whether ITEMS can match the empty string)."""
    chars: set[str] = set()
    for op, av in items:
        found, nullable = _first_op(op, av)
        chars |= found
        if not nullable:
            return chars, False
    return chars, True


def _first_op(op: object, av: object) -> tuple[set[str], bool]:
    if op is sre_c.LITERAL:
        return {chr(av)}, False  # type: ignore[arg-type]
    if op is sre_c.IN:
        chars: set[str] = set()
        for kind, value in av:  # type: ignore[attr-defined]
            if kind is sre_c.LITERAL:
                chars.add(chr(value))
            elif kind is sre_c.RANGE:
                chars |= {chr(c) for c in range(value[0], value[1] + 1)}
            elif kind is sre_c.CATEGORY and value in _CLASSES:
                chars.add(_CLASSES[value])
            else:
                raise _Open(kind)
        return chars, False
    if op is sre_c.BRANCH:
        chars, nullable = set(), False
        for alternative in av[1]:  # type: ignore[index]
            found, empty = _first(list(alternative))
            chars, nullable = chars | found, nullable or empty
        return chars, nullable
    if op is sre_c.SUBPATTERN:
        return _first(list(av[-1]))  # type: ignore[index]
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
        low, _, sub = av  # type: ignore[misc]
        found, empty = _first(list(sub))
        return found, empty or low == 0
    if op in (sre_c.ASSERT, sre_c.ASSERT_NOT, sre_c.AT):
        return set(), True  # zero-width: the next item decides
    raise _Open(op)


@pytest.mark.parametrize("compiled", list(LED), ids=lambda p: p.pattern[:40])
def test_first_holds_every_character_a_match_can_start_with(compiled: re.Pattern[str]) -> None:
    first, classes, pattern, flags = LED[compiled]
    starts, nullable = _first(list(sre_parse.parse(pattern, flags)))
    assert not nullable, "a pattern that can match the empty string can match anywhere"
    declared = set(first) | {token for token in _CLASSES.values() if token in classes}
    if flags & re.IGNORECASE:  # either case of a letter may start a match
        starts = {case for char in starts for case in {char, char.lower(), char.upper()} if len(case) == 1}
    covered = {r"\d": str.isdecimal, r"\s": str.isspace}  # a class covers the characters it names
    missing = {
        c for c in starts - declared if not any(t in declared and test(c) for t, test in covered.items())
    }
    assert not missing, f"missing from FIRST: {''.join(sorted(missing))}"


def test_the_modules_build_their_patterns_with_led() -> None:
    assert len(LED) >= 16


def _challenge_texts() -> list[str]:
    texts = []
    for path in sorted(Path(__file__).resolve().parents[1].joinpath("challenge").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                ad = json.loads(line)
                texts.append(fold(" ".join(v for v in ad.values() if isinstance(v, str))).lower())
    return texts


def test_the_same_matches_as_the_pattern_alone_on_the_challenge_ads() -> None:
    texts = _challenge_texts()
    assert len(texts) >= 200
    for compiled, (_, _, pattern, flags) in LED.items():
        alone = re.compile(pattern, flags)
        for text in texts:
            assert [m.span() for m in compiled.finditer(text)] == [m.span() for m in alone.finditer(text)]


_ALPHABET = list(
    "不中介以借债先垫扣押身份证护照工资带班交给我们出境外越南新娘保证岁满十五六一二三 ,。vVwWqQ+➕:TELtel电话微信扣0123456789元万("
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=40))
def test_the_same_matches_on_made_up_text(text: str) -> None:
    for compiled, (_, _, pattern, flags) in LED.items():
        assert [m.span() for m in compiled.finditer(text)] == [
            m.span() for m in re.compile(pattern, flags).finditer(text)
        ]
