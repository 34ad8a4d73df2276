"""Chinese numerals: counted numbers (十六, 二十五, 三千五, 两万), digit strings (一三八, 壹叁捌, 幺) and ranges.

Finders read ``digitise(text)``: the text with counted numerals written as Arabic digits and, for each
character, the span of the original characters it came from, so a match is quoted from the text given.
Full-width digits (１５) are already ASCII after ``zhtext.fold``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from zhtext.scan import led

# Digit characters as ads spell phone numbers: everyday, financial (大写), 幺 for 1 and 两 for 2.
DIGIT_CHARS = {
    "零": "0",
    "〇": "0",
    "○": "0",
    "洞": "0",
    "一": "1",
    "壹": "1",
    "幺": "1",
    "么": "1",
    "二": "2",
    "贰": "2",
    "两": "2",
    "三": "3",
    "叁": "3",
    "四": "4",
    "肆": "4",
    "五": "5",
    "伍": "5",
    "六": "6",
    "陆": "6",
    "七": "7",
    "柒": "7",
    "拐": "7",
    "八": "8",
    "捌": "8",
    "九": "9",
    "玖": "9",
    "勾": "9",
}
# 洞幺拐勾 are radio-style digits: they spell phone numbers, never counted amounts (拐 is "turn").
_COUNT_DIGITS = {k: int(v) for k, v in DIGIT_CHARS.items() if k not in "洞幺么拐勾"}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_COUNT_CHARS = "".join(_COUNT_DIGITS) + "".join(_UNITS)
# A counted number: must contain a unit or be a single digit char, e.g. 十六, 二十五, 三千五百, 两万.
CN_NUMBER = re.compile(rf"[{_COUNT_CHARS}万]+")
_ONE_DIGIT = "一二两三四五六七八九"
# 十四五 / 二十三四 (fourteen or fifteen), 十几 (a teen), 三四十 (thirty or forty), 七八 (seven or eight).
_CN_RANGE = led(
    rf"(?P<tens>[{_ONE_DIGIT}]?十)(?P<a>[{_ONE_DIGIT}])(?P<b>[{_ONE_DIGIT}])"
    rf"|(?P<some>[{_ONE_DIGIT}]?十)几"
    rf"|(?P<x>[{_ONE_DIGIT}])(?P<y>[{_ONE_DIGIT}])十"
    rf"|(?P<c>[{_ONE_DIGIT}])(?P<d>[{_ONE_DIGIT}])",
)
_HAS_CN = re.compile(rf"[{_COUNT_CHARS}万几]")


def has_counted_numeral(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether TEXT[start:end] holds a character ``digitise`` could replace (every replacement holds one)."""
    return _HAS_CN.search(text, start, len(text) if end is None else end) is not None


