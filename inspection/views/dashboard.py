"""Dashboard: per-region counts and weekly trends, aggregated by the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session, col

from inspection.access import (
    agencies_for,
)
from inspection.clock import BEIJING, beijing_today
from inspection.views.filters import NOT_OVERDUE_STATUSES, region_filter
from store.enums import TaskStatus
from store.models import (
    DashboardTally,
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


@dataclass
class _Tallied:
    regions: dict[str, dict[str, int]]
    created_per_week: list[int]
    closed_per_week: list[int]
    violations_per_week: list[int]


def _tallied(session: Session, user: User, remit: list[Any], today: date, weeks: list[str]) -> _Tallied:
    """Counts per dashboard region and per week, summed from the tallies the database keeps (store.tallies).

    The remit's tally rows are read instead of its tasks and findings. Tasks due before today (Beijing)
    are counted from the due-day tallies; those due today are counted exactly by _due_today.
    """
    t = DashboardTally
    kind, key = col(t.kind), col(t.key)
    day = today.isoformat()
    wanted = or_(
        kind.in_(("status", "violation")),
        and_(kind.in_(("created", "closed")), key >= weeks[0]),
        and_(kind == "due", key < day),
    )
    # Past due days and old violation weeks are summed by the database: one row per region, not one per day.
    bucket = case((kind == "due", ""), (and_(kind == "violation", key < weeks[0]), ""), else_=key)
    rows = session.execute(
        select(col(t.region_code), kind, bucket, func.sum(col(t.n)))
        .where(*remit, wanted)
        .group_by(col(t.region_code), kind, bucket)
    )
    position = {week: k for k, week in enumerate(weeks)}
    result = _Tallied({}, [0] * len(weeks), [0] * len(weeks), [0] * len(weeks))
    trend = {"created": result.created_per_week, "closed": result.closed_per_week}
    trend["violation"] = result.violations_per_week
    for region, what, label, total in rows:
        n = int(total or 0)
        if not n:  # +1 and -1 rows not compacted yet
            continue
        c = result.regions.setdefault(_dashboard_region(user, region), _empty_counts())
        if what == "status":
            c["closed" if label == TaskStatus.closed else "open"] += n
            c["escalated"] += n if label == TaskStatus.escalated else 0
            c["awaiting_review"] += n if label == TaskStatus.finding_recorded else 0
        elif what == "due":
            c["overdue"] += n
        else:
            c["violations_found"] += n if what == "violation" else 0
            if label in position:
                trend[what][position[label]] += n
    return result


def _due_today(session: Session, remit: list[Any], today: date, now: datetime) -> list[tuple[str, int]]:
    """(region, tasks) that fell overdue today before NOW: due from today's Beijing midnight until now."""
    task = InspectionTask
    midnight = datetime.combine(today, time.min, tzinfo=BEIJING).astimezone(UTC)
    statement = (
        select(col(task.region_code), func.count())
        .where(
            *remit,
            col(task.due_at) >= midnight,
            col(task.due_at) < now,
            col(task.status).not_in(sorted(NOT_OVERDUE_STATUSES)),
        )
        .group_by(col(task.region_code))
    )
    return [(region, int(n)) for region, n in session.execute(statement)]


def overdue_escalations(session: Session, remit: list[Any], now: datetime) -> list[tuple[str, int]]:
    """(region, tasks) whose 挂牌督办 deadline (a Beijing day) has passed while the task is not closed."""
    late = select(col(TaskEscalation.task_id)).where(col(TaskEscalation.deadline) < beijing_today(now))
    statement = (
        select(col(InspectionTask.region_code), func.count())
        .where(*remit, col(InspectionTask.status) != TaskStatus.closed, col(InspectionTask.id).in_(late))
        .group_by(col(InspectionTask.region_code))
    )
    return [(region, int(n)) for region, n in session.execute(statement)]


def _remit(model: Any, user: User) -> list[Any]:
    return [
        col(model.agency).in_(sorted(agencies_for(user))),
        region_filter(col(model.region_code), user.region_code),
    ]


def dashboard(session: Session, *, user: User, now: datetime | None = None, weeks: int = 12) -> Dashboard:
    """Counts per region in USER's remit and weekly trends (tasks created, closed, findings with violations).

    Weeks are Beijing weeks (Monday to Sunday). A closed task counts in the week of its last change
    (closing is the last change a task gets).
    """
    now = now or utcnow()
    today = beijing_today(now)
    monday = _week_start(today)
    starts = [(monday - timedelta(weeks=k)).isoformat() for k in range(weeks - 1, -1, -1)]
    tallied = _tallied(session, user, _remit(DashboardTally, user), today, starts)
    counts = tallied.regions
    remit = _remit(InspectionTask, user)
    for region, n in _due_today(session, remit, today, now):
        counts.setdefault(_dashboard_region(user, region), _empty_counts())["overdue"] += n
    for region, n in overdue_escalations(session, remit, now):
        counts.setdefault(_dashboard_region(user, region), _empty_counts())["escalations_overdue"] += n
    regions = [RegionStats(code, region_name(code), **c) for code, c in sorted(counts.items())]
    return Dashboard(
        regions, starts, tallied.created_per_week, tallied.closed_per_week, tallied.violations_per_week
    )
