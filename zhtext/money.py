"""Money in ads: amounts with their period (800元, 1500块, 一千五, 2k, 8w, 1.5万, 200元/天), salary fields
as a monthly range, and the monthly-equivalent pay floors the risk model compares with the norm.

Conversions (the usual Chinese payroll conventions, 劳社部发〔2008〕3号):

* per day: × 21.75 (the statutory average number of paid working days per month);
* per hour: × 8 × 21.75 = × 174 (an 8-hour day);
* per week: × 52 / 12; per year (年薪): / 12;
* units: 千 / k = 1,000, 万 / w = 10,000, 百 = 100; in a range the unit of the upper end applies to a bare
  lower end (4-6千 = 4,000-6,000; 1-1.5万 = 10,000-15,000), but not when that would make the lower end larger
  (8000-1.2万).

Salary fields: ``·13薪`` (months paid per year) is recorded in ``months_paid`` and does not change the monthly
figures; 以上 / 起 / + give only a minimum, 以下 / 以内 / 最高 only a maximum, a single figure gives both;
面议 / 面谈 / 商议 set ``negotiable``; figures whose monthly value falls outside 100-1,000,000 CNY are skipped
(工作5天, dates, garbage); results are rounded to whole yuan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from zhtext.fold import fold
from zhtext.numerals import digitise
from zhtext.scan import led
from zhtext.spans import Span

Per = Literal["month", "day", "hour", "year", "piece"]

WORKING_DAYS_PER_MONTH = 21.75
HOURS_PER_DAY = 8
HOURS_PER_MONTH = WORKING_DAYS_PER_MONTH * HOURS_PER_DAY  # 174
_PERIOD_FACTORS = {
    "month": 1.0,
    "day": WORKING_DAYS_PER_MONTH,
    "hour": HOURS_PER_MONTH,
    "week": 52 / 12,
    "year": 1 / 12,
}
_UNIT_VALUES = {"万": 10_000, "w": 10_000, "千": 1_000, "k": 1_000, "百": 100, "": 1}
_SEP = r"\s*(?:-|~|至|到|—|–)\s*"

# --- amounts ---------------------------------------------------------------------------------------------

_FIGURE = r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万|w|k|千|百)?"
_CURRENCY = r"\s*(元|块|rmb)?"
_AMOUNT = led(_FIGURE + _CURRENCY + rf"(?:{_SEP}" + _FIGURE + _CURRENCY + ")?", re.IGNORECASE)
_PAY_BEFORE = re.compile(
    r"(月薪|月入|月收入|月工资|工资|底薪|薪资|薪水|薪酬|待遇|收入|保底|日结|日薪|日赚|日入|天薪|时薪|年薪|计件|提成)"
    r"[^\d,;。\s]{0,3}$"
)
_PER_AFTER = re.compile(r"^\s*(?:元|块)?\s*(?:/|每|一|一个)\s*(月|天|日|小时|时|h|年|件|个|单)")
_PER_NAMES: dict[str, Per] = {
    "月": "month",
    "天": "day",
    "日": "day",
    "小时": "hour",
    "时": "hour",
    "h": "hour",
    "年": "year",
    "件": "piece",
    "个": "piece",
    "单": "piece",
}
_PER_WORDS: dict[str, Per] = {
    "月薪": "month",
    "月入": "month",
    "月收入": "month",
    "月工资": "month",
    "日结": "day",
    "日薪": "day",
    "日赚": "day",
    "日入": "day",
    "天薪": "day",
    "时薪": "hour",
    "年薪": "year",
    "计件": "piece",
}


@dataclass(frozen=True, slots=True)
class Amount:
    """A sum of money in the text: where it is, its value in yuan, and the period it pays for (if said)."""

    span: Span
    value_yuan: float
    per: Per | None


def _range_amounts(low: str, low_unit: str | None, high: str, high_unit: str | None) -> tuple[float, float]:
    if not low_unit and high_unit:
        # 4-6千 shares the unit; 8000-1.2万 does not; 9-1.2万 means 9千.
        if float(low) <= float(high):
            low_unit = high_unit
        elif high_unit in ("万", "w") and float(low) < 10:
            low_unit = "千"
    return _value(low, low_unit), _value(high, high_unit)


def _value(number: str, unit: str | None) -> float:
    return float(number) * _UNIT_VALUES[(unit or "").lower()]


def _per(text: str, start: int, end: int) -> Per | None:
    """The period an amount at [start, end) pays for: said after it (/天) or by the pay word before it."""
    after = _PER_AFTER.search(text[end : end + 6])
    if after:
        return _PER_NAMES[after.group(1)]
    before = _PAY_BEFORE.search(text[max(0, start - 7) : start])
    return _PER_WORDS.get(before.group(1)) if before else None


def _is_money(match: re.Match[str], text: str, start: int) -> bool:
    """A unit (元, 块, 千, 万, k, w) or a pay word before it: bare numbers (8小时, phone numbers) are not money."""
    units = (match.group(2), match.group(3), match.group(5), match.group(6))
    return any(units) or bool(_PAY_BEFORE.search(text[max(0, start - 7) : start]))


def _written_in_words(text: str) -> bool:
    """八万, 三千五: a counted numeral with a large unit is an amount of money even without 元."""
    return any(char in "千万仟" for char in text)


def amounts(folded: str) -> list[Amount]:
    """Every sum of money in folded text (lower-cased or not); a range gives one Amount per end."""
    digits = digitise(folded)
    found: list[Amount] = []
    for match in _AMOUNT.finditer(digits.text):
        start, end = digits.source(match.start(), match.end())
        if not (_is_money(match, folded, start) or _written_in_words(folded[start:end])):
            continue
        per = _per(folded, start, end)
        lo, lo_unit, _, hi, hi_unit, _ = match.groups()
        if not hi:
            found.append(Amount(Span.of(folded, start, end), _value(lo, lo_unit), per))
            continue
        low, high = _range_amounts(lo, lo_unit, hi, hi_unit)
        low_end = digits.source(match.start(1), max(match.end(1), match.end(2), match.end(3)))[1]
        found.append(Amount(Span.of(folded, start, low_end), low, per))
        found.append(Amount(Span.of(folded, digits.source(match.start(4), match.end())[0], end), high, per))
    return found


# --- salary fields -----------------------------------------------------------------------------------

_PLAUSIBLE_MONTHLY = range(100, 1_000_001)
_NEGOTIABLE = re.compile(r"面议|面谈|商议|议价|待遇优厚")
_MONTHS_PAID = re.compile(r"[·•.,，/\s]*(\d{2})薪")
_YEAR = re.compile(r"年薪|/年|每年|一年|元年")
_DAY = re.compile(r"日薪|/天|/日|每天|一天|日结|天薪")
_HOUR = re.compile(r"时薪|/小时|/时|/h\b|每小时|一小时|小时工资")
_WEEK = re.compile(r"周薪|/周|每周|一周")
_NUMBER = r"(\d+(?:\.\d+)?)\s*(万|w|千|k|百)?"
_RANGE = re.compile(_NUMBER + r"\s*(?:元|rmb)?" + _SEP + _NUMBER)
# A lone figure right after a dash is the broken end of a range, not a salary of its own.
_SINGLE = led(r"(?<![-~至到—–－\d.])" + _NUMBER)
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
    return digitise(_DATE.sub(" ", _DIGIT_GROUPING.sub("", folded))).text


def _period(text: str) -> str:
    for name, pattern in (("year", _YEAR), ("hour", _HOUR), ("day", _DAY), ("week", _WEEK)):
        if pattern.search(text):
            return name
    return "month"


def _plausible(value: float, factor: float) -> bool:
    return round(value * factor) in _PLAUSIBLE_MONTHLY


def _salary_bounds(text: str, factor: float) -> tuple[float | None, float | None]:
    """The first range (else single figure) that is a plausible monthly pay; skips 工作5天-style numbers."""
    for ranged in _RANGE.finditer(text):
        low, high = sorted(_range_amounts(*ranged.groups()))
        if _plausible(low, factor) and _plausible(high, factor):
            return low, high
    single = next((m for m in _SINGLE.finditer(text) if _plausible(_value(*m.groups()), factor)), None)
    if single is None:
        return None, None
    value = _value(*single.groups())
    if _MIN_ONLY.search(text):
        return value, None
    if _MAX_ONLY.search(text):
        return None, value
    return value, value


def _monthly(value: float | None, factor: float) -> int | None:
    return None if value is None else round(value * factor)


def parse_salary(text: str | None) -> Salary:
    """Parse a salary string ("3000-5000元/月", "4-6千", "200元/天", "年薪10-15万", "面议") to monthly CNY."""
    folded = fold(text).lower()
    cleaned = _clean(folded)
    negotiable = bool(_NEGOTIABLE.search(cleaned))
    months = _MONTHS_PAID.search(cleaned)
    months_paid = int(months.group(1)) if months and 12 <= int(months.group(1)) <= 24 else None
    if months:
        cleaned = cleaned[: months.start()] + cleaned[months.end() :]
    factor = _PERIOD_FACTORS[_period(folded)]
    low, high = _salary_bounds(cleaned, factor)
    return Salary(_monthly(low, factor), _monthly(high, factor), negotiable, months_paid)


# --- pay floors (the risk model's "pay far above the norm") -------------------------------------------

_FLOOR_UNIT = {"万": 10_000.0, "w": 10_000.0, "k": 1_000.0, "千": 1_000.0, "元": 1.0, "": 1.0}
_PAY_WORDS = (
    "月薪|月入|月收入|月工资|工资|底薪|薪资|薪水|薪酬|待遇|收入|保底|日结|日薪|日赚|日入|一天|每天|时薪"
)
_PAY_WORD = re.compile(_PAY_WORDS)
_DAY_WORDS = frozenset({"日结", "日薪", "日赚", "日入", "一天", "每天"})
# A pay word, up to four characters (another pay word may be among them: "薪资:日结600"), the figure.
_PAY = re.compile(
    rf"({_PAY_WORDS})"
    r"[^\d,;。\s/|]{0,4}?"
    r"(?P<lo>\d+(?:\.\d+)?)\s*(?P<lo_unit>万|w|k|千|元)?"
    r"(?:\s*(?:-|~|至|到|—)\s*(?P<hi>\d+(?:\.\d+)?)\s*(?P<unit>万|w|k|千|元)?)?"
    r"(?P<per>\s*(?:元)?\s*(?:/月|/天|/日|一天|每天|/小时|/时|每小时|/年))?"
)
_PER_MONTH = led(r"(?<![\d.])(\d{4,6})(?:\s*-\s*\d{4,6})?\s*元\s*/\s*月")
_OVER_10K = re.compile(r"(月薪|月入|收入|工资|薪资|轻松|保底)[^\d,;。\s]{0,2}过万")
_NOT_A_WAGE = 1_000.0  # "工资3个月", "一天8小时": a figure this small after a pay word is not a wage


def _floor_monthly(match: re.Match[str]) -> float:
    """The monthly-equivalent floor of one pay mention (the range's lower end)."""
    unit = match.group("lo_unit") or match.group("unit") or ""
    value = float(match.group("lo")) * _FLOOR_UNIT[unit]
    lead = _PAY_WORD.findall(match.group(0)[: match.start("lo") - match.start()])
    per = (match.group("per") or "").strip()
    if match.string[match.start() - 1 : match.start()] == "年" or per.endswith("/年"):  # 年薪, 年收入
        return value / 12
    if per.endswith(("/天", "/日", "一天", "每天")) or (not per and lead[-1] in _DAY_WORDS):
        return value * WORKING_DAYS_PER_MONTH
    if per.endswith(("小时", "/时")) or (not per and lead[-1] == "时薪"):
        return value * HOURS_PER_MONTH
    return value


def monthly_pay_floors(folded: str) -> list[float]:
    """Monthly-equivalent lower bounds of every pay figure in folded, lower-cased text.

    Day rates x 21.75, hourly x 174, 年薪 / 12, "月入过万" = 10,000; the risk model's reading, kept as it was.
    """
    return list(_pay_floors(folded))


def pays_at_least(folded: str, monthly: float) -> bool:
    """Some pay figure in folded text is worth MONTHLY a month or more (``monthly_pay_floors``, read only
    as far as the first such figure)."""
    return any(floor >= monthly for floor in _pay_floors(folded))


def _pay_floors(folded: str) -> Iterator[float]:
    for _ in _OVER_10K.finditer(folded):
        yield 10_000.0
    for match in _PER_MONTH.finditer(folded):
        yield float(match.group(1))
    for match in _PAY.finditer(folded):
        value = _floor_monthly(match)
        if value >= _NOT_A_WAGE:
            yield value