def _below_wan(text: str) -> int | None:
    """A counted number under 10,000 (十六, 三千五, 一百零五); None when it is not one."""
    total, digit, last_unit = 0, None, 10_000
    for char in text:
        if char in "零〇○" and last_unit < 10_000:
            last_unit = 10  # 一百零五: the digit after 零 counts in units
        elif char in _COUNT_DIGITS:
            if digit is not None:
                return None  # two digits in a row: a digit string, not a counted number
            digit = _COUNT_DIGITS[char]
        elif char in _UNITS:
            unit = _UNITS[char]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit is not None:
        # 三千五 means 3500: a trailing digit counts in the next unit down.
        total += digit * (last_unit // 10 if last_unit <= 1000 else 1)
    return total


def cn_to_int(text: str) -> int | None:
    """十六 -> 16, 二十五 -> 25, 三千五 -> 3500, 两万 -> 20000, 一万五 -> 15000, 四五 -> None."""
    if not text or text.count("万") > 1:
        return None
    high, wan, low = text.partition("万")
    if not wan:
        return _below_wan(text)
    count = _below_wan(high) if high else None
    if count is None:
        return None
    if len(low) == 1 and low in _COUNT_DIGITS:  # 一万五 means 15000, as 三千五 means 3500
        return count * 10_000 + _COUNT_DIGITS[low] * 1_000
    rest = _below_wan(low) if low else 0
    return None if rest is None else count * 10_000 + rest


def cn_to_range(text: str) -> tuple[int, int] | None:
    """十四五 -> (14, 15), 二十三四 -> (23, 24), 十几 -> (11, 19), 三四十 -> (30, 40), 七八 -> (7, 8); else a
    number twice."""
    match = _CN_RANGE.fullmatch(text)
    if match is None:
        value = cn_to_int(text)
        return None if value is None else (value, value)
    if match["some"]:
        tens = cn_to_int(match["some"]) or 10
        return tens + 1, tens + 9
    if match["x"]:
        return _COUNT_DIGITS[match["x"]] * 10, _COUNT_DIGITS[match["y"]] * 10
    if match["c"]:
        low, high = _COUNT_DIGITS[match["c"]], _COUNT_DIGITS[match["d"]]
        return (low, high) if high == low + 1 else None
    tens = cn_to_int(match["tens"]) or 10
    low, high = _COUNT_DIGITS[match["a"]], _COUNT_DIGITS[match["b"]]
    return (tens + low, tens + high) if high == low + 1 else None


def digit_string(text: str) -> str | None:
    """一三八 / 壹叁捌 / 幺三八 -> "138" (a phone number spelled out); None when a character is no digit."""
    digits = [char if char.isdigit() else DIGIT_CHARS.get(char) for char in text]
    return None if not digits or None in digits else "".join(d for d in digits if d)


@dataclass(frozen=True, slots=True)
class Digitised:
    """Text with counted numerals as digits, and where each replacement stands in both texts.

    ``pieces`` holds one (digitised start, digitised end, original start, original end) per replaced
    stretch, in order; empty when nothing was replaced (the common case). A replacement costs one
    entry, not two per character.
    """

    text: str
    pieces: tuple[tuple[int, int, int, int], ...] = ()

    def _original(self, index: int) -> tuple[int, int]:
        """The original [start, end) behind digitised character INDEX (a whole replaced stretch)."""
        at = bisect_right(self.pieces, index, key=lambda piece: piece[0]) - 1
        if at < 0:
            return index, index + 1
        _, new_end, original_start, original_end = self.pieces[at]
        if index < new_end:
            return original_start, original_end
        index += original_end - new_end  # past a replacement, characters map one to one
        return index, index + 1

    def source(self, start: int, end: int) -> tuple[int, int]:
        """The original [start, end) behind digitised [start, end)."""
        if not self.pieces:  # nothing was replaced: offsets are the same
            return start, end
        return self._original(start)[0], self._original(end - 1)[1]


# One of: 一 used as a dash between ages (16岁一45岁); a numeral range before 岁 (十四五岁); a counted number.
# Every match starts with whitespace or a numeral character (zhtext.scan: ~3.5x faster to scan).
_AGE_PIECES = led(
    r"(?P<dash>(?<=[\d岁])\s*一\s*(?=[\d二两三四五六七八九十]))"
    rf"|(?P<range>(?:[{_ONE_DIGIT}]?十[{_ONE_DIGIT}]{{2}}|[{_ONE_DIGIT}]?十几|[{_ONE_DIGIT}]{{2}}十)(?=周?岁))"
    rf"|(?P<number>[{_COUNT_CHARS}万]+)",
)
# A run holding none of these (a bare 千, 百 or 万) is a unit.
_COUNTED = re.compile("[" + "".join(_COUNT_DIGITS) + "十拾]")
_NUMBER_ONLY = re.compile(rf"(?P<number>[{_COUNT_CHARS}万]+)")


def _replacement(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups.get("dash") is not None:
        return "-"
    if groups.get("range"):
        found = cn_to_range(groups["range"])
        return None if found is None else f"{found[0]}-{found[1]}"
    run = groups["number"]
    if not _COUNTED.search(run):
        return None  # a bare 千, 百 or 万 after Arabic digits (4千) is a unit, not a number
    value = cn_to_int(run)
    return None if value is None else str(value)


def digitise(text: str, *, ages: bool = False) -> Digitised:
    """Counted numerals as digits (年满十六周岁 -> 年满16周岁); with ``ages``, 十四五岁 -> 14-15岁, 岁一 -> 岁-."""
    if not _HAS_CN.search(text):
        return Digitised(text)
    out: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    done = length = 0  # read up to, in TEXT; written so far, in the digitised text
    for match in (_AGE_PIECES if ages else _NUMBER_ONLY).finditer(text):
        new = _replacement(match)
        if new is None:
            continue
        out.append(text[done : match.start()])
        length += match.start() - done
        out.append(new)
        pieces.append((length, length + len(new), match.start(), match.end()))
        length += len(new)
        done = match.end()
    if not out:
        return Digitised(text)
    out.append(text[done:])
    return Digitised("".join(out), tuple(pieces))


def replace_cn_numbers(text: str) -> str:
    """Counted Chinese numbers replaced by Arabic digits (年满十六周岁 -> 年满16周岁)."""
    return digitise(text).text
