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


def _in_week(column: Any, start: datetime) -> Any:
    return and_(column >= start, column < start + timedelta(weeks=1))


@dataclass
class _TaskCounts:
    regions: dict[str, dict[str, int]]
    created_per_week: list[int]
    closed_per_week: list[int]


def _task_counts(
    session: Session, user: User, remit: list[Any], now: datetime, starts: list[datetime]
) -> _TaskCounts:
    """Open/closed/escalated/overdue per dashboard region and tasks created and closed per week: one scan.

    The weekly counts are CASE sums in the same GROUP BY (a province's 100,000 tasks are read once, not
    once per chart). A closed task counts in the week of its last change (closing is the last change).
    """
    task = InspectionTask
    closed = col(task.status) == TaskStatus.closed
    overdue = and_(col(task.due_at) < now, col(task.status).not_in(sorted(NOT_OVERDUE_STATUSES)))
    sums = [
        func.sum(case((overdue, 1), else_=0)),
        *(func.sum(case((_in_week(col(task.created_at), s), 1), else_=0)) for s in starts),
        *(func.sum(case((and_(closed, _in_week(col(task.updated_at), s)), 1), else_=0)) for s in starts),
    ]
    statement = (
        select(col(task.region_code), col(task.status), func.count(), *sums)
        .where(*remit)
        .group_by(col(task.region_code), col(task.status))
    )
    weeks = len(starts)
    result = _TaskCounts({}, [0] * weeks, [0] * weeks)
    for region, status, n, late, *per_week in session.execute(statement):
        c = result.regions.setdefault(_dashboard_region(user, region), _empty_counts())
        c["closed" if status == TaskStatus.closed else "open"] += n
        c["escalated"] += n if status == TaskStatus.escalated else 0
        c["awaiting_review"] += n if status == TaskStatus.finding_recorded else 0
        c["overdue"] += int(late or 0)
        for k in range(weeks):
            result.created_per_week[k] += int(per_week[k] or 0)
            result.closed_per_week[k] += int(per_week[weeks + k] or 0)
    return result


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
    monday = datetime.combine(_week_start(now), datetime.min.time(), tzinfo=now.tzinfo)
    starts = [monday - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    tasks = _task_counts(session, user, remit, now, starts)
    counts = tasks.regions
    # Findings per region and week, counted by the database per distinct violation list (a province
    # holds tens of thousands of findings and a handful of distinct lists): few rows, parsed once each.
    as_text = cast(col(Finding.violations), String)
    found_at = col(Finding.created_at)
    per_week = [func.sum(case((_in_week(found_at, start), 1), else_=0)) for start in starts]
    per_region = session.execute(
        select(col(InspectionTask.region_code), as_text, func.count(), *per_week)
        .join(InspectionTask, col(InspectionTask.id) == col(Finding.task_id))
        .where(*remit)
        .group_by(col(InspectionTask.region_code), as_text)
    )
    violations = [0] * weeks
    for region, found, n, *in_weeks in per_region:
        if _has_violation(found):
            counts.setdefault(_dashboard_region(user, region), _empty_counts())["violations_found"] += n
            violations = [total + int(v or 0) for total, v in zip(violations, in_weeks, strict=True)]
    for region, n in overdue_escalations(session, remit, now):
        counts.setdefault(_dashboard_region(user, region), _empty_counts())["escalations_overdue"] += n
    regions = [RegionStats(code, region_name(code), **c) for code, c in sorted(counts.items())]
    return Dashboard(
        regions,
        [s.date().isoformat() for s in starts],
        tasks.created_per_week,
        tasks.closed_per_week,
        violations,
    )
