"""Folding for matching keys and features: full-width to half-width, traditional to simplified, spaces.

Folding is for keys and features only; stored fields keep what was written. ``fold_mapped`` keeps, for
each folded character, the index of the original character it came from, so a span found in folded text
is quoted from the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from zhtext.spans import Span

_SPACE_RUN = re.compile(r"^\s|\s$|\s\s")
_OTHER_SPACE = re.compile(r"[^\S ]")


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # imported lazily: nothing heavy at import time

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese (opencc t2s)."""
    return str(_t2s().convert(text)) if text else text


def fold(text: str | None) -> str:
    """Full-width to half-width (NFKC), traditional to simplified, whitespace collapsed, stripped."""
    if not text:
        return ""
    return _fold(text)


def fold_join(parts: Iterable[str | None]) -> str:
    """``fold`` of PARTS joined by spaces or line breaks, each part folded once (and cached).

    The same text as folding the joined parts: NFKC composes nothing across a space or line break, the
    traditional-to-simplified phrases hold no whitespace, and the join collapses into one space. A record's
    body is read by several finders in texts that join it with other fields; it is folded once.
    """
    return " ".join(folded for folded in map(fold, parts) if folded)


# The full-width punctuation of Chinese text (and the two wide spaces), each with its NFKC: one character.
# Most Chinese text is NFKC-normal but for these; swapped first, the text is usually normal already.
_COMMON_WIDE = tuple(
    (wide, unicodedata.normalize("NFKC", wide)) for wide in "，：；（）！？～＋．－％／\u3000\xa0"
)


def _swap_common_wide(text: str) -> str:
    """TEXT with each of _COMMON_WIDE replaced by its NFKC (one ``str.replace`` per character present)."""
    for wide, narrow in _COMMON_WIDE:
        if wide in text:
            text = text.replace(wide, narrow)
    return text


def folds_alike(text: str) -> bool:
    """``fold_mapped(text, lower=True).text`` is ``fold(text).lower()`` for certain, known without folding.

    fold_mapped reads NFKC and lower case one character at a time, fold the whole string: they part only
    where a character composes with its neighbour under NFKC (e + ́, ｶ + ﾞ), lower-cases to two (İ) or is
    a capital sigma (whose lower case depends on the next character). None of these happens in ASCII,
    nor in text whose NFKC is its common full-width characters swapped (the whole string's NFKC then
    equals the per-character one), whose lower case is as long as itself and that holds no capital sigma.
    """
    if text.isascii():
        return True
    return (
        "Σ" not in text
        and len(text.lower()) == len(text)
        and unicodedata.is_normalized("NFKC", _swap_common_wide(text))
    )


