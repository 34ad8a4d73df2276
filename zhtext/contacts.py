"""Contacts in ads: phone numbers, WeChat and QQ IDs, e-mail addresses, including the forms that dodge filters.

Digits may be written as Chinese numerals (一三八, 壹叁捌, 幺 for 1), circled, keycap, dingbat or
full-width digits (①③⑧, 1️⃣, ❶, １３８) and be split by spaces, dashes, dots, slashes or emoji. The folded
text is read as runs of digits joined by short separator gaps; a phone number must fill a run or end at a
gap, so digits inside dates, salaries, ID numbers, licence numbers and credit codes never become phones.
Every finder returns ``Mention``s whose positions point into the text as written, so masking and evidence
work on the original.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from zhtext.fold import fold_mapped
from zhtext.numerals import DIGIT_CHARS
from zhtext.scan import led
from zhtext.spans import Span

Kind = Literal["mobile", "landline", "hotline", "wechat", "qq", "email", "id_number", "passport"]
PHONE_KINDS = frozenset({"mobile", "landline", "hotline"})


@dataclass(frozen=True, slots=True)
class Mention:
    """A contact or piece of personal data: its kind, its normalised value and where it is written.

    ``positions`` holds, for each character of ``value``, the index of the original character it was read
    from, so a mask can hide exactly those characters and keep every separator as written.
    """

    kind: Kind
    value: str
    positions: tuple[int, ...]

    @property
    def start(self) -> int:
        return self.positions[0]

    @property
    def end(self) -> int:
        return self.positions[-1] + 1


_DIGIT_VALUES = {**{str(d): str(d) for d in range(10)}, **DIGIT_CHARS}
# Dingbat digits that NFKC leaves alone: ❶-❾, ➀-➈, ➊-➒, ⓵-⓽.
_DINGBATS = {chr(base + i): str(i + 1) for base in (0x2776, 0x2780, 0x278A, 0x24F5) for i in range(9)}
# Variation selectors and joiners: a keycap digit is "1\ufe0f\u20e3", and zero-width characters are slipped
# between digits to beat keyword filters.
_INVISIBLE = "\ufe0e\ufe0f\u20e3\u200b\u200c\u200d\u2060\ufeff"
_SPECIAL = re.compile("[" + _INVISIBLE + "".join(_DINGBATS) + "]")

_DIGIT = "[" + "".join(_DIGIT_VALUES) + "]"
# Separators seen inside obfuscated numbers, emoji included; colons, commas and brackets are not (times,
# lists). A landline's area code may stand in brackets: (025)8400 1234.
_SEPARATOR = r"[\s\-‐‑–—―.·•/\\_~|*\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]"
_RUN = led(
    rf"(?:\((?=0)\d{{3,4}}\)\s?)?{_DIGIT}(?:{_SEPARATOR}{{0,3}}{_DIGIT})*",
)
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0(?:10|2\d|[3-9]\d{2})[2-9]\d{6,7}")
_HOTLINE = re.compile(r"[48]00\d{7}")
_PHONE_PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("mobile", _MOBILE),
    ("landline", _LANDLINE),
    ("hotline", _HOTLINE),
)
# A local number without its area code counts only right after a phone word (电话:5221234): seven or
# eight digits alone are far more often prices, counts or codes.
_PHONE_MARKER = led(r"(?:电话|座机|固话|(?<![a-z])(?:tel|phone))(?:号码|号)?[\s:=是为]*", re.IGNORECASE)
_LOCAL_NUMBER = re.compile(r"[2-8]\d{6,7}")

_WECHAT_MARKER = led(
    r"(?:[微威薇维徽][\s.·]?信|卫星|绿泡泡|加[微薇](?!信)|[微薇]❤|🛰"
    r"|(?<![a-z])(?:v信|wechat|weixin|vx|wx|加v|\+v|➕v)"
    r"|(?<![a-z0-9])v(?=\s?[:=]|同号))"  # a bare V only as "V:" or "v同号"
    r"(?:号码|号|id)?(?:同号|同手机|同电话)?",
    re.IGNORECASE,
)
_QQ_MARKER = led(r"(?:(?<![a-z])qq|扣扣|企鹅|(?<![a-z])q号)(?:号码|号|群)?", re.IGNORECASE)
_ID_PREFIX = re.compile(r"[\s:=是为~\-—()]*(?:(?:同号|同手机号?|同电话)[\s:=是为~\-—()]*)?")
_WECHAT_ID = re.compile(r"[a-z][a-z0-9_-]{5,19}(?![a-z0-9_-])", re.IGNORECASE)
_SAME_AS_PHONE = re.compile(r"同号|同手机|同电话")
_EMAIL = re.compile(r"(?<![a-z0-9._%+-])[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Prepared:
    """Folded text without invisible characters, dingbat digits read; ``origin`` maps back to the original."""

    text: str
    origin: tuple[int, ...]

    def mention(self, kind: Kind, start: int, end: int) -> Mention:
        """The prepared characters [start, end) as written, one position per character."""
        return Mention(kind, self.text[start:end], self.origin[start:end])

    def index_of(self, original: int) -> int:
        """The last prepared index read from original index ``original`` (⑩ gives two)."""
        return bisect_right(self.origin, original) - 1


def prepare(text: str | None) -> Prepared:
    """Fold ``text`` for contact finding, keeping each character's original index."""
    folded = fold_mapped(text)
    if not _SPECIAL.search(folded.text):
        return Prepared(folded.text, folded.origin)
    chars: list[str] = []
    origin: list[int] = []
    for char, at in zip(folded.text, folded.origin, strict=True):
        if char not in _INVISIBLE:
            chars.append(_DINGBATS.get(char, char))
            origin.append(at)
    return Prepared("".join(chars), tuple(origin))


