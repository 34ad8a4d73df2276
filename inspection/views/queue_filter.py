"""What a work queue shows: one value object for the filters the queue page, the API, saved filters, the
CSV export and `labourwatch tasks list` share (parsed from requests in inspection/web/filters.py)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["OPEN_FILTER", "QueueFilter"]

OPEN_FILTER = "open"  # status filter meaning every state except closed


@dataclass(frozen=True)
class QueueFilter:
    """The chosen filters of a queue; the defaults show everything in the user's remit."""

    risk_type: str | None = None
    region: str | None = None  # a region code inside the user's region
    status: str | None = None  # a TaskStatus, or OPEN_FILTER for every state but closed
    q: str | None = None  # Chinese text matched by bigrams (docs/inspection.md)
    overdue_only: bool = False
    assigned_to_me: bool = False

    def chosen(self) -> dict[str, Any]:
        """The filters that narrow the queue (set, not False), in field order (for the audit log)."""
        return {k: v for k, v in asdict(self).items() if v not in (None, False)}
