"""Age requirements in job ads ("16-35周岁", "年满十六周岁", "45岁以下", "年龄不限").

Only numbers in an age context are read: followed by 岁/周岁, or right after 年龄; a salary such as
"3000-5000" is never an age. When an ad states several bounds the widest range is reported: the
lowest lower bound and the highest upper bound ("18-35岁，16-18岁的学生也可" -> 16-35), because
the youngest age an ad accepts is what matters for child-labour risk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawlers.normalise.numerals import replace_cn_numbers
from store.text import fold_text

_AGE = r"(?<!\d)(\d{1,2})"
_YEARS = r"\s*周?岁"
_SEP = r"\s*(?:-|~|至|到|—|–|－)\s*"
_RANGES = (
    re.compile(_AGE + rf"(?:{_YEARS})?{_SEP}" + _AGE + _YEARS),
    re.compile(r"年龄(?:要求)?\s*[:：为在]?\s*" + _AGE + _SEP + _AGE + r"(?!\d)"),
)
_LOWER = (
    re.compile(r"(?<![不未])(?:年满|满|超过|大于|不低于|不小于)\s*" + _AGE + _YEARS),
    re.compile(_AGE + _YEARS + r"\s*(?:以上|及以上|或以上|起|即可|就可以|就行|可以|也可|均可)"),
    # A refusal of younger people states a lower bound: 不招收未满16周岁, 禁止招用16岁以下.
    re.compile(
        r"(?:不招|不收|不要|禁止|拒绝|严禁)[^。，,;；]{0,8}?(?:未满|不满|低于|小于)\s*" + _AGE + _YEARS
    ),
    re.compile(r"(?:不招|不收|不要|禁止|拒绝|严禁)[^。，,;；]{0,8}?" + _AGE + _YEARS + r"\s*以下"),
)
_UPPER = (
    re.compile(r"(?<!未)(?<!不)(?:不超过|不大于|不高于|小于|低于)\s*" + _AGE + _YEARS),
    re.compile(_AGE + _YEARS + r"\s*(?:以下|以内|及以下|之内)"),
)
# Not refused (those were read as lower bounds first): 未满16周岁的也可 accepts up to 15.
_UNDER = re.compile(r"(?:未满|不满)\s*" + _AGE + _YEARS)
_BARE = re.compile(_AGE + _YEARS)
_ANY_AGE = re.compile(r"不限年龄|年龄\s*[:：]?\s*不限|年龄无要求|无年龄要求|年龄要求\s*[:：]?\s*不限")
_PLAUSIBLE = range(8, 81)
_YI_DASH = re.compile(r"(?<=[\d岁])\s*一\s*(?=\d)")


@dataclass(frozen=True)
class AgeRange:
    """Accepted ages, inclusive; None where the ad sets no bound."""

    min: int | None = None
    max: int | None = None


def _prepare(text: str | None) -> str:
    # 16岁一45岁 uses 一 as a dash; turn it into one before numerals become digits.
    folded = _YI_DASH.sub("-", fold_text(text))
    return replace_cn_numbers(folded) if re.search(r"[一二三四五六七八九十两]", folded) else folded


def _bounds(text: str) -> tuple[list[int], list[int]]:
    """All lower and upper bounds stated in age contexts; a bare "16岁" counts as both."""
    lowers: list[int] = []
    uppers: list[int] = []
    used: set[int] = set()  # start offsets of numbers already read, so no age is read twice
    for pattern in _RANGES:
        for match in pattern.finditer(text):
            low, high = sorted((int(match.group(1)), int(match.group(2))))
            if low in _PLAUSIBLE and high in _PLAUSIBLE and match.start(1) not in used:
                lowers.append(low)
                uppers.append(high)
                used.update((match.start(1), match.start(2)))
    single_bounds = (
        (_LOWER, (lowers,), 0),
        (_UPPER, (uppers,), 0),
        ((_UNDER,), (uppers,), -1),
        ((_BARE,), (lowers, uppers), 0),
    )
    for patterns, targets, offset in single_bounds:
        for pattern in patterns:
            for match in pattern.finditer(text):
                age = int(match.group(1))
                if match.start(1) in used or age not in _PLAUSIBLE:
                    continue
                used.add(match.start(1))
                for bounds in targets:
                    bounds.append(age + offset)
    return lowers, uppers


def find_age_requirement(text: str | None) -> AgeRange | None:
    """The age requirement stated anywhere in an ad body; None when it says nothing about age."""
    prepared = _prepare(text)
    lowers, uppers = _bounds(prepared)
    if lowers or uppers:
        return AgeRange(min(lowers) if lowers else None, max(uppers) if uppers else None)
    return AgeRange() if _ANY_AGE.search(prepared) else None


def parse_age(text: str | None) -> AgeRange:
    """Parse an age field ("16-35周岁", "18岁以上", "年龄不限"); AgeRange(None, None) when open or unknown."""
    return find_age_requirement(text) or AgeRange()