@dataclass(frozen=True, slots=True)
class _Run:
    """Digits read from prepared text[start:end]; ``at`` is each digit's index, ``breaks`` are the digit
    indexes preceded by a gap."""

    start: int
    end: int
    digits: str
    at: tuple[int, ...]
    breaks: frozenset[int]


def _digit_runs(text: str) -> list[_Run]:
    """Maximal runs of digits in which neighbours are at most three separator characters apart."""
    runs: list[_Run] = []
    for match in _RUN.finditer(text):
        if match.end() - match.start() < 5:
            continue  # too short for a QQ number or a phone
        if match[0].isascii() and match[0].isdigit():  # plain figures: each digit is itself, no gaps
            runs.append(_Run(match.start(), match.end(), match[0], tuple(range(*match.span())), frozenset()))
            continue
        digits: list[str] = []
        at: list[int] = []
        breaks: set[int] = set()
        for offset in range(match.start(), match.end()):
            digit = _DIGIT_VALUES.get(text[offset])
            if digit is None:
                continue
            if at and offset > at[-1] + 1:
                breaks.add(len(digits))
            digits.append(digit)
            at.append(offset)
        runs.append(_Run(match.start(), match.end(), "".join(digits), tuple(at), frozenset(breaks)))
    return runs


def area_code_length(number: str) -> int:
    """Length of a landline's area code (010, 025: 3; 0512: 4), 0 for a number without one."""
    if not number.startswith("0") or len(number) < 2:
        return 0
    return 3 if number[1] in "12" else 4


def _grouped_like_a_phone(kind: Kind, number: str, inner_breaks: set[int], whole_run: bool) -> bool:
    """Phone-like digit grouping: none, one digit per group, the usual 3-4-4 / area-code splits, or any
    split of a mobile number that is all the digits around (13 81 23 45 678)."""
    if not inner_breaks or len(inner_breaks) == len(number) - 1 or (kind == "mobile" and whole_run):
        return True
    if kind == "mobile":
        allowed = {3, 4, 7, 8}
    elif kind == "landline":
        area = area_code_length(number)
        allowed = {area, area + 3, area + 4}
    else:
        allowed = {3, 6, 7}
    return inner_breaks <= allowed


def _phone_at(run: _Run, position: int) -> tuple[Kind, int, int] | None:
    """The phone number at digit ``position`` (after an optional 86): kind, first and end digit index."""
    digits = run.digits
    for begin in (position + 2, position) if digits.startswith("86", position) else (position,):
        for kind, pattern in _PHONE_PATTERNS:
            match = pattern.match(digits, begin)
            if not match or (match.end() != len(digits) and match.end() not in run.breaks):
                continue
            inner = {b - begin for b in run.breaks if begin < b < match.end()}
            whole_run = position == 0 and match.end() == len(digits)
            if _grouped_like_a_phone(kind, match.group(), inner, whole_run):
                return kind, begin, match.end()
    return None


def _phones_in_run(prepared: Prepared, run: _Run) -> list[Mention]:
    """Phone numbers filling whole gap-delimited stretches of a run."""
    found: list[Mention] = []
    position = 0
    while position < len(run.digits):
        phone = _phone_at(run, position)
        if phone is None:
            # A number never starts inside a digit group: go on from the next gap.
            position = min((b for b in run.breaks if b > position), default=len(run.digits))
            continue
        kind, begin, end = phone
        positions = tuple(prepared.origin[i] for i in run.at[begin:end])
        found.append(Mention(kind, run.digits[begin:end], positions))
        position = end
    return found


def _local_number(prepared: Prepared, run: _Run) -> Mention | None:
    """A 7- or 8-digit number without area code filling the run, grouped as one (522 1234, 6666 8888)."""
    if not _LOCAL_NUMBER.fullmatch(run.digits) or not run.breaks <= {3, 4}:
        return None
    return Mention("landline", run.digits, tuple(prepared.origin[i] for i in run.at))


