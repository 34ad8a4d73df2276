"""Task services: generate from scores, open from tips, assign, move through the workflow, re-inspect.

Every service works inside the caller's session and flushes; the caller commits (``session_scope`` or the
web layer's session dependency). Every change bumps ``version``, sets ``updated_at`` and appends an audit
event; a stale ``expected_version`` raises StaleTaskError before anything is written.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from inspection.access import AccessDenied, NotFound, agencies_for, can_see_region, ensure_may_write
from inspection.clock import beijing_today
from inspection.tasks.changes import (
    actor_fields,
    add_evidence,
    ensure_version,
    has_open_task,
    index_task_text,
    load_task,
    save_change,
)
from inspection.tasks.routing import (
    ORIGIN_CONFIDENCE,
    SEVERITY,
    agency_for,
    due_at_for,
    priority_band,
)
from inspection.tasks.workflow import ROLE_RULES, WorkflowError, check_transition, may_transition
from store.audit import audit_append
from store.enums import RiskType, Role, TaskOrigin, TaskStatus
from store.models import Finding, InspectionTask, Listing, TaskEscalation, User
from store.regions import get_region
from store.settings import Settings
from store.types import utcnow

__all__ = [
    "task_assign",
    "task_close",
    "task_escalate",
    "task_open_from_tip",
    "task_reopen",
    "task_transition",
    "tasks_assign_many",
]
TIP_ORIGINS = frozenset({TaskOrigin.tip, TaskOrigin.mandated_report})


def settings_or_default(settings: Settings | None) -> Settings:
    if settings is not None:
        return settings
    from store.settings import load_settings

    return load_settings()


def ensure_role_allows(
    actor: User, task: InspectionTask, to_status: str, assignee_id: int | None = None
) -> None:
    if not may_transition(actor, task, to_status, assignee_id=assignee_id):
        raise AccessDenied(
            f"a {actor.role} may not move task {task.id} to {to_status} ({ROLE_RULES[TaskStatus(to_status)]})"
        )


def task_transition(
    session: Session, *, task_id: int, expected_version: int, actor: User, to_status: str, note: str = ""
) -> InspectionTask:
    """Move the task to TO_STATUS if the table and ACTOR's role allow it.

    Assigning goes through task_assign and recording a finding through finding_record, which need more
    than a status.
    """
    task = ensure_may_write(actor, load_task(session, task_id))
    ensure_version(task, expected_version)
    if to_status == TaskStatus.assigned:
        raise WorkflowError("use task_assign to assign a task (it needs an assignee)")
    if to_status == TaskStatus.finding_recorded:
        raise WorkflowError("use finding_record to record a finding (it needs the finding)")
    check_transition(task.status, to_status)
    ensure_role_allows(actor, task, to_status)
    ensure_review_complete(session, task, to_status, note)
    return _move(
        session, task, expected_version=expected_version, actor=actor, to_status=to_status, note=note
    )


def _move(
    session: Session,
    task: InspectionTask,
    *,
    expected_version: int,
    actor: User,
    to_status: str,
    note: str = "",
    extra: dict[str, object] | None = None,
) -> InspectionTask:
    """Check the table and the role rules, then write the new status."""
    check_transition(task.status, to_status)
    ensure_role_allows(actor, task, to_status)
    values: dict[str, object] = {"status": TaskStatus(to_status), **(extra or {})}
    if to_status == TaskStatus.new:
        values["assignee_id"] = None  # handing a task back frees it for someone else
    return save_change(
        session,
        task,
        expected_version=expected_version,
        actor=actor,
        action=str(to_status),
        values=values,
        details={"from": task.status, "to": str(to_status), "note": note},
    )


def task_assign(
    session: Session, *, task_id: int, expected_version: int, actor: User, assignee_id: int
) -> InspectionTask:
    """Assign the task to an active worker of its agency whose region covers the task's region.

    An escalated task stays escalated (the province keeps supervising it) and only gains an assignee.
    """
    task = ensure_may_write(actor, load_task(session, task_id))
    ensure_version(task, expected_version)
    assignee = session.get(User, assignee_id)
    _check_assignee(task, assignee)
    to_status = TaskStatus.escalated if task.status == TaskStatus.escalated else TaskStatus.assigned
    if to_status == TaskStatus.assigned:
        check_transition(task.status, to_status)
    ensure_role_allows(actor, task, TaskStatus.assigned, assignee_id=assignee_id)
    return save_change(
        session,
        task,
        expected_version=expected_version,
        actor=actor,
        action="assign",
        values={"status": to_status, "assignee_id": assignee_id},
        details={
            "from": task.status,
            "to": str(to_status),
            "assignee": assignee.username if assignee else None,
        },
    )


def tasks_assign_many(
    session: Session, *, actor: User, items: list[tuple[int, int]], assignee_id: int
) -> tuple[list[int], list[tuple[int, str]]]:
    """Assign several tasks (task id, expected version) to one person; each succeeds or fails alone.

    Returns the ids assigned and (id, reason) for the others: a stale version, a refused assignee or a
    task outside the actor's remit does not undo the rest (each assignment runs in its own savepoint).
    """
    done: list[int] = []
    refused: list[tuple[int, str]] = []
    for task_id, version in items:
        try:
            with session.begin_nested():
                task_assign(
                    session, task_id=task_id, expected_version=version, actor=actor, assignee_id=assignee_id
                )
            done.append(task_id)
        except (WorkflowError, AccessDenied, NotFound) as exc:
            refused.append((task_id, str(exc)))
    return done, refused


ASSIGNEE_REFUSED = "无法指派：须指派给负责该机构和地区任务的在岗检查人员"


def _check_assignee(task: InspectionTask, assignee: User | None) -> None:
    # One message for every refusal (unknown id, inactive, wrong role, agency or region): the actor
    # learns nothing about other accounts, their roles or regions by trying ids.
    if (
        assignee is None
        or not assignee.active
        or Role(assignee.role) not in {Role.inspector, Role.market_officer}
        or task.agency not in agencies_for(assignee)
        or not can_see_region(assignee, task.region_code)
    ):
        raise WorkflowError(ASSIGNEE_REFUSED)


def task_escalate(
    session: Session,
    *,
    task_id: int,
    expected_version: int,
    actor: User,
    reason: str,
    office: str,
    deadline: date,
    note: str = "",
) -> InspectionTask:
    """挂牌督办: put the task under supervision, recording the notice's reason, office and deadline."""
    reason, office = reason.strip(), office.strip()
    if not reason:
        raise WorkflowError("挂牌督办需要写明督办理由 (an escalation needs a reason)")
    if not office:
        raise WorkflowError("挂牌督办需要写明督办单位 (an escalation needs a supervising office)")
    if deadline < beijing_today():
        raise WorkflowError(f"督办期限 {deadline.isoformat()} 已过 (the deadline is in the past)")
    task = task_transition(
        session,
        task_id=task_id,
        expected_version=expected_version,
        actor=actor,
        to_status=TaskStatus.escalated,
        note=note or reason,
    )
    escalation = TaskEscalation(
        task_id=task_id, reason=reason, office=office[:200], deadline=deadline, escalated_by_id=actor.id
    )
    session.add(escalation)
    session.flush()
    audit_append(
        session,
        action="task.escalation_notice",
        object_type="task",
        object_id=task_id,
        details={"escalation": escalation.id, "office": escalation.office, "deadline": deadline.isoformat()},
        **actor_fields(actor),
    )
    return task


