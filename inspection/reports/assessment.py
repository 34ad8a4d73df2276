"""考核: the monthly regional assessment of a city or the province, counted by the database.

A month is a Beijing calendar month. A task counts as closed in the month of its last change while
closed (closing is the last change a task gets, as on the dashboard); overdue means due before the
month's end and not closed by then; an escalation is kept when its task was closed by the deadline.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from inspection.access import AccessDenied, can_see_region
from inspection.clock import BEIJING
from inspection.views.filters import region_filter
from store.enums import RiskType, Role, TaskOrigin, TaskStatus
from store.models import Finding, InspectionTask, TaskEscalation, User
from store.regions import get_region, region_name
from store.types import utcnow

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class MonthlyReport:
    """The month's figures for one region (a city or the province)."""

    region_code: str
    region_name: str
    month: str  # YYYY-MM
    opened: int
    closed: int
    median_days_to_close: float | None
    overdue: int
    violations_by_risk: dict[str, int]  # the four risk types, in RiskType order
    escalations: int
    escalations_closed_on_time: int
    escalations_closed_late: int
    escalations_open_overdue: int
    escalations_open: int
    reinspections: int
    reinspections_rectified: int  # re-inspection findings with no violation left
    audit_findings: int
    audit_hits: int
    generated_at: datetime = field(default_factory=utcnow)

    @property
    def audit_hit_rate(self) -> float | None:
        return self.audit_hits / self.audit_findings if self.audit_findings else None


def parse_month(text: str) -> tuple[datetime, datetime]:
    """The UTC bounds [start, end) of a Beijing calendar month written YYYY-MM."""
    match = MONTH.match(text.strip())
    if match is None:
        raise ValueError(f"month must be written YYYY-MM (got {text!r})")
    year, month = int(match[1]), int(match[2])
    start = datetime(year, month, 1, tzinfo=BEIJING)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=BEIJING)
    return start, end


def last_month(now: datetime | None = None) -> str:
    """The Beijing month before NOW's, as YYYY-MM."""
    first = (now or utcnow()).astimezone(BEIJING).date().replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def report_regions() -> list[str]:
    """The regions a monthly report is made for: the province and each of its cities."""
    from store.regions import cities

    return ["320000", *[r.code for r in cities("320000")]]


def _check_region(code: str, user: User | None) -> None:
    region = get_region(code)
    if region is None or region.level not in ("city", "province"):
        raise ValueError(f"a monthly report is made for a city or the province (got {code!r})")
    if user is not None and (
        Role(user.role) not in {Role.supervisor, Role.admin} or not can_see_region(user, code)
    ):
        raise AccessDenied(f"the {code} assessment is for supervisors of that region")


def _count(session: Session, *where: Any) -> int:
    return int(session.execute(select(func.count()).select_from(InspectionTask).where(*where)).scalar() or 0)


def _closed_days(session: Session, in_region: Any, start: datetime, end: datetime) -> list[float]:
    rows = session.execute(
        select(col(InspectionTask.created_at), col(InspectionTask.updated_at)).where(
            in_region,
            col(InspectionTask.status) == TaskStatus.closed,
            *_within(col(InspectionTask.updated_at), start, end),
        )
    )
    return [(closed - opened).total_seconds() / 86400 for opened, closed in rows]


def _within(column: Any, start: datetime, end: datetime) -> list[Any]:
    return [column >= start, column < end]


def _findings(
    session: Session, in_region: Any, start: datetime, end: datetime
) -> list[tuple[str, str, list[str]]]:
    statement = (
        select(col(InspectionTask.risk_type), col(InspectionTask.origin), col(Finding.violations))
        .join(InspectionTask, col(InspectionTask.id) == col(Finding.task_id))
        .where(in_region, *_within(col(Finding.created_at), start, end))
    )
    return [(risk, origin, list(found)) for risk, origin, found in session.execute(statement)]


def _escalation_outcomes(session: Session, in_region: Any, start: datetime, end: datetime) -> list[int]:
    """[closed on time, closed late, open past deadline, open within deadline] at the month's end."""
    statement = (
        select(col(TaskEscalation.deadline), col(InspectionTask.status), col(InspectionTask.updated_at))
        .join(InspectionTask, col(InspectionTask.id) == col(TaskEscalation.task_id))
        .where(in_region, *_within(col(TaskEscalation.created_at), start, end))
    )
    month_end: date = (end - timedelta(seconds=1)).astimezone(BEIJING).date()
    outcome = [0, 0, 0, 0]
    for deadline, status, updated in session.execute(statement):
        closed_day = (
            updated.astimezone(BEIJING).date() if status == TaskStatus.closed and updated < end else None
        )
        if closed_day is not None:
            outcome[0 if closed_day <= deadline else 1] += 1
        else:
            outcome[2 if deadline < month_end else 3] += 1
    return outcome


def monthly_report(
    session: Session, *, region_code: str, month: str, user: User | None = None
) -> MonthlyReport:
    """The assessment of REGION_CODE (city or province) for MONTH (YYYY-MM, Beijing time)."""
    _check_region(region_code, user)
    start, end = parse_month(month)
    in_region = region_filter(col(InspectionTask.region_code), region_code)
    task = InspectionTask
    opened = _count(session, in_region, *_within(col(task.created_at), start, end))
    days = _closed_days(session, in_region, start, end)
    not_closed_by_end = or_(col(task.status) != TaskStatus.closed, col(task.updated_at) >= end)
    overdue = _count(
        session, in_region, col(task.created_at) < end, col(task.due_at) < end, not_closed_by_end
    )
    findings = _findings(session, in_region, start, end)
    violations = {str(r): 0 for r in RiskType}
    for risk, _origin, found in findings:
        if any(v != "no_violation" for v in found):
            violations[risk] = violations.get(risk, 0) + 1
    reinspect = [found for _r, origin, found in findings if origin == TaskOrigin.reinspection]
    audits = [found for _r, origin, found in findings if origin == TaskOrigin.audit]
    on_time, late, open_late, open_ok = _escalation_outcomes(session, in_region, start, end)
    return MonthlyReport(
        region_code=region_code,
        region_name=region_name(region_code),
        month=month,
        opened=opened,
        closed=len(days),
        median_days_to_close=round(statistics.median(days), 1) if days else None,
        overdue=overdue,
        violations_by_risk=violations,
        escalations=on_time + late + open_late + open_ok,
        escalations_closed_on_time=on_time,
        escalations_closed_late=late,
        escalations_open_overdue=open_late,
        escalations_open=open_ok,
        reinspections=len(reinspect),
        reinspections_rectified=sum(1 for found in reinspect if set(found) <= {"no_violation"}),
        audit_findings=len(audits),
        audit_hits=sum(1 for found in audits if any(v != "no_violation" for v in found)),
    )
