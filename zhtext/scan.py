"""Patterns that scan fast: a leading lookahead of every character a match can start with.

Python's re tries every branch of a pattern at every position of the text; a pattern whose branches begin
with lookbehinds or alternations gets no help from its first characters. A lookahead of those characters
in front lets the scan pass over the rest of the text in C: the finders' slowest patterns scan an ad
3-9x faster (docs/model.md, "Scoring speed"), with the same matches.

The characters are read from the pattern's own structure (re's parser), so they cannot fall out of step
with the pattern. Where that reading is not possible (a pattern that may start with any character, one
that can match the empty string, or a Python whose re parser is not where 3.11-3.13 keep it), the pattern
is compiled as it is: slower, never different.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

_sre: Any
_sre_parse: Any
try:  # re's parser: private (no stubs), but the same in 3.11-3.13; without it patterns are compiled plainly
    _sre = importlib.import_module("re._constants")
    _sre_parse = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover
    _sre = _sre_parse = None

# Every pattern made by ``led``, for the tests: compiled -> (the pattern as written, its flags, lookahead).
LED: dict[re.Pattern[str], tuple[str, int, str | None]] = {}


class _AnyStart(Exception):
    """No class can be read: a match may start with any character (., a negated class, \\w), or the
    pattern holds what the reading does not follow (back-references, conditionals, atomic groups, a
    group that turns case-insensitivity on)."""


def _first_of(items: Any) -> tuple[set[str], bool]:
    """(what a match of the sequence ITEMS can start with, whether ITEMS can match the empty string)."""
    found: set[str] = set()
    for op, argument in items:
        starts, empty = _first_of_item(op, argument)
        found |= starts
        if not empty:
            return found, False
    return found, True


def _first_of_item(op: Any, argument: Any) -> tuple[set[str], bool]:
    if op is _sre.LITERAL:
        return {re.escape(chr(argument))}, False
    if op is _sre.IN:
        found = set()
        for kind, value in argument:
            if kind is _sre.LITERAL:
                found.add(re.escape(chr(value)))
            elif kind is _sre.RANGE:
                found.add(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
            elif kind is _sre.CATEGORY and value is _sre.CATEGORY_DIGIT:
                found.add(r"\d")
            elif kind is _sre.CATEGORY and value is _sre.CATEGORY_SPACE:
                found.add(r"\s")
            else:  # a negated class, \w, \D: too many characters to be worth a lookahead
                raise _AnyStart(kind)
        return found, False
    if op is _sre.BRANCH:
        found, empty = set(), False
        for alternative in argument[1]:
            starts, can_be_empty = _first_of(alternative)
            found, empty = found | starts, empty or can_be_empty
        return found, empty
    if op is _sre.SUBPATTERN:
        if argument[1] & _sre.SRE_FLAG_IGNORECASE:  # (?i:...) folds case inside; the class would not
            raise _AnyStart(op)
        return _first_of(argument[-1])
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, _, body = argument
        starts, empty = _first_of(body)
        return starts, empty or low == 0
    if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
        return set(), True  # zero-width: what follows decides
    raise _AnyStart(op)


def first_class(pattern: str, flags: int = 0) -> str | None:
    """A character class (``[...]``) holding every character a match of PATTERN can start with, or None.

    With re.IGNORECASE the class is compiled with the same flag, so it matches either case as the
    pattern does.
    """
    if _sre_parse is None:
        return None
    try:
        starts, empty = _first_of(_sre_parse.parse(pattern, flags))
    except _AnyStart:
        return None
    if empty or not starts:
        return None  # a pattern that can match the empty string matches anywhere
    return "[" + "".join(sorted(starts)) + "]"


def led(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """PATTERN compiled behind a lookahead of the characters it can start with: the same matches, sooner."""
    first = first_class(pattern, flags)
    end = "\n" if flags & re.VERBOSE else ""  # ends a verbose pattern's trailing comment before the ")"
    try:  # inline global flags ("(?i)...") must stay first: such a pattern refuses the wrap
        compiled = re.compile(pattern if first is None else f"(?={first})(?:{pattern}{end})", flags)
    except re.error:
        first, compiled = None, re.compile(pattern, flags)
    LED[compiled] = (pattern, flags, first)
    return compiled
