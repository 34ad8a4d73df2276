"""Personal data in free text, and masking it for roles that may not see it.

Personal data: mobile numbers and landlines (plain or obfuscated, ``zhtext.contacts``), WeChat and QQ IDs
after a marker, e-mail addresses, 18-digit resident ID numbers (a plausible birth date is enough: a wrong
check digit is a typo or a deliberate one, and still a person's number), 15-digit pre-1999 IDs after
身份证/证件号, and passport numbers after 护照. 400/800 hotlines belong to companies and stay.

Finding reads folded text; masking writes into the text as written: only the hidden characters change,
so traditional characters, full-width punctuation and the separators inside a number stay as they were,
and the masked text has the length of the original.
"""

from __future__ import annotations

import re
from datetime import date

from zhtext.contacts import Kind, Mention, Prepared, area_code_length, contacts_in, prepare

MASK = "*"
_PII_CONTACTS = frozenset({"mobile", "landline", "wechat", "qq", "email"})
# The first two digits of a resident ID: the province-level region (71 Taiwan; 81-83 the residence
# permits of Hong Kong, Macao and Taiwan residents).
_PROVINCES = frozenset(
    [
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,
        81,
        82,
        83,
    ]
)
# Area code, birth date, sequence and check character, optionally grouped 6-8-4 by a space or dash.
_ID_NUMBER = re.compile(
    r"(?<![0-9a-z])([1-8]\d{5})[ -]?((?:18|19|20)\d{6})[ -]?(\d{3}[\dx])(?![0-9a-z])", re.IGNORECASE
)
# Pre-1999 15-digit IDs (area, YYMMDD, sequence; no check digit) look like old company registration
# numbers, so they count only after an ID marker.
_LEGACY_ID_NUMBER = re.compile(
    r"(?:身份证|证件)(?:号码|号)?\s?[:]?\s?([1-8]\d{5})(\d{6})(\d{3})(?![0-9a-z])", re.IGNORECASE
)
_PASSPORT = re.compile(r"护照(?:号码|号)?\s?[:]?\s?([a-z]{1,2}\d{7,8})(?![0-9a-z])", re.IGNORECASE)


def _birth_date(yyyymmdd: str) -> date | None:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None
    return born if born <= date.today() else None


def _plausible_id(area: str, birth: str) -> bool:
    """A real province and a real, past birth date: enough to be a person's number, check digit or not."""
    return int(area[:2]) in _PROVINCES and _birth_date(birth) is not None


def _alnum_mention(prepared: Prepared, kind: Kind, match: re.Match[str]) -> Mention:
    """The letters and digits of the match's groups, upper-cased, with their original positions."""
    indexes = [i for i in range(match.start(1), match.end()) if prepared.text[i].isalnum()]
    value = "".join(prepared.text[i] for i in indexes).upper()
    return Mention(kind, value, tuple(prepared.origin[i] for i in indexes))


def _documents(prepared: Prepared) -> list[Mention]:
    found = [
        _alnum_mention(prepared, "id_number", m)
        for m in _ID_NUMBER.finditer(prepared.text)
        if _plausible_id(m.group(1), m.group(2))
    ]
    found += [
        _alnum_mention(prepared, "id_number", m)
        for m in _LEGACY_ID_NUMBER.finditer(prepared.text)
        if _plausible_id(m.group(1), "19" + m.group(2))
    ]
    found += [_alnum_mention(prepared, "passport", m) for m in _PASSPORT.finditer(prepared.text)]
    return found


def find_pii(text: str | None) -> list[Mention]:
    """Every piece of personal data in ``text``, in order, without overlaps (the earliest, longest wins)."""
    if not text:
        return []
    prepared = prepare(text)
    found = _documents(prepared) + [m for m in contacts_in(prepared) if m.kind in _PII_CONTACTS]
    chosen: list[Mention] = []
    for mention in sorted(found, key=lambda m: (m.start, m.start - m.end)):
        if not chosen or mention.start >= chosen[-1].end:
            chosen.append(mention)
    return chosen


def _hidden(mention: Mention) -> range:
    """Indexes of the value's characters a mask hides: an ID keeps its region and last four, a phone its
    prefix or area code and last four, an e-mail the first letter and the domain, a chat ID three letters."""
    size = len(mention.value)
    if mention.kind == "email":
        return range(1, mention.value.index("@"))
    if mention.kind == "id_number":
        return range(4, size - 4)
    if mention.kind == "mobile":
        return range(3, size - 4)
    if mention.kind == "landline":
        return range(area_code_length(mention.value), size - 4)
    return range(1, size - 2) if size > 3 else range(size)


def mask_text(text: str | None) -> str:
    """``text`` with the middle of every piece of personal data masked, everything else as written."""
    if not text:
        return text or ""
    chars = list(text)
    for mention in find_pii(text):
        for index in _hidden(mention):
            chars[mention.positions[index]] = MASK
    return "".join(chars)


def _mask_middle(value: str, *, keep_start: int, keep_end: int) -> str:
    if len(value) <= keep_start + keep_end:
        return MASK * len(value)
    return value[:keep_start] + MASK * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_phone(phone: str) -> str:
    """A phone value on its own: 138-1234-5678 -> 138****5678; a landline keeps area code and last four."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) == 11 and digits[0] == "1":
        return _mask_middle(digits, keep_start=3, keep_end=4)
    area = area_code_length(digits)
    if area and len(digits) - area >= 7:
        return f"{digits[:area]}-{_mask_middle(digits[area:], keep_start=0, keep_end=4)}"
    return _mask_middle(digits, keep_start=3, keep_end=4) if digits else MASK * len(phone)


def mask_id_number(number: str) -> str:
    """An ID number on its own: 320102199001011234 -> 3201**********1234."""
    compact = re.sub(r"\s", "", number).upper()
    return _mask_middle(compact, keep_start=4, keep_end=4)


def is_valid_id_number(number: str) -> bool:
    """True for an 18-digit resident ID whose check digit and birth date are valid (python-stdnum)."""
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
