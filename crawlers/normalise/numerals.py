"""Chinese numerals: counted numbers (十六, 二十五, 三千) and digit strings (一三八, 壹叁捌, 幺)."""

from __future__ import annotations

import re

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
_COUNT_DIGITS = {k: int(v) for k, v in DIGIT_CHARS.items() if k not in "洞幺么拐勾"}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_COUNT_CHARS = "".join(_COUNT_DIGITS) + "".join(_UNITS)
# A counted number: must contain a unit or be a single digit char, e.g. 十六, 二十五, 三千五百.
CN_NUMBER = re.compile(rf"[{_COUNT_CHARS}]+")


def cn_to_int(text: str) -> int | None:
    """十六 -> 16, 二十五 -> 25, 三千五 -> 3500, 四五 -> None (not a counted number)."""
    if not text:
        return None
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


def replace_cn_numbers(text: str) -> str:
    """Counted Chinese numbers replaced by Arabic digits (年满十六周岁 -> 年满16周岁)."""

    def convert(match: re.Match[str]) -> str:
        if not any(char in _COUNT_DIGITS or char in "十拾" for char in match.group()):
            return match.group()  # a bare 千 or 百 after Arabic digits (4千) is a unit, not a number
        value = cn_to_int(match.group())
        return match.group() if value is None else str(value)

    return CN_NUMBER.sub(convert, text)