def ensure_review_complete(session: Session, task: InspectionTask, to_status: str, note: str) -> None:
    """Closing is a review: it needs a recorded finding and the reviewer's note; reopening needs a reason."""
    if to_status == TaskStatus.closed:
        has_finding = session.execute(
            select(col(Finding.id)).where(col(Finding.task_id) == task.id).limit(1)
        ).first()
        if has_finding is None:
            raise WorkflowError("办结前须先记录检查结论：没有结论可供审核。")
        if not note.strip():
            raise WorkflowError("办结须填写审核意见。")
    if to_status == TaskStatus.reopened and not note.strip():
        raise WorkflowError("重新打开须说明理由。")


def task_close(
    session: Session, *, task_id: int, expected_version: int, actor: User, note: str = ""
) -> InspectionTask:
    """Close a task after review of its finding."""
    return task_transition(
        session,
        task_id=task_id,
        expected_version=expected_version,
        actor=actor,
        to_status=TaskStatus.closed,
        note=note,
    )


def task_reopen(
    session: Session, *, task_id: int, expected_version: int, actor: User, note: str = ""
) -> InspectionTask:
    """Reopen a closed task (refused while another task of its organisation and risk type is open)."""
    task = ensure_may_write(actor, load_task(session, task_id))
    ensure_version(task, expected_version)
    if has_open_task(session, task.organisation_id, task.risk_type):
        raise WorkflowError(
            f"organisation {task.organisation_id} already has an open {task.risk_type} task; work that one"
        )
    ensure_review_complete(session, task, TaskStatus.reopened, note)
    return _move(
        session, task, expected_version=expected_version, actor=actor, to_status="reopened", note=note
    )


