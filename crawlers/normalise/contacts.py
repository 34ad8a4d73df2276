"""Phone numbers, WeChat IDs and QQ numbers in ads, including the forms used to dodge filters.

Digits may be written as Chinese numerals (一三八, 壹叁捌, 幺 for 1), circled or keycap digits (①③⑧,
❶, 1️⃣) and be split by spaces, dashes, dots, slashes or other symbols ("1 3 8 . 1 2 3 4 ..."). The text is
turned into runs of digits joined by short symbol gaps; an 11-digit mobile number must fill a run or
end at a gap, so digits inside dates, salaries, ID numbers, licence numbers and credit codes never
become phones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawlers.normalise.numerals import DIGIT_CHARS
from store.text import fold_text

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0(?:10|2\d|[3-9]\d{2})[2-9]\d{6,7}")
_HOTLINE = re.compile(r"[48]00\d{7}")
# Dingbat digits that NFKC leaves alone: ❶-❾, ➀-➈, ➊-➒, ⓵-⓽.
_DINGBATS = {base + i: str(i + 1) for base in (0x2776, 0x2780, 0x278A, 0x24F5) for i in range(9)}
_DIGIT_VALUES = {**{str(d): str(d) for d in range(10)}, **DIGIT_CHARS}
_DIGIT = "[" + "".join(_DIGIT_VALUES) + "]"
# Separators seen inside obfuscated numbers; colons, commas and brackets are not (times, lists).
_RUN = re.compile(rf"{_DIGIT}(?:[\s\-‐‑–—―.·•/\\_~|*]{{0,3}}{_DIGIT})*")
_PHONE_PATTERNS = (("mobile", _MOBILE), ("landline", _LANDLINE), ("hotline", _HOTLINE))
_INVISIBLE = dict.fromkeys(map(ord, "\ufe0f\u20e3\u200b\u200c\u200d\u2060"))

_WECHAT_MARKER = re.compile(
    r"(?:微信|威信|薇信|维信|徽信|卫星|加薇|加微(?!信)|(?<![a-z])(?:v信|wechat|weixin|vx|wx|加v|\+v))"
    r"(?:号码|号|id)?(?:同号|同手机|同电话)?",
    re.IGNORECASE,
)
_QQ_MARKER = re.compile(r"(?:(?<![a-z])qq|扣扣|企鹅)(?:号码|号|群)?", re.IGNORECASE)
_ID_PREFIX = re.compile(r"[\s:：=＝是为~\-—(（)）]*(?:(?:同号|同手机号?|同电话)[\s:：=＝是为~\-—(（)）]*)?")
_WECHAT_ID = re.compile(r"[a-z][a-z0-9_-]{5,19}(?![a-z0-9_-])", re.IGNORECASE)
_SAME_AS_PHONE = re.compile(r"同号|同手机|同电话")


@dataclass(frozen=True)
class Contacts:
    """Contact details found in one ad."""

    phones: list[str] = field(default_factory=list)
    wechat_ids: list[str] = field(default_factory=list)
    qq_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Run:
    """Digits read from text[start:end]; ``breaks`` are digit indexes preceded by a gap."""

    start: int
    end: int
    digits: str
    breaks: frozenset[int]
    ends: tuple[int, ...]  # text offset just after each digit


def _prepare(text: str | None) -> str:
    return fold_text((text or "").translate(_INVISIBLE)).translate(_DINGBATS)


def _digit_runs(text: str) -> list[_Run]:
    """Maximal runs of digits in which neighbours are at most three separator characters apart."""
    runs: list[_Run] = []
    for match in _RUN.finditer(text):
        if match.end() - match.start() < 5:
            continue  # too short for a QQ number or a phone
        digits: list[str] = []
        ends: list[int] = []
        breaks: set[int] = set()
        previous_end = match.start()
        for offset in range(match.start(), match.end()):
            digit = _DIGIT_VALUES.get(text[offset])
            if digit is None:
                continue
            if digits and offset > previous_end:
                breaks.add(len(digits))
            digits.append(digit)
            ends.append(offset + 1)
            previous_end = offset + 1
        runs.append(_Run(match.start(), match.end(), "".join(digits), frozenset(breaks), tuple(ends)))
    return runs


def _numbers_in_run(run: _Run) -> list[tuple[str, int, int]]:
    """Phone numbers filling whole gap-delimited stretches of a run, with their text spans."""
    found: list[tuple[str, int, int]] = []
    position = 0
    while position < len(run.digits):
        phone = _phone_at(run.digits, position, run.breaks)
        if phone is None:
            # A number never starts inside a digit group: go on from the next gap.
            position = min((b for b in run.breaks if b > position), default=len(run.digits))
            continue
        number, end = phone
        found.append((number, run.ends[position] - 1, run.ends[end - 1]))
        position = end
    return found


def _grouped_like_a_phone(kind: str, number: str, inner_breaks: set[int], whole_run: bool) -> bool:
    """Phone-like digit grouping: none, one digit per group, the usual 3-4-4 / area-code splits, or any
    split of a mobile number that is all the digits around (13 81 23 45 678)."""
    if not inner_breaks or len(inner_breaks) == len(number) - 1 or (kind == "mobile" and whole_run):
        return True
    if kind == "mobile":
        allowed = {3, 4, 7, 8}
    elif kind == "landline":
        area = 3 if number[1] in "12" else 4
        allowed = {area, area + 3, area + 4}
    else:
        allowed = {3, 6, 7}
    return inner_breaks <= allowed


def _phone_at(digits: str, position: int, breaks: frozenset[int]) -> tuple[str, int] | None:
    """The phone number at ``position`` (after an optional 86) and where it ends, if it ends at a gap."""
    for begin in (position + 2, position) if digits.startswith("86", position) else (position,):
        for kind, pattern in _PHONE_PATTERNS:
            match = pattern.match(digits, begin)
            if not match or (match.end() != len(digits) and match.end() not in breaks):
                continue
            inner = {b - begin for b in breaks if begin < b < match.end()}
            whole_run = position == 0 and match.end() == len(digits)
            if _grouped_like_a_phone(kind, match.group(), inner, whole_run):
                return match.group(), match.end()
    return None


def _phone_spans(prepared: str) -> list[tuple[str, int, int]]:
    return [found for run in _digit_runs(prepared) for found in _numbers_in_run(run)]


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def find_phones(text: str | None) -> list[str]:
    """Mobile, landline and 400/800 numbers as plain digits, deduplicated, in order of appearance."""
    return _dedupe([number for number, _, _ in _phone_spans(_prepare(text))])


def _wechat_after(
    prepared: str, marker_end: int, phones: list[tuple[str, int, int]]
) -> tuple[str, int] | None:
    """The ID right after a marker (a letter-first ID or a phone number) and where it ends."""
    lead = _ID_PREFIX.match(prepared, marker_end)
    begin = lead.end() if lead else marker_end
    wechat = _WECHAT_ID.match(prepared, begin)
    if wechat:
        return wechat.group(), wechat.end()
    for number, start, end in phones:
        if begin <= start <= begin + 2:
            return number, end
    return None


def find_wechat_ids(text: str | None) -> list[str]:
    """WeChat IDs after a marker (微信, V信, 威信, vx, wx, 加薇, 卫星 ...); a phone number used as the ID
    counts, and "微信同号" means the ad's phone number."""
    prepared = _prepare(text)
    phones = _phone_spans(prepared)
    found: list[str] = []
    consumed = 0  # "wx" inside an ID already read is not another marker
    for marker in _WECHAT_MARKER.finditer(prepared):
        if marker.start() < consumed:
            continue
        after = _wechat_after(prepared, marker.end(), phones)
        if after is not None:
            found.append(after[0])
            consumed = after[1]
        elif _SAME_AS_PHONE.search(marker.group()) and phones:
            found.append(min(phones, key=lambda p: abs(p[1] - marker.start()))[0])
    return _dedupe(found)


def find_qq_ids(text: str | None) -> list[str]:
    """QQ numbers (5-11 digits, obfuscated forms included) after QQ, 扣扣 or 企鹅."""
    prepared = _prepare(text)
    runs = _digit_runs(prepared)
    found: list[str] = []
    for marker in _QQ_MARKER.finditer(prepared):
        lead = _ID_PREFIX.match(prepared, marker.end())
        begin = lead.end() if lead else marker.end()
        run = next((r for r in runs if r.start == begin), None)
        if run and 5 <= len(run.digits) <= 11 and run.digits[0] != "0":
            found.append(run.digits)
    return _dedupe(found)


def extract_contacts(text: str | None) -> Contacts:
    """All phones, WeChat IDs and QQ numbers in an ad."""
    return Contacts(find_phones(text), find_wechat_ids(text), find_qq_ids(text))