def _phones(prepared: Prepared, runs: list[_Run]) -> list[Mention]:
    found = [phone for run in runs for phone in _phones_in_run(prepared, run)]
    taken = {phone.start for phone in found}
    for marker in _PHONE_MARKER.finditer(prepared.text):
        run = _run_at(runs, marker.end())
        local = _local_number(prepared, run) if run else None
        if local and local.start not in taken:
            found.append(local)
    return sorted(found, key=lambda m: m.start)


def _run_at(runs: list[_Run], start: int) -> _Run | None:
    return next((run for run in runs if run.start == start), None)


def _id_start(prepared: Prepared, marker_end: int) -> int:
    """Where an ID begins after a marker: past colons, brackets and "同号"."""
    lead = _ID_PREFIX.match(prepared.text, marker_end)
    return lead.end() if lead else marker_end


def _wechat_after(prepared: Prepared, begin: int, phones: list[Mention]) -> tuple[Mention, int] | None:
    """The ID right at ``begin`` (a letter-first ID or a phone number) and where it ends."""
    wechat = _WECHAT_ID.match(prepared.text, begin)
    if wechat:
        return prepared.mention("wechat", wechat.start(), wechat.end()), wechat.end()
    for phone in phones:
        if begin <= prepared.index_of(phone.start) <= begin + 2:
            return Mention("wechat", phone.value, phone.positions), prepared.index_of(phone.end - 1) + 1
    return None


def _wechat_ids(prepared: Prepared, phones: list[Mention]) -> list[Mention]:
    found: list[Mention] = []
    consumed = 0  # "wx" inside an ID already read is not another marker
    for marker in _WECHAT_MARKER.finditer(prepared.text):
        if marker.start() < consumed:
            continue
        after = _wechat_after(prepared, _id_start(prepared, marker.end()), phones)
        if after is not None:
            found.append(after[0])
            consumed = after[1]
        elif _SAME_AS_PHONE.search(marker.group()) and phones:
            at = prepared.origin[marker.start()]
            nearest = min(phones, key=lambda p: abs(p.start - at))
            found.append(Mention("wechat", nearest.value, nearest.positions))
    return found


def _qq_ids(prepared: Prepared, runs: list[_Run]) -> list[Mention]:
    """QQ numbers (5-11 digits) only right after a QQ marker: a bare digit run is never a QQ number."""
    found: list[Mention] = []
    for marker in _QQ_MARKER.finditer(prepared.text):
        run = _run_at(runs, _id_start(prepared, marker.end()))
        if run and 5 <= len(run.digits) <= 11 and run.digits[0] != "0":
            found.append(Mention("qq", run.digits, tuple(prepared.origin[i] for i in run.at)))
    return found


def _emails(prepared: Prepared) -> list[Mention]:
    if "@" not in prepared.text:  # full-width ＠ is folded to @ already
        return []
    return [prepared.mention("email", m.start(), m.end()) for m in _EMAIL.finditer(prepared.text)]


def contacts_in(prepared: Prepared) -> list[Mention]:
    """Every contact in prepared text, phones first, then WeChat, QQ and e-mail, each in text order."""
    runs = _digit_runs(prepared.text)
    phones = _phones(prepared, runs)
    return [*phones, *_wechat_ids(prepared, phones), *_qq_ids(prepared, runs), *_emails(prepared)]


def find_contacts(text: str | None) -> list[Mention]:
    """Phones (mobile, landline, 400/800 hotline), WeChat and QQ IDs and e-mail addresses in ``text``."""
    return contacts_in(prepare(text)) if text else []


def find_phones(text: str | None) -> list[Mention]:
    """Mobile, landline and 400/800 numbers, plain or obfuscated, in text order."""
    if not text:
        return []
    prepared = prepare(text)
    return _phones(prepared, _digit_runs(prepared.text))


def mobile_numbers(text: str | None) -> list[str]:
    """The distinct mainland mobile numbers in ``text`` (folded or not) as 11 digits, plain or disguised."""
    return distinct(m.value for m in find_phones(text) if m.kind == "mobile")


def distinct(values: Iterable[str]) -> list[str]:
    """Values without repeats, in first-seen order."""
    return list(dict.fromkeys(values))


# Eleven or more digits (in figures or words) with at most three separators between each: where a mobile
# number may hide. A cheap first pass before the full scan, for callers that only ask "is there one?".
_LONG_RUN = re.compile(rf"{_DIGIT}(?:{_SEPARATOR}{{0,3}}{_DIGIT}){{10,}}")


def mobile_span(text: str) -> Span | None:
    """Where the first mainland mobile number (plain or disguised) stands in TEXT, or None."""
    for match in _LONG_RUN.finditer(text):
        if mobile_numbers(match.group()):
            return Span(match.start(), match.end(), match.group())
    if _SPECIAL.search(text) and mobile_numbers(text):  # dingbat or zero-width tricks: the full scan
        return Span(0, 0, "")
    return None
