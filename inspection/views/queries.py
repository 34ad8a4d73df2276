"""Read side: work queues, task details, dashboards and CSV export, with access and PII rules applied.

Nothing here returns personal data the user may not see: listing text, contacts, tip text, notes and
victims pass through ``inspection.access.mask_for``. ``task_detail`` appends an audit event when it shows
personal data (so the caller commits, as for any service).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlmodel import Session, col

from inspection.access import (
    AccessDenied,
    agencies_for,
    can_see_region,
    mask_for,
)
from inspection.views.case_file import EvidenceView, FindingView, TaskDetail, task_detail
from inspection.views.dashboard import Dashboard, RegionStats, dashboard
from inspection.views.filters import NOT_OVERDUE_STATUSES, is_overdue, region_filter
from store.enums import TaskStatus
from store.models import (
    InspectionTask,
    TaskSearchTerm,
    User,
)
from store.regions import region_name
from store.text import query_terms
from store.types import utcnow

__all__ = [
    "OPEN_FILTER",
    "Dashboard",
    "EvidenceView",
    "FindingView",
    "QueueItem",
    "QueuePage",
    "RegionStats",
    "TaskDetail",
    "dashboard",
    "export_tasks_csv",
    "is_overdue",
    "iter_tasks_csv",
    "queue_for_user",
    "task_detail",
]

OPEN_FILTER = "open"  # status filter meaning every state except closed


@dataclass(frozen=True)
class QueueItem:
    """One row of a work queue."""

    id: int
    title: str
    risk_type: str
    agency: str
    region_code: str
    region_name: str
    status: str
    origin: str
    priority: float
    score: float | None
    assignee_id: int | None
    assignee_name: str | None
    due_at: datetime | None
    overdue: bool
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class QueuePage:
    """A page of a work queue, in priority order."""

    items: list[QueueItem]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _search(q: str) -> ColumnElement[bool]:
    """Tasks whose indexed text (evidence listings, title, tip) holds every bigram of Q.

    A query without bigrams (one character) falls back to a literal match on title and tip text.
    """
    terms = sorted(set(query_terms(q)))
    if not terms:
        literal = q.strip()
        return or_(
            col(InspectionTask.title).contains(literal, autoescape=True),
            col(InspectionTask.tip_text).contains(literal, autoescape=True),
        )
    # The primary key (term, task_id) turns each term into an index range scan.
    having_all = (
        select(col(TaskSearchTerm.task_id))
        .where(col(TaskSearchTerm.term).in_(terms))
        .group_by(col(TaskSearchTerm.task_id))
        .having(func.count() == len(terms))
    )
    return col(InspectionTask.id).in_(having_all)


def _queue_filters(
    session: Session,
    user: User,
    *,
    risk_type: str | None,
    region: str | None,
    status: str | None,
    q: str | None,
    overdue_only: bool,
    assigned_to_me: bool,
    now: datetime,
) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a queue: the user's remit first, then the chosen filters."""
    if region and not can_see_region(user, region):
        raise AccessDenied(f"region {region} is outside your region {user.region_code}")
    filters = [
        col(InspectionTask.agency).in_(sorted(agencies_for(user))),
        region_filter(col(InspectionTask.region_code), region or user.region_code),
    ]
    if risk_type:
        filters.append(col(InspectionTask.risk_type) == risk_type)
    if status == OPEN_FILTER:
        filters.append(col(InspectionTask.status) != TaskStatus.closed)
    elif status:
        filters.append(col(InspectionTask.status) == status)
    if overdue_only:
        filters.append(
            and_(
                col(InspectionTask.due_at) < now,
                col(InspectionTask.status).not_in(sorted(NOT_OVERDUE_STATUSES)),
            )
        )
    if assigned_to_me:
        filters.append(col(InspectionTask.assignee_id) == user.id)
    if q and q.strip():
        filters.append(_search(q))
    return filters


def _item(user: User, task: InspectionTask, assignee_name: str | None, now: datetime) -> QueueItem:
    return QueueItem(
        id=task.id or 0,
        title=mask_for(user, task, task.title),  # a tip's title may quote a phone number
        risk_type=task.risk_type,
        agency=task.agency,
        region_code=task.region_code,
        region_name=region_name(task.region_code),
        status=task.status,
        origin=task.origin,
        priority=task.priority,
        score=task.score,
        assignee_id=task.assignee_id,
        assignee_name=assignee_name,
        due_at=task.due_at,
        overdue=is_overdue(task, now),
        version=task.version,
        created_at=task.created_at,
        updated_at=task.updated_at,
    )


