"""Salary strings from Chinese job ads to a monthly CNY range.

Conversions (the usual Chinese payroll conventions):

* monthly figures are kept as they are; ``·13薪`` (months paid per year) is recorded in ``months_paid`` and
  does not change the monthly figures;
* per day: × 21.75 (the statutory average number of paid working days per month);
* per hour: × 8 × 21.75 (an 8-hour day);
* per week: × 52 / 12;
* per year (年薪): / 12;
* units: 千 / k = 1,000, 万 / w = 10,000, 百 = 100; in a range the unit of the upper end applies to a bare
  lower end (4-6千 = 4,000-6,000; 1-1.5万 = 10,000-15,000), but not when that would make the lower end larger
  (8000-1.2万); results are rounded to whole yuan;
* 以上 / 起 / + give only a minimum, 以下 / 以内 / 最高 only a maximum, a single figure gives both;
* 面议 / 面谈 / 商议 set ``negotiable``; with no figures the range is unknown.

Figures whose monthly value falls outside 100-1,000,000 CNY are skipped (工作5天, dates, garbage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawlers.normalise.numerals import replace_cn_numbers
from store.text import fold_text

WORKING_DAYS_PER_MONTH = 21.75
HOURS_PER_DAY = 8
_PERIOD_FACTORS = {
    "month": 1.0,
    "day": WORKING_DAYS_PER_MONTH,
    "hour": WORKING_DAYS_PER_MONTH * HOURS_PER_DAY,
    "week": 52 / 12,
    "year": 1 / 12,
}
_UNIT_VALUES = {"万": 10_000, "w": 10_000, "千": 1_000, "k": 1_000, "百": 100, "": 1}
_PLAUSIBLE = range(100, 1_000_001)

_NEGOTIABLE = re.compile(r"面议|面谈|商议|议价|待遇优厚")
_MONTHS_PAID = re.compile(r"[·•.,，/\s]*(\d{2})薪")
_YEAR = re.compile(r"年薪|/年|每年|一年|元年")
_DAY = re.compile(r"日薪|/天|/日|每天|一天|日结|天薪")
_HOUR = re.compile(r"时薪|/小时|/时|/h\b|每小时|一小时|小时工资")
_WEEK = re.compile(r"周薪|/周|每周|一周")
_NUMBER = r"(\d+(?:\.\d+)?)\s*(万|w|千|k|百)?"
_RANGE = re.compile(_NUMBER + r"\s*(?:元|rmb)?\s*(?:-|~|至|到|—|–|－)\s*" + _NUMBER)
# A lone figure right after a dash is the broken end of a range, not a salary of its own.
_SINGLE = re.compile(r"(?<![-~至到—–－\d.])" + _NUMBER)
_DATE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?")
_MIN_ONLY = re.compile(r"以上|起|\+|及以上|不低于|最低|保底|底薪")
_MAX_ONLY = re.compile(r"以下|以内|最高|不超过|封顶")
_DIGIT_GROUPING = re.compile(r"(?<=\d),(?=\d{3})")


@dataclass(frozen=True)
class Salary:
    """A monthly CNY range; None where unknown. ``months_paid`` is the 13薪-style months per year."""

    min_monthly: int | None = None
    max_monthly: int | None = None
    negotiable: bool = False
    months_paid: int | None = None


def _clean(folded: str) -> str:
    text = _DATE.sub(" ", _DIGIT_GROUPING.sub("", folded))
    return replace_cn_numbers(text) if re.search(r"[一二三四五六七八九十两千百万]", text) else text


def _period(text: str) -> str:
    for name, pattern in (("year", _YEAR), ("hour", _HOUR), ("day", _DAY), ("week", _WEEK)):
        if pattern.search(text):
            return name
    return "month"


def _amount(number: str, unit: str | None) -> float:
    return float(number) * _UNIT_VALUES[unit or ""]


def _range_amounts(match: re.Match[str]) -> tuple[float, float]:
    low, low_unit, high, high_unit = match.groups()
    if not low_unit and high_unit:
        # 4-6千 shares the unit; 8000-1.2万 does not; 9-1.2万 means 9千.
        if float(low) <= float(high):
            low_unit = high_unit
        elif high_unit in ("万", "w") and float(low) < 10:
            low_unit = "千"
    return _amount(low, low_unit), _amount(high, high_unit)


def _plausible(value: float, factor: float) -> bool:
    return round(value * factor) in _PLAUSIBLE


def _bounds(text: str, factor: float) -> tuple[float | None, float | None]:
    """The first range (else single figure) that is a plausible monthly pay; skips 工作5天-style numbers."""
    for ranged in _RANGE.finditer(text):
        low, high = sorted(_range_amounts(ranged))
        if _plausible(low, factor) and _plausible(high, factor):
            return low, high
    single = next((m for m in _SINGLE.finditer(text) if _plausible(_amount(*m.groups()), factor)), None)
    if single is None:
        return None, None
    value = _amount(*single.groups())
    if _MIN_ONLY.search(text):
        return value, None
    if _MAX_ONLY.search(text):
        return None, value
    return value, value


def _monthly(value: float | None, factor: float) -> int | None:
    return None if value is None else round(value * factor)


def parse_salary(text: str | None) -> Salary:
    """Parse a salary string ("3000-5000元/月", "4-6千", "200元/天", "年薪10-15万", "面议") to monthly CNY."""
    folded = fold_text(text).lower()
    cleaned = _clean(folded)
    negotiable = bool(_NEGOTIABLE.search(cleaned))
    months = _MONTHS_PAID.search(cleaned)
    months_paid = int(months.group(1)) if months and 12 <= int(months.group(1)) <= 24 else None
    if months:
        cleaned = cleaned[: months.start()] + cleaned[months.end() :]
    factor = _PERIOD_FACTORS[_period(folded)]
    low, high = _bounds(cleaned, factor)
    min_monthly, max_monthly = _monthly(low, factor), _monthly(high, factor)
    return Salary(min_monthly, max_monthly, negotiable, months_paid)