def normalize_nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, ~6x faster on Chinese text with full-width punctuation.

    Replacing a character by its own NFKC leaves the text's NFKD (its compatibility decomposition) as it
    was, so the NFKC of the whole is the same. After the common full-width punctuation is swapped, most
    text is normal (a quick check says so) and the slow normalisation is skipped.
    """
    if text.isascii():
        return text
    swapped = _swap_common_wide(text)
    return swapped if unicodedata.is_normalized("NFKC", swapped) else unicodedata.normalize("NFKC", swapped)


# An ad's text is folded by several normalisers in turn (licence and credit-code finders read the same
# text): the last few results are kept, so each text is folded once.
@lru_cache(maxsize=16)
def _fold(text: str) -> str:
    text = normalize_nfkc(text)
    text = to_simplified(text)
    return _tidy(text)


def _tidy(text: str) -> str:
    """Each run of whitespace one space, none at either end (``re.sub(r"\\s+", " ", text).strip()``: str
    and re read whitespace alike, and split and join run in C without a pattern's scan)."""
    return " ".join(text.split())


def _untidy(text: str) -> bool:
    """TEXT holds whitespace that folding changes: leading, trailing, doubled, or other than a plain space
    (``re.search(r"^\\s|\\s$|\\s\\s|[^\\S ]", text)``, ~8x slower: it tries four alternatives at every
    character of an ad)."""
    return _tidy(text) != text


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text and, for each of its characters, the index of the original character."""

    original: str
    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> Span:
        """The original characters behind folded [start, end)."""
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else len(self.original)
            return Span(at, at, "")
        first = self.origin[start]
        last = self.origin[end - 1] + 1
        # An original character folded to several (㈠ -> (一)) is quoted whole.
        while last < len(self.original) and last not in self._starts:
            last += 1
        return Span(first, last, self.original[first:last])

    @property
    def _starts(self) -> frozenset[int]:
        return frozenset(self.origin)


class _NfkcTable(dict[int, str]):
    """A ``str.translate`` table: each code point to its own NFKC, filled as characters are met.

    No character's NFKC is empty, so a translation as long as its text mapped every character to
    exactly one: the per-character walk is then one call in C. Chinese text always needs it (its
    full-width punctuation ，：（） folds).
    """

    def __missing__(self, code: int) -> str:
        value = unicodedata.normalize("NFKC", chr(code))
        if len(self) < 65536:  # bounded: later characters are computed each time
            self[code] = value
        return value


_NFKC_TABLE = _NfkcTable()


def _nfkc(char: str) -> str:
    """The NFKC of one character (from the translate table, so each is computed once)."""
    return _NFKC_TABLE[ord(char)]


def fold_mapped(text: str | None, *, lower: bool = False) -> Folded:
    """``fold(text)`` (lower-cased when asked) with the original index of every folded character."""
    text = text or ""
    if not text:
        return Folded("", "", ())
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        pieces, nfkc = None, text  # nothing to normalise (most text): no walk over the characters
    else:
        # A normal text holds no character whose own NFKC differs: the swapped text is then the
        # per-character NFKC (each swap is one character for one), without a translation in Python.
        swapped = _swap_common_wide(text)
        pieces = None
        nfkc = swapped if unicodedata.is_normalized("NFKC", swapped) else text.translate(_NFKC_TABLE)
        if len(nfkc) != len(text):  # some character folded to several (… -> ..., ㈠ -> (一))
            expanded = _fold_expanded(text, nfkc, lower=lower)
            if expanded is not None:
                return expanded
            pieces = [char if char.isascii() else _nfkc(char) for char in text]
    if len(nfkc) == len(text):
        folded = to_simplified(nfkc)
        folded = folded.lower() if lower else folded
        if len(folded) == len(text) and not _untidy(folded):
            # Every character folded to exactly one and no space to collapse: the map is the identity.
            # The common case, and about five times faster than the walk below.
            return Folded(text, folded, tuple(range(len(text))))
        if len(folded) == len(text):
            # Every character lower-cased to one (lengths equal), as the walk's per-character lower() does;
            # a whole-string lower() differs from it only for a final sigma, and fold_text's is whole-string.
            if not _SPACE_RUN.search(folded):  # single line breaks or tabs: each becomes a space in place
                return Folded(text, _OTHER_SPACE.sub(" ", folded), tuple(range(len(text))))
            return _collapse_spaces(text, folded)  # runs of line breaks in a body: no walk needed
    # With no pieces, each character of nfkc is the NFKC of the character of text at its index.
    return _fold_walk(text, pieces if pieces is not None else list(nfkc), lower=lower)


_WORD = re.compile(r"\S+")


def _collapse_spaces(text: str, folded: str, origin: Sequence[int] | None = None) -> Folded:
    """``_fold_walk`` for FOLDED, whose characters come from TEXT's at ORIGIN (one for one when None):
    only its whitespace collapses.

    Each run of whitespace between words becomes one space mapped to the run's first character.
    """
    at = origin if origin is not None else range(len(folded))
    out: list[str] = []
    out_origin: list[int] = []
    end = 0
    for word in _WORD.finditer(folded):
        if out_origin:
            out.append(" ")
            out_origin.append(at[end])
        out.append(word[0])
        out_origin.extend(at[word.start() : word.end()])
        end = word.end()
    return Folded(text, "".join(out), tuple(out_origin))


def _fold_expanded(text: str, nfkc: str, *, lower: bool) -> Folded | None:
    """``_fold_walk`` for TEXT whose NFKC (NFKC, each character's own) is longer: the map is built a
    stretch at a time, between the few characters that fold to several (an ellipsis … in an ad is
    enough), instead of character by character (~25x the time). None where only the walk gives the walk's
    result: t2s or lower-casing changes a length, or a capital sigma (lower-cased per character there)."""
    simplified = to_simplified(nfkc)
    if len(simplified) != len(nfkc) or "\u03a3" in simplified:
        return None
    if lower:
        lowered = simplified.lower()
        if len(lowered) != len(simplified):
            return None
        simplified = lowered
    several = [char for char in set(text) if len(_nfkc(char)) != 1]
    origin: list[int] = []
    done = 0
    for match in re.finditer("|".join(map(re.escape, several)), text):
        at = match.start()
        origin.extend(range(done, at))
        origin.extend([at] * len(_nfkc(text[at])))
        done = at + 1
    origin.extend(range(done, len(text)))
    if not _untidy(simplified):
        return Folded(text, simplified, tuple(origin))
    return _collapse_spaces(text, simplified, origin)


def _fold_walk(text: str, pieces: list[str], *, lower: bool) -> Folded:
    """``fold_mapped`` character by character, for text whose folding changes lengths or spaces."""
    chars: list[str] = []
    origin: list[int] = []
    for index, norm in enumerate(pieces):
        for piece in norm:
            chars.append(piece)
            origin.append(index)
    nfkc = "".join(chars)
    simplified = to_simplified(nfkc)
    if len(simplified) != len(nfkc):  # t2s changed the length (rare phrase rules): convert per character
        simplified = "".join(to_simplified(c) if len(to_simplified(c)) == 1 else c for c in nfkc)
    out: list[str] = []
    out_origin: list[int] = []
    space_at: int | None = None  # where the pending run of whitespace began
    for char, at in zip(simplified, origin, strict=True):
        if char.isspace():
            if out and space_at is None:
                space_at = at
            continue
        if space_at is not None:
            out.append(" ")
            out_origin.append(space_at)
            space_at = None
        low = char.lower() if lower else char
        out.append(low if len(low) == 1 else char)  # İ lower-cases to two characters: keep it
        out_origin.append(at)
    return Folded(text, "".join(out), tuple(out_origin))


# One character, one space, one character: "招 工 启 事" (a poster read by OCR, or letters spaced out to
# slip past a platform's word filter).
_SPACED_PAIR = re.compile(r"(?<=[\u4e00-\u9fff0-9])\s(?=[\u4e00-\u9fff0-9])")
_SPACED_MIN = 8  # spaced pairs before a text counts as spaced out


def unspaced(text: str) -> Folded | None:
    """TEXT with the single spaces between Chinese characters or digits removed, when it is written
    spaced out (at least 8 such spaces, and they are at least a third of its Chinese characters);
    None otherwise. The Folded maps each kept character back to TEXT, for finders' spans."""
    if text.count(" ") < _SPACED_MIN:
        return None
    gaps = [m.start() for m in _SPACED_PAIR.finditer(text)]
    if len(gaps) < _SPACED_MIN or 3 * len(gaps) < sum(1 for c in text if "\u4e00" <= c <= "\u9fff"):
        return None
    drop = set(gaps)
    origin = tuple(i for i in range(len(text)) if i not in drop)
    return Folded(text, "".join(text[i] for i in origin), origin)
