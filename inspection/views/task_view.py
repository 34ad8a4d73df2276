"""The one read model of a task: a queue row, the head of a task page, an API object and a CSV line are
all a TaskView, built from the stored task with personal data already masked for the viewer.

Masking follows inspection.access.mask_for (the title of a tip may quote a phone number); nothing else
of the task is personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from inspection.access import mask_for
from inspection.views.filters import is_overdue
from store.models import InspectionTask, User
from store.regions import region_name

__all__ = ["TaskView", "task_view"]


@dataclass(frozen=True)
class TaskView:
    """A task as USER may see it (render ``title`` from here, never the stored task's)."""

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


def task_view(user: User, task: InspectionTask, assignee_name: str | None, now: datetime) -> TaskView:
    """TASK as USER may see it at NOW (ASSIGNEE_NAME: the assignee's display name, if any)."""
    return TaskView(
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
