"""The task CSV export: every task of a queue as TaskViews (masked for the viewer), streamed in batches.

Cells are neutralised against formula injection from crawled titles; the web layer words headers and
values for people (inspection/web/pages/overview.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session

from inspection.views.queries import ordered_ids, task_views
from inspection.views.queue_filter import QueueFilter
from inspection.views.task_view import TaskView
from store.csvout import csv_text
from store.models import User
from store.types import utcnow

__all__ = ["CSV_COLUMNS", "EXPORT_BATCH", "export_tasks_csv", "iter_tasks_csv"]

CSV_COLUMNS = ("id", "title", "risk_type", "agency", "region_code", "region_name", "status", "origin",
               "priority", "score", "assignee", "due_at", "overdue", "created_at", "updated_at")  # fmt: skip


EXPORT_BATCH = 500  # tasks read per query while streaming an export


def iter_tasks_csv(
    session: Session,
    *,
    user: User,
    filters: QueueFilter | None = None,
    now: datetime | None = None,
    batch_size: int = EXPORT_BATCH,
    header: Sequence[str] = CSV_COLUMNS,
    cell: Callable[[str, Any], Any] | None = None,
) -> Iterator[str]:
    """Every task of the queue as CSV text chunks (header first, then one chunk per batch of tasks).

    HEADER and CELL(column, value) let the web layer word the columns and values for people.

    Access is checked and the matching ids are found before this returns (so AccessDenied is raised here,
    not half-way through a download); the rows are read BATCH_SIZE at a time as the chunks are consumed.
    """
    now = now or utcnow()
    ids = ordered_ids(session, user, filters or QueueFilter(), now=now)
    return _csv_chunks(session, user, ids, now=now, batch_size=max(1, batch_size), header=header, cell=cell)


def _csv_chunks(
    session: Session,
    user: User,
    ids: list[int],
    *,
    now: datetime,
    batch_size: int,
    header: Sequence[str],
    cell: Callable[[str, Any], Any] | None,
) -> Iterator[str]:
    yield "\ufeff" + csv_text([header])
    for start in range(0, len(ids), batch_size):
        items = task_views(session, user, ids[start : start + batch_size], now)
        yield csv_text(_csv_row(item, cell) for item in items)


def _csv_row(item: TaskView, cell: Callable[[str, Any], Any] | None = None) -> list[Any]:
    row = (item.id, item.title, item.risk_type, item.agency, item.region_code, item.region_name, item.status,
           item.origin, item.priority, item.score, item.assignee_name, item.due_at, item.overdue,
           item.created_at, item.updated_at)  # fmt: skip
    if cell is not None:
        row = tuple(cell(name, value) for name, value in zip(CSV_COLUMNS, row, strict=True))
    return list(row)  # cells made safe for spreadsheets by store.csvout


def export_tasks_csv(
    session: Session, *, user: User, filters: QueueFilter | None = None, now: datetime | None = None
) -> str:
    """The whole queue as CSV (UTF-8 with BOM so Excel opens Chinese correctly); titles masked for analysts."""
    return "".join(iter_tasks_csv(session, user=user, filters=filters, now=now))
