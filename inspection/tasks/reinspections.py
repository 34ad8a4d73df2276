"""Re-inspections: a follow-up task for every finding whose follow-up date has come (once per finding)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from inspection.tasks.actions import insert_task, settings_or_default
from inspection.tasks.changes import has_open_task
from inspection.tasks.routing import ORIGIN_CONFIDENCE, SEVERITY, due_at_for
from store.enums import RiskType, TaskOrigin, TaskStatus
from store.models import Finding, InspectionTask, User
from store.settings import Settings
from store.types import beijing_today, utcnow

__all__ = ["reinspections_generate"]


def _due_follow_ups(session: Session, now: datetime) -> list[tuple[Finding, InspectionTask]]:
    """Findings whose follow-up date has come and that have no re-inspection task since they were made."""
    statement = (
        select(Finding, InspectionTask)
        .join(InspectionTask, col(InspectionTask.id) == col(Finding.task_id))
        .where(col(Finding.follow_up_date).is_not(None), col(Finding.follow_up_date) <= beijing_today(now))
        .order_by(col(Finding.id))
    )
    due = []
    for finding, task in session.execute(statement):
        follow_up = select(col(InspectionTask.id)).where(
            col(InspectionTask.follow_up_of_id) == task.id,
            col(InspectionTask.origin) == TaskOrigin.reinspection,
            col(InspectionTask.created_at) >= finding.created_at,
        )
        if session.execute(follow_up).first() is None:
            due.append((finding, task))
    return due


def reinspections_generate(
    session: Session, *, now: datetime | None = None, settings: Settings | None = None
) -> list[InspectionTask]:
    """Open a re-inspection task for every finding whose follow-up date has come (once per finding).

    The re-inspection goes straight to the inspector who made the finding (status assigned).
    """
    settings, now = settings_or_default(settings), now or utcnow()
    created = []
    for finding, task in _due_follow_ups(session, now):
        priority = round(ORIGIN_CONFIDENCE["reinspection"] * SEVERITY[RiskType(task.risk_type)], 4)
        inspector = session.get(User, finding.inspector_id)
        assignee = inspector.id if inspector is not None and inspector.active else None
        follow_up = InspectionTask(
            title=f"复查：{task.title}"[:300],
            risk_type=task.risk_type,
            agency=task.agency,
            region_code=task.region_code,
            status=TaskStatus.assigned if assignee else TaskStatus.new,
            origin=TaskOrigin.reinspection,
            priority=priority,
            organisation_id=None
            if has_open_task(session, task.organisation_id, task.risk_type)
            else task.organisation_id,
            listing_id=task.listing_id,
            assignee_id=assignee,
            follow_up_of_id=task.id,
            due_at=due_at_for(priority, settings=settings, now=now),
            created_at=now,
            updated_at=now,
        )
        created.append(insert_task(session, follow_up, actor=None, action="reinspection"))
    return created
