"""The task workflow: the ONE table of allowed status transitions and who may make each of them.

States: backlog (over team capacity, waiting) → new → assigned → in_progress → finding_recorded → closed;
escalated (挂牌督办: supervised by the province) can be entered from any open state; a closed task can be
reopened, and a reopened task is worked again.
"""

from __future__ import annotations

from store.enums import Role, TaskStatus
from store.models import InspectionTask, User

S = TaskStatus

TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    S.backlog: frozenset({S.new, S.escalated}),
    S.new: frozenset({S.assigned, S.escalated, S.backlog}),
    S.assigned: frozenset({S.in_progress, S.new, S.assigned, S.escalated}),
    S.in_progress: frozenset({S.finding_recorded, S.assigned, S.escalated}),
    S.finding_recorded: frozenset({S.closed, S.in_progress, S.escalated}),
    S.closed: frozenset({S.reopened}),
    S.escalated: frozenset({S.assigned, S.in_progress, S.finding_recorded, S.closed}),
    S.reopened: frozenset({S.assigned, S.in_progress, S.escalated}),
}

# States in which a task still needs work; everything except closed.
OPEN_STATUSES: frozenset[TaskStatus] = frozenset(TaskStatus) - {S.closed}
# States that take a slot of a team's capacity (backlog waits for one; finding_recorded awaits review only).
ACTIVE_STATUSES: frozenset[TaskStatus] = frozenset({S.new, S.assigned, S.in_progress, S.reopened})

_MANAGERS = frozenset({Role.supervisor, Role.admin})
_WORKERS = frozenset({Role.inspector, Role.market_officer})

# Who may move a task INTO each state. "assignee" means the worker the task is assigned to.
# Supervisors and admins review, close, escalate and reopen; workers do the field work on their own tasks;
# analysts only read. "system" is the generator/scheduler (actor None).
ROLE_RULES: dict[TaskStatus, str] = {
    S.backlog: "managers or system",
    S.new: "managers, system, or the assignee handing the task back",
    S.assigned: "managers; a worker of the task's agency may claim an unassigned task for themselves",
    S.in_progress: "the assignee or managers",
    S.finding_recorded: "the assignee or managers",
    S.closed: "managers (four-eyes review of the finding)",
    S.escalated: "managers",
    S.reopened: "managers",
}


class WorkflowError(ValueError):
    """A status change that the workflow does not allow; the message names both states."""


class StaleTaskError(WorkflowError):
    """Someone else changed the task since it was read (optimistic locking): reload and retry."""

    def __init__(self, task_id: int, expected_version: int, actual_version: int) -> None:
        self.task_id = task_id
        self.expected_version = expected_version
        self.actual_version = actual_version
        super().__init__(
            f"task {task_id} was changed by someone else (you edited version {expected_version}, "
            f"it is now at version {actual_version}); reload it and apply your change again"
        )


def check_transition(from_status: str, to_status: str) -> None:
    """Raise WorkflowError unless FROM → TO is in TRANSITIONS."""
    try:
        source, target = TaskStatus(from_status), TaskStatus(to_status)
    except ValueError:
        raise WorkflowError(f"unknown task status in {from_status!r} → {to_status!r}") from None
    if target not in TRANSITIONS[source]:
        allowed = ", ".join(sorted(TRANSITIONS[source])) or "nothing"
        raise WorkflowError(f"a task cannot go from {source} to {target} (from {source}: {allowed})")


def may_transition(
    actor: User | None, task: InspectionTask, to_status: str, *, assignee_id: int | None = None
) -> bool:
    """True when ACTOR's role allows moving TASK into TO_STATUS (see ROLE_RULES); None is the system."""
    target = TaskStatus(to_status)
    if actor is None:
        return target in {S.new, S.backlog}
    role = Role(actor.role)
    if role in _MANAGERS:
        return True
    if role not in _WORKERS:
        return False
    is_assignee = task.assignee_id is not None and task.assignee_id == actor.id
    if target == S.assigned:
        return task.assignee_id in (None, actor.id) and assignee_id == actor.id
    if target in {S.in_progress, S.finding_recorded, S.new}:
        return is_assignee
    return False


def permitted_actions(actor: User | None, task: InspectionTask) -> list[TaskStatus]:
    """The target states ACTOR may move TASK to now (for buttons in the UI)."""
    targets = sorted(TRANSITIONS[TaskStatus(task.status)])
    assignee = actor.id if actor is not None else None
    return [t for t in targets if may_transition(actor, task, t, assignee_id=assignee)]
