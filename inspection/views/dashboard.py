"""Dashboard: per-region counts and weekly trends, aggregated by the database."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, case, cast, func, select
from sqlmodel import Session, col

from inspection.access import (
    agencies_for,
)
from inspection.clock import beijing_today
from inspection.views.filters import NOT_OVERDUE_STATUSES, region_filter
from store.enums import TaskStatus
from store.models import (
    Finding,
    InspectionTask,
    TaskEscalation,
    User,
)
from store.regions import city_of, get_region, region_name
from store.types import utcnow


@dataclass(frozen=True)
class RegionStats:
    """Dashboard counts for one region (a city for province users, a county for city users)."""

    region_code: str
    region_name: str
    open: int = 0
    overdue: int = 0
    closed: int = 0
    escalated: int = 0
    violations_found: int = 0
    escalations_overdue: int = 0  # 挂牌督办 tasks not closed past their notice's deadline
    awaiting_review: int = 0  # findings recorded, waiting for a supervisor to review and close


@dataclass(frozen=True)
class Dashboard:
    """Per-region counts and weekly trends for charts."""

    regions: list[RegionStats]
    weeks: list[str] = field(default_factory=list)  # ISO dates of week starts (Mondays), oldest first
    created_per_week: list[int] = field(default_factory=list)
    closed_per_week: list[int] = field(default_factory=list)
    violations_per_week: list[int] = field(default_factory=list)


def _dashboard_region(user: User, region_code: str) -> str:
    """The row a task counts in: its city for province users, its county for city users."""
    home = get_region(user.region_code)
    level = home.level if home is not None else "county"
    if level == "province":
        return city_of(region_code) or region_code
    return region_code if level == "city" else user.region_code


def _week_start(moment: datetime | date) -> date:
    day = moment.date() if isinstance(moment, datetime) else moment
    return day - timedelta(days=day.weekday())


def _empty_counts() -> dict[str, int]:
    return {
        "open": 0,
        "overdue": 0,
        "closed": 0,
        "escalated": 0,
        "violations_found": 0,
        "escalations_overdue": 0,
        "awaiting_review": 0,
    }


def _region_counts(
    session: Session, user: User, remit: list[Any], now: datetime
) -> dict[str, dict[str, int]]:
    """Open/closed/escalated/overdue per dashboard region, counted by the database."""
    overdue = case(
        (
            and_(
                col(InspectionTask.due_at) < now,
                col(InspectionTask.status).not_in(sorted(NOT_OVERDUE_STATUSES)),
            ),
            1,
        ),
        else_=0,
    )
    statement = (
        select(col(InspectionTask.region_code), col(InspectionTask.status), func.count(), func.sum(overdue))
        .where(*remit)
        .group_by(col(InspectionTask.region_code), col(InspectionTask.status))
    )
    counts: dict[str, dict[str, int]] = {}
    for region, status, n, late in session.execute(statement):
        c = counts.setdefault(_dashboard_region(user, region), _empty_counts())
        c["closed" if status == TaskStatus.closed else "open"] += n
        c["escalated"] += n if status == TaskStatus.escalated else 0
        c["awaiting_review"] += n if status == TaskStatus.finding_recorded else 0
        c["overdue"] += int(late or 0)
    return counts


def _weekly(
    session: Session, column: Any, remit: list[Any], starts: list[datetime], *extra: Any
) -> list[int]:
    """How many remit tasks have COLUMN in each week (one query, one CASE sum per week)."""
    buckets = [
        func.sum(case((and_(column >= start, column < start + timedelta(weeks=1)), 1), else_=0))
        for start in starts
    ]
    # Only the window's rows: the CASE sums then run over weeks of tasks, not over all of them.
    row = session.execute(select(*buckets).where(*remit, *extra, column >= starts[0])).one()
    return [int(v or 0) for v in row]


def _has_violation(found: Any) -> bool:
    """Whether a finding's violations (a list, or its JSON text) name anything but no_violation."""
    if isinstance(found, str):
        found = json.loads(found)
    return any(v != "no_violation" for v in found or [])


def overdue_escalations(session: Session, remit: list[Any], now: datetime) -> list[tuple[str, int]]:
    """(region, tasks) whose 挂牌督办 deadline (a Beijing day) has passed while the task is not closed."""
    late = select(col(TaskEscalation.task_id)).where(col(TaskEscalation.deadline) < beijing_today(now))
    statement = (
        select(col(InspectionTask.region_code), func.count())
        .where(*remit, col(InspectionTask.status) != TaskStatus.closed, col(InspectionTask.id).in_(late))
        .group_by(col(InspectionTask.region_code))
    )
    return [(region, int(n)) for region, n in session.execute(statement)]


def dashboard(session: Session, *, user: User, now: datetime | None = None, weeks: int = 12) -> Dashboard:
    """Counts per region in USER's remit and weekly trends (tasks created, closed, findings with violations).

    A closed task counts in the week of its last change (closing is the last change a task gets).
    """
    now = now or utcnow()
    remit = [
        col(InspectionTask.agency).in_(sorted(agencies_for(user))),
        region_filter(col(InspectionTask.region_code), user.region_code),
    ]
    counts = _region_counts(session, user, remit, now)
    monday = datetime.combine(_week_start(now), datetime.min.time(), tzinfo=now.tzinfo)
    starts = [monday - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    created = _weekly(session, col(InspectionTask.created_at), remit, starts)
    closed = _weekly(
        session,
        col(InspectionTask.updated_at),
        remit,
        starts,
        col(InspectionTask.status) == TaskStatus.closed,
    )
    # Findings with a violation per region, counted by the database per distinct violation list (a
    # province holds tens of thousands of findings and a handful of distinct lists).
    as_text = cast(col(Finding.violations), String)
    per_region = session.execute(
        select(col(InspectionTask.region_code), as_text, func.count())
        .join(InspectionTask, col(InspectionTask.id) == col(Finding.task_id))
        .where(*remit)
        .group_by(col(InspectionTask.region_code), as_text)
    )
    for region, found, n in per_region:
        if _has_violation(found):
            counts.setdefault(_dashboard_region(user, region), _empty_counts())["violations_found"] += n
    violations = [0] * weeks
    recent = session.execute(
        select(col(Finding.violations), col(Finding.created_at))
        .join(InspectionTask, col(InspectionTask.id) == col(Finding.task_id))
        .where(*remit, col(Finding.created_at) >= starts[0])
    )
    for found, at in recent:
        week = (at - starts[0]).days // 7
        if _has_violation(found) and 0 <= week < weeks:
            violations[week] += 1
    for region, n in overdue_escalations(session, remit, now):
        counts.setdefault(_dashboard_region(user, region), _empty_counts())["escalations_overdue"] += n
    regions = [RegionStats(code, region_name(code), **c) for code, c in sorted(counts.items())]
    return Dashboard(regions, [s.date().isoformat() for s in starts], created, closed, violations)