def queue_for_user(
    session: Session,
    *,
    user: User,
    risk_type: str | None = None,
    region: str | None = None,
    status: str | None = None,
    q: str | None = None,
    overdue_only: bool = False,
    assigned_to_me: bool = False,
    page: int = 1,
    per_page: int = 50,
    now: datetime | None = None,
    sort: str = "priority",
) -> QueuePage:
    """The tasks USER may see, filtered, highest priority first.

    ``status="open"`` means every state but closed; ``q`` is Chinese text matched by bigrams against the
    tasks' evidence listings (so 童工 finds 招童工) and literally against titles and tip text. SORT is a
    key of QUEUE_SORTS, "-" in front reverses it.
    """
    now = now or utcnow()
    page, per_page = max(1, page), min(max(1, per_page), 500)
    ids = _ordered_ids(
        session, user, risk_type=risk_type, region=region, status=status, q=q,
        overdue_only=overdue_only, assigned_to_me=assigned_to_me, now=now, sort=sort,
    )  # fmt: skip
    wanted = ids[(page - 1) * per_page : page * per_page]
    return QueuePage(items=_items(session, user, wanted, now), total=len(ids), page=page, per_page=per_page)


# Queue orders by name: (column, natural direction is descending). The id breaks ties (stable pages).
QUEUE_SORTS: dict[str, tuple[Any, bool]] = {
    "priority": (InspectionTask.priority, True),
    "score": (InspectionTask.score, True),
    "due": (InspectionTask.due_at, False),
    "created": (InspectionTask.created_at, True),
    "id": (InspectionTask.id, False),
}


def _order_by(sort: str) -> list[Any]:
    reverse = sort.startswith("-")
    column, descending = QUEUE_SORTS.get(sort.lstrip("-"), QUEUE_SORTS["priority"])
    descending ^= reverse
    key = col(column).desc() if descending else col(column).asc()
    if column in (InspectionTask.score, InspectionTask.due_at):  # nullable: empty values last either way
        key = key.nulls_last()
    return [key, col(InspectionTask.id)]


def _ordered_ids(
    session: Session, user: User, *, now: datetime, sort: str = "priority", **filters: Any
) -> list[int]:
    """Every matching task id in queue order (AccessDenied for a region outside the user's)."""
    # One scan finds every matching id in queue order (cheap integers); the total is its length and pages
    # are fetched by id, so an expensive text search runs once, not again for a COUNT.
    where = _queue_filters(session, user, now=now, **filters)
    ordered = select(col(InspectionTask.id)).where(*where).order_by(*_order_by(sort))
    return [int(i) for i in session.execute(ordered).scalars()]


def _items(session: Session, user: User, ids: list[int], now: datetime) -> list[QueueItem]:
    """The queue rows of IDS as USER may see them (titles masked by the personal-data rule), in order."""
    statement = (
        select(InspectionTask, col(User.display_name))
        .outerjoin(User, col(User.id) == col(InspectionTask.assignee_id))
        .where(col(InspectionTask.id).in_(ids))
    )
    rows = {task.id: (task, name) for task, name in session.execute(statement)}
    return [_item(user, *rows[i], now) for i in ids if i in rows]


CSV_COLUMNS = ("id", "title", "risk_type", "agency", "region_code", "region_name", "status", "origin",
               "priority", "score", "assignee", "due_at", "overdue", "created_at", "updated_at")  # fmt: skip


def _csv_cell(value: Any) -> str:
    """A cell that spreadsheet programs show as text (no formula injection from crawled titles)."""
    text = "" if value is None else value.isoformat() if isinstance(value, datetime) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


EXPORT_BATCH = 500  # tasks read per query while streaming an export


def iter_tasks_csv(
    session: Session,
    *,
    user: User,
    risk_type: str | None = None,
    region: str | None = None,
    status: str | None = None,
    q: str | None = None,
    overdue_only: bool = False,
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
    ids = _ordered_ids(
        session, user, risk_type=risk_type, region=region, status=status, q=q,
        overdue_only=overdue_only, assigned_to_me=False, now=now,
    )  # fmt: skip
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
    yield "\ufeff" + _csv_text([header])
    for start in range(0, len(ids), batch_size):
        items = _items(session, user, ids[start : start + batch_size], now)
        yield _csv_text(_csv_row(item, cell) for item in items)


def _csv_row(item: QueueItem, cell: Callable[[str, Any], Any] | None = None) -> list[str]:
    row = (item.id, item.title, item.risk_type, item.agency, item.region_code, item.region_name, item.status,
           item.origin, item.priority, item.score, item.assignee_name, item.due_at, item.overdue,
           item.created_at, item.updated_at)  # fmt: skip
    if cell is not None:
        row = tuple(cell(name, value) for name, value in zip(CSV_COLUMNS, row, strict=True))
    return [_csv_cell(v) for v in row]


def _csv_text(rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def export_tasks_csv(
    session: Session,
    *,
    user: User,
    risk_type: str | None = None,
    region: str | None = None,
    status: str | None = None,
    q: str | None = None,
    overdue_only: bool = False,
    now: datetime | None = None,
) -> str:
    """The whole queue as CSV (UTF-8 with BOM so Excel opens Chinese correctly); titles masked for analysts."""
    return "".join(
        iter_tasks_csv(session, user=user, risk_type=risk_type, region=region, status=status, q=q,
                       overdue_only=overdue_only, now=now)
    )  # fmt: skip
