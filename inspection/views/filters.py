"""Shared pieces of the read side: what counts as overdue, and the indexed region filter."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_

from inspection.access import region_prefix
from store.enums import NOT_OVERDUE_STATUSES

__all__ = ["NOT_OVERDUE_STATUSES", "is_overdue", "region_filter"]


def is_overdue(task: Any, now: datetime) -> bool:
    """True when TASK is past its due date and its field work is not done."""
    return task.due_at is not None and task.due_at < now and task.status not in NOT_OVERDUE_STATUSES


def region_filter(column: Any, code: str) -> ColumnElement[bool]:
    """COLUMN lies in region CODE: equality for a county, a code-prefix LIKE for a city or province."""
    prefix = region_prefix(code)
    if len(prefix) == 6:
        return column == prefix
    # Region codes are six digits: the range lets a B-tree index find a city's or province's rows (a LIKE
    # prefix cannot use one outside the C collation); the LIKE keeps any other value out.
    rest = 6 - len(prefix)
    return and_(column >= prefix + "0" * rest, column <= prefix + "9" * rest, column.like(prefix + "%"))
