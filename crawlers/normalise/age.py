"""Age requirements of listings: the crawler's names for ``zhtext.ages`` (the one implementation)."""

from __future__ import annotations

from zhtext.ages import AgeRange, age_requirement

__all__ = ["AgeRange", "find_age_requirement", "parse_age"]


def find_age_requirement(text: str | None) -> AgeRange | None:
    """The age requirement stated anywhere in an ad body; None when it says nothing about age."""
    return age_requirement(text)


def parse_age(text: str | None) -> AgeRange:
    """Parse an age field ("16-35周岁", "18岁以上", "年龄不限"); AgeRange(None, None) when open or unknown."""
    return age_requirement(text) or AgeRange()
