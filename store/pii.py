"""Find and mask personal data in free text for roles that may not see it.

Covers the plain forms: mainland mobile numbers, landlines with an area code, 18-digit resident ID numbers
(check digit and birth date validated with python-stdnum), pre-1999 15-digit IDs after 身份证/证件号,
passport numbers after the word 护照, e-mail
addresses and IDs after an explicit WeChat/QQ marker. Mobile numbers written to dodge filters (一三八…,
壹叁捌…, ①③⑧…, full-width digits, digits split by spaces or symbols) are masked too; extracting them as
contacts is the job of ``crawlers.normalise.contacts``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

PiiKind = Literal["mobile", "landline", "id_number", "passport", "email", "wechat", "qq"]

# Lookarounds keep these from matching inside longer digit or letter runs (order numbers, credit codes).
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9A-Za-z])")
_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z])[(（]?(0(?:10|2\d|[3-9]\d{2}))[)）]?[- ]?([2-9]\d{2,3}[- ]?\d{4})(?![0-9A-Za-z])"
)
_ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
    r"(?![0-9A-Za-z])"
)
# Pre-1999 15-digit IDs (area, YYMMDD, sequence; no check digit) look like old company registration
# numbers, so they are masked only after an ID marker.
_LEGACY_ID_NUMBER = re.compile(
    r"(?:身份证|证件)(?:号码|号)?\s*[:：]?\s*"
    r"([1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])"
)
_PASSPORT = re.compile(r"护照(?:号码|号)?\s*[:：]?\s*([A-Za-z]{1,2}\d{7,8})(?![0-9A-Za-z])")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_WECHAT = re.compile(
    r"(?:微信|威信|薇信|[Vv]信|[Vv][Xx]|[Ww][Xx])(?:号)?\s*[:：]?\s*([A-Za-z][A-Za-z0-9_-]{5,19})(?![A-Za-z0-9_-])"
)
_QQ = re.compile(r"(?:QQ|qq|扣扣)(?:号)?\s*[:：]?\s*([1-9]\d{4,10})(?!\d)")

# Eleven digit-likes (Chinese numerals, circled or full-width digits) with at most three separator
# characters between them: how ads hide a mobile number from keyword filters.
_DIGIT_LIKE = "0-9０-９零〇一二三四五六七八九幺壹贰叁肆伍陆柒捌玖⓪①②③④⑤⑥⑦⑧⑨"
_DIGIT_VALUES = str.maketrans(
    "０１２３４５６７８９零〇一二三四五六七八九幺壹贰叁肆伍陆柒捌玖⓪①②③④⑤⑥⑦⑧⑨",
    "0123456789001234567891123456789" + "0123456789",
)
_OBFUSCATED_MOBILE = re.compile(
    rf"(?<![{_DIGIT_LIKE}])[{_DIGIT_LIKE}](?:[\s\-_.·•/|,，、*~]{{0,3}}[{_DIGIT_LIKE}]){{10}}(?![{_DIGIT_LIKE}])"
)


@dataclass(frozen=True)
class PiiMatch:
    """One piece of personal data: its kind, span in the text and the text matched."""

    kind: PiiKind
    start: int
    end: int
    value: str


def is_valid_id_number(number: str) -> bool:
    """True for an 18-digit resident ID whose check digit and birth date are valid."""
    from stdnum.cn import ric  # lazily: keeps import time near zero
    from stdnum.exceptions import ValidationError

    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        ric.get_birth_date(number)
    except ValidationError:
        return False
    return ric.calc_check_digit(number) == number[-1]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def mask_phone(phone: str) -> str:
    """138-1234-5678 -> 138****5678; a landline keeps its area code and last four digits."""
    digits = _digits(phone)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) == 11 and digits[0] == "1":
        return f"{digits[:3]}****{digits[-4:]}"
    area = re.match(r"0(?:10|2\d|[3-9]\d{2})", digits) if digits.startswith("0") else None
    if area and len(digits) - area.end() >= 7:
        local = digits[area.end() :]
        return f"{area.group()}-{'*' * (len(local) - 4)}{local[-4:]}"
    return _mask_middle(digits, keep_start=3, keep_end=4) if digits else "*" * len(phone)


def mask_id_number(number: str) -> str:
    """320102199001011234 -> 3201**********1234."""
    compact = re.sub(r"\s", "", number).upper()
    return _mask_middle(compact, keep_start=4, keep_end=4)


def _mask_middle(value: str, *, keep_start: int, keep_end: int) -> str:
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def _mask_value(match: PiiMatch) -> str:
    if match.kind in ("mobile", "landline"):
        return mask_phone(match.value)
    if match.kind == "id_number":
        return mask_id_number(match.value)
    if match.kind == "email":
        user, _, domain = match.value.partition("@")
        return f"{user[:1]}***@{domain}"
    return _mask_middle(match.value, keep_start=1, keep_end=2)


def _group_matches(kind: PiiKind, pattern: re.Pattern[str], text: str) -> list[PiiMatch]:
    """Matches whose personal part is group 1 (the marker before it is not personal)."""
    return [PiiMatch(kind, m.start(1), m.end(1), m.group(1)) for m in pattern.finditer(text)]


def _raw_matches(text: str) -> list[PiiMatch]:
    found = [
        PiiMatch("id_number", m.start(), m.end(), m.group())
        for m in _ID_NUMBER.finditer(text)
        if is_valid_id_number(m.group())
    ]
    found += [PiiMatch("mobile", m.start(), m.end(), m.group()) for m in _MOBILE.finditer(text)]
    found += _obfuscated_mobiles(text)
    found += [PiiMatch("landline", m.start(), m.end(), m.group()) for m in _LANDLINE.finditer(text)]
    found += [PiiMatch("email", m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text)]
    found += _group_matches("id_number", _LEGACY_ID_NUMBER, text)
    found += _group_matches("passport", _PASSPORT, text)
    found += _group_matches("wechat", _WECHAT, text)
    found += _group_matches("qq", _QQ, text)
    return found


def _obfuscated_mobiles(text: str) -> list[PiiMatch]:
    found = []
    for match in _OBFUSCATED_MOBILE.finditer(text):
        digits = re.sub(r"\D", "", match.group().translate(_DIGIT_VALUES))
        if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
            found.append(PiiMatch("mobile", match.start(), match.end(), digits))
    return found


def mobile_numbers(text: str | None) -> list[str]:
    """The distinct mainland mobile numbers in ``text`` as 11 digits, plain or written to dodge filters."""
    if not text:
        return []
    plain = ["".join(m.groups()) for m in _MOBILE.finditer(text)]
    return list(dict.fromkeys(plain + [m.value for m in _obfuscated_mobiles(text)]))


def find_pii(text: str | None) -> list[PiiMatch]:
    """Every piece of personal data in ``text``, in order, without overlaps (the earliest, longest wins)."""
    if not text:
        return []
    chosen: list[PiiMatch] = []
    for match in sorted(_raw_matches(text), key=lambda m: (m.start, -(m.end - m.start))):
        if not chosen or match.start >= chosen[-1].end:
            chosen.append(match)
    return chosen


def mask_text(text: str | None) -> str:
    """``text`` with every piece of personal data masked (138****5678, 3201**********1234)."""
    if not text:
        return text or ""
    parts: list[str] = []
    position = 0
    for match in find_pii(text):
        parts.append(text[position : match.start])
        parts.append(_mask_value(match))
        position = match.end
    parts.append(text[position:])
    return "".join(parts)
