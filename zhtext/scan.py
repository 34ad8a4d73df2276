"""Patterns that scan fast: the search skips to the characters a match can start with.

Python's re tries every branch of a pattern at every position of the text; a pattern whose branches begin
with lookbehinds or alternations gets no help from its first characters. Knowing those characters lets
the scan pass over the rest of the text in C: the finders' slowest patterns scan an ad 3-9x faster
(docs/model.md, "Scoring speed"), with the same matches.

How the characters are used, fastest first:
- a pattern that re itself starts with a literal prefix or a class of first characters is compiled as
  it is (re's search already skips);
- otherwise the compiled pattern's info block is given the class of first characters, the same skip
  re's compiler writes for a pattern like ``[ab]c``: re's search then steps over the other characters
  in its tightest loop and tries the whole pattern, unchanged, where one of them stands. The info block
  is only a hint to the search (match, fullmatch and the matching code are untouched), so the matches
  are those of the pattern as written. A lookahead of the class in front did the same ~3x slower, being
  tried at every position by the matching engine;
- a case-insensitive pattern, or a Python whose re internals differ from 3.11-3.13's, gets that
  lookahead in front instead.

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
_sre_compiler: Any
_sre_engine: Any
try:  # re's parser: private (no stubs), but the same in 3.11-3.13; without it patterns are compiled plainly
    _sre = importlib.import_module("re._constants")
    _sre_parse = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover
    _sre = _sre_parse = None
try:  # re's compiler and engine (for the info block): the same in 3.11-3.13; without them, a lookahead
    _sre_compiler = importlib.import_module("re._compiler")
    _sre_engine = importlib.import_module("_sre")
except ImportError:  # pragma: no cover
    _sre_compiler = _sre_engine = None

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
    """PATTERN compiled so that its search skips to the characters it can start with: the same matches,
    sooner (re's own skip, the class of first characters in the info block, or a lookahead of them)."""
    first = first_class(pattern, flags)
    compiled = None if first is None else _hinted(pattern, flags, first)
    if compiled is None:
        end = "\n" if flags & re.VERBOSE else ""  # ends a verbose pattern's trailing comment before the ")"
        try:  # inline global flags ("(?i)...") must stay first: such a pattern refuses the wrap
            compiled = re.compile(pattern if first is None else f"(?={first})(?:{pattern}{end})", flags)
        except re.error:
            first, compiled = None, re.compile(pattern, flags)
    LED[compiled] = (pattern, flags, first)
    return compiled


def _hinted(pattern: str, flags: int, first: str) -> re.Pattern[str] | None:
    """PATTERN compiled as re compiles it, its info block telling the search to skip to the characters
    of FIRST (what ``first_class`` read); None where that cannot be done (then a lookahead is used).

    re's compiler writes the same kind of info block for a pattern such as ``[ab]c``; here the class comes
    from reading every branch. Case-insensitive patterns are left to the lookahead: the search compares
    the class with the text's characters as they are.
    """
    if _sre_compiler is None or _sre_engine is None or flags & (re.IGNORECASE | re.LOCALE):
        return None
    try:
        parsed = _sre_parse.parse(pattern, flags)
        all_flags = flags | parsed.state.flags
        if all_flags & (re.IGNORECASE | re.LOCALE):  # inline (?i)
            return None
        code = _sre_compiler._code(parsed, flags)
        if code[0] != _sre.INFO:  # pragma: no cover - another layout
            return None
        if code[2] or not code[3]:  # re's own prefix or class already, or a match may be empty: as is
            return re.compile(pattern, flags)
        info = [_sre.INFO, 0, _sre.SRE_INFO_CHARSET, code[3], code[4], *_charset_code(first, flags)]
        info[1] = len(info) - 1  # the info block's length, as re's compiler counts it
        names = parsed.state.groupdict
        index_names: list[str | None] = [None] * parsed.state.groups
        for name, index in names.items():
            index_names[index] = name
        hinted: re.Pattern[str] = _sre_engine.compile(
            pattern, all_flags, info + code[1 + code[1] :], parsed.state.groups - 1, names, tuple(index_names)
        )
    except (re.error, AttributeError, TypeError, ValueError, RuntimeError):  # pragma: no cover - internals
        return None
    return hinted


def _charset_code(first: str, flags: int) -> list[int]:
    """The class FIRST (``[...]``) as re's code for a set of characters, the form an info block holds."""
    ((op, argument),) = _sre_parse.parse(first, flags).data
    items = [(op, argument)] if op is _sre.LITERAL else argument  # a one-character class parses as it
    code: list[int] = []
    _sre_compiler._compile_charset(_sre_compiler._optimize_charset(items)[0], flags, code)
    return code


def any_word(*words: str) -> re.Pattern[str]:
    """A pattern found in a text exactly when one of WORDS is in it: a finder's gate.

    ``any(word in text for word in WORDS)`` scans the text once per absent word; the alternation is
    scanned once, re skipping in C to the words' first characters (the class re's compiler reads from
    an alternation of literals). Gates of many words cost a third of the ``in`` checks or less.
    """
    if not words or not all(words):
        raise ValueError("a gate needs words, none of them empty")
    return re.compile("|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True)))


def pinyin_forms(word: str, syllables: str, between: str = "") -> list[str]:
    r"""WORD as posters write it to slip past filters, any of its characters spelled in pinyin instead:
    pinyin_forms("越南", "yue nan") -> ["越南", "越nan", "yue南", "yuenan"]. BETWEEN goes between two
    spelled syllables ("yue nan" with " ", or a pattern's r"\s?"). The text is lower-cased, so the forms
    are too; the written word comes first."""
    spelled = syllables.split()
    if len(spelled) != len(word):
        raise ValueError(f"{word!r} needs one syllable per character, got {syllables!r}")
    forms = [("", False)]  # (form so far, whether it ends with a spelled syllable)
    for char, syllable in zip(word, spelled, strict=True):
        forms = [
            (form + choice, spelled_now)
            for form, spelled_before in forms
            for choice, spelled_now in (
                (char, False),
                ((between if spelled_before else "") + syllable.lower(), True),
            )
        ]
    return [form for form, _ in forms]
