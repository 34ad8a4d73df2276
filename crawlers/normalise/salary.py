"""Salary fields of listings: the crawler's names for ``zhtext.money`` (the one implementation)."""

from __future__ import annotations

from zhtext.money import Salary, parse_salary

__all__ = ["Salary", "parse_salary"]