def task_open_from_tip(
    session: Session,
    *,
    actor: User,
    risk_type: str,
    region_code: str,
    title: str,
    tip_source: str,
    tip_text: str,
    origin: str = "tip",
    listing_id: int | None = None,
    settings: Settings | None = None,
) -> InspectionTask:
    """Open a task from a tip or a mandated report (强制报告), routed to the risk type's agency."""
    settings = settings_or_default(settings)
    _check_tip(actor, risk_type, region_code, title, origin)
    listing = session.get(Listing, listing_id) if listing_id is not None else None
    if listing_id is not None and listing is None:
        raise NotFound(f"no listing {listing_id}")
    org_id = listing.organisation_id if listing else None
    now = utcnow()
    priority = round(ORIGIN_CONFIDENCE[origin] * SEVERITY[RiskType(risk_type)], 4)
    task = InspectionTask(
        title=title.strip()[:300],
        risk_type=risk_type,
        agency=agency_for(risk_type),
        region_code=region_code,
        status=TaskStatus.new,
        origin=origin,
        priority=priority,
        organisation_id=None if has_open_task(session, org_id, risk_type) else org_id,
        listing_id=listing_id,
        tip_source=tip_source[:300],
        tip_text=tip_text,
        due_at=due_at_for(priority, settings=settings, now=now),
        created_at=now,
        updated_at=now,
    )
    return insert_task(session, task, actor=actor, action="open_tip")


def _check_tip(actor: User, risk_type: str, region_code: str, title: str, origin: str) -> None:
    if Role(actor.role) not in {Role.inspector, Role.market_officer, Role.supervisor, Role.admin}:
        raise AccessDenied(f"a {actor.role} may not open tasks")
    if risk_type not in RiskType.__members__:
        raise WorkflowError(f"risk type must be one of {', '.join(RiskType)} (got {risk_type!r})")
    if origin not in TIP_ORIGINS:
        raise WorkflowError(f"origin must be tip or mandated_report (got {origin!r})")
    if get_region(region_code) is None:
        raise WorkflowError(f"unknown region code {region_code!r}")
    if not can_see_region(actor, region_code):
        raise AccessDenied(f"region {region_code} is outside your region {actor.region_code}")
    if not title.strip():
        raise WorkflowError("a task needs a title")


def insert_task(session: Session, task: InspectionTask, *, actor: User | None, action: str) -> InspectionTask:
    session.add(task)
    session.flush()
    if task.listing_id is not None:
        add_evidence(session, [(task.id or 0, task.listing_id, None)])
    index_task_text(session, task)
    audit_append(
        session,
        action=f"task.{action}",
        object_type="task",
        object_id=task.id,
        details={
            "origin": task.origin,
            "status": task.status,
            "risk_type": task.risk_type,
            "region": task.region_code,
            "priority_band": priority_band(task.priority),
            "follow_up_of": task.follow_up_of_id,
        },
        **actor_fields(actor),
    )
    return task
