"""Work queues: the tasks a user may see, filtered by a QueueFilter, in the chosen order, as TaskViews.

Nothing here returns personal data the user may not see: rows are TaskViews (inspection.views.task_view),
masked by ``inspection.access.mask_for``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlmodel import Session, col

from inspection.access import AccessDenied, agencies_for, can_see_region
from inspection.views.filters import NOT_OVERDUE_STATUSES, region_filter
from inspection.views.queue_filter import OPEN_FILTER, QueueFilter
from inspection.views.task_view import TaskView, task_view
from store.enums import TaskStatus
from store.models import InspectionTask, TaskSearchTerm, User
from store.text import query_terms
from store.types import utcnow

__all__ = ["QUEUE_SORTS", "QueuePage", "new_open_task_ids", "ordered_ids", "queue_for_user", "task_views"]


@dataclass(frozen=True)
class QueuePage:
    """A page of a work queue, in priority order."""

    items: list[TaskView]
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
    # The primary key (term, task_id) turns each term into an index range scan; a task holds a term once,
    # so one term needs no grouping (the queue then probes it task by task in priority order).
    if len(terms) == 1:
        return col(InspectionTask.id).in_(
            select(col(TaskSearchTerm.task_id)).where(col(TaskSearchTerm.term) == terms[0])
        )
    having_all = (
        select(col(TaskSearchTerm.task_id))
        .where(col(TaskSearchTerm.term).in_(terms))
        .group_by(col(TaskSearchTerm.task_id))
        .having(func.count() == len(terms))
    )
    return col(InspectionTask.id).in_(having_all)


def _queue_filters(user: User, filters: QueueFilter, now: datetime) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a queue: the user's remit first, then the chosen filters."""
    region = filters.region
    if region and not can_see_region(user, region):
        raise AccessDenied(f"region {region} is outside your region {user.region_code}")
    where = [
        col(InspectionTask.agency).in_(sorted(agencies_for(user))),
        region_filter(col(InspectionTask.region_code), region or user.region_code),
    ]
    if filters.risk_type:
        where.append(col(InspectionTask.risk_type) == filters.risk_type)
    if filters.status == OPEN_FILTER:
        where.append(col(InspectionTask.status) != TaskStatus.closed)
    elif filters.status:
        where.append(col(InspectionTask.status) == filters.status)
    if filters.overdue_only:
        where.append(
            and_(
                col(InspectionTask.due_at) < now,
                col(InspectionTask.status).not_in(sorted(NOT_OVERDUE_STATUSES)),
            )
        )
    if filters.assigned_to_me:
        where.append(col(InspectionTask.assignee_id) == user.id)
    if filters.q and filters.q.strip():
        where.append(_search(filters.q))
    return where


def queue_for_user(
    session: Session,
    *,
    user: User,
    filters: QueueFilter | None = None,
    page: int = 1,
    per_page: int = 50,
    now: datetime | None = None,
    sort: str = "priority",
    with_total: bool = True,
) -> QueuePage:
    """The tasks USER may see, narrowed by FILTERS, highest priority first.

    A status of OPEN_FILTER means every state but closed; ``q`` is Chinese text matched by bigrams against
    the tasks' evidence listings (so 童工 finds 招童工) and literally against titles and tip text. SORT is a
    key of QUEUE_SORTS, "-" in front reverses it. WITH_TOTAL=False skips the count (total is then 0).
    """
    now = now or utcnow()
    page, per_page = max(1, page), min(max(1, per_page), 500)
    chosen = filters or QueueFilter()
    where = _queue_filters(user, chosen, now)
    # Only the page's ids leave the database (a province queue holds 100,000): the top of a scan of the
    # (priority, id) index that stops after the page, a search's terms probed task by task. The total
    # is a count apart, answered from the (agency, region_code, status) index and the terms' key. (A
    # window count in the page's query would make every page read all matching tasks.)
    statement = (
        select(col(InspectionTask.id))
        .where(*where)
        .order_by(*_order_by(sort))
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    wanted = [int(task_id) for task_id in session.execute(statement).scalars()]
    total = 0  # with_total=False: the caller wants the top rows only
    if with_total:
        count = select(func.count()).select_from(InspectionTask).where(*where)
        total = int(session.execute(count).scalar_one())
    return QueuePage(items=task_views(session, user, wanted, now), total=total, page=page, per_page=per_page)


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
    # Ties follow the key's direction, so one index on (key, id), read forwards or backwards, gives the
    # order and the page stops after its 50 rows (ix_inspection_task_priority, ix_inspection_task_created).
    tie = col(InspectionTask.id).desc() if descending else col(InspectionTask.id).asc()
    return [key, tie] if column is not InspectionTask.id else [key]


def new_open_task_ids(
    session: Session, user: User, *, since: datetime, min_score: float, limit: int, now: datetime
) -> list[int]:
    """Open tasks in USER's remit created after SINCE with a score of at least MIN_SCORE, newest first.

    At most LIMIT ids; the index on created_at reads only the new tasks, however big the remit is.
    """
    where = _queue_filters(user, QueueFilter(status=OPEN_FILTER), now)
    statement = (
        select(col(InspectionTask.id))
        .where(*where, col(InspectionTask.created_at) > since, col(InspectionTask.score) >= min_score)
        .order_by(*_order_by("created"))
        .limit(limit)
    )
    return [int(task_id) for task_id in session.execute(statement).scalars()]


def ordered_ids(
    session: Session, user: User, filters: QueueFilter, *, now: datetime, sort: str = "priority"
) -> list[int]:
    """Every matching task id in queue order (AccessDenied for a region outside the user's)."""
    # One scan finds every matching id in queue order (cheap integers); the total is its length and pages
    # are fetched by id, so an expensive text search runs once, not again for a COUNT.
    where = _queue_filters(user, filters, now)
    ordered = select(col(InspectionTask.id)).where(*where).order_by(*_order_by(sort))
    return [int(i) for i in session.execute(ordered).scalars()]


def task_views(session: Session, user: User, ids: list[int], now: datetime) -> list[TaskView]:
    """The tasks IDS as USER may see them (titles masked by the personal-data rule), in order."""
    statement = (
        select(InspectionTask, col(User.display_name))
        .outerjoin(User, col(User.id) == col(InspectionTask.assignee_id))
        .where(col(InspectionTask.id).in_(ids))
    )
    rows = {task.id: (task, name) for task, name in session.execute(statement)}
    return [task_view(user, *rows[i], now) for i in ids if i in rows]
