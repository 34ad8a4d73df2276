"""Shaping service results for templates (no business rules here: those live in the services)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from inspection.access import AccessDenied, can_see_region, can_see_task, mask_for
from inspection.tasks.rules import rule_entries
from inspection.views.case_file import TaskDetail, task_detail
from inspection.views.queue_filter import QueueFilter
from inspection.web.i18n import reason_text, translator
from inspection.web.render.evidence import evidence_html, marked_text, raw_page_text
from inspection.web.render.present import display_names, history_rows
from store.audit import audit_append
from store.enums import Role
from store.models import AuditEvent, FindingAttachment, ListingVersion, User
from store.regions import cities, counties, get_region

WORKER_ROLES = (Role.inspector.value, Role.market_officer.value)
MANAGER_ROLES = (Role.supervisor.value, Role.admin.value)
VICTIM_ROWS = 3
MAX_REASONS = 10


def regions_for(user: User) -> list[tuple[str, str]]:
    """(code, name) of the regions a user may filter by: their own and those inside it."""
    region = get_region(user.region_code)
    if region is None:
        return []
    below = cities(user.region_code) if region.level == "province" else counties(user.region_code)
    return [(region.code, region.name)] + [(r.code, r.name) for r in below]


def load_detail(session: Session, user: User, task_id: int) -> TaskDetail:
    """The task as USER may see it; the service audits a view of unmasked data, committed here at once."""
    detail = task_detail(session, user=user, task_id=task_id)
    session.commit()
    return detail


class ExportThrottled(Exception):
    """The user has made as many CSV exports as the window allows; WAIT_S seconds until the next."""

    def __init__(self, wait_s: float) -> None:
        super().__init__(f"export limit reached, retry in {wait_s:.0f} s")
        self.wait_s = wait_s


def audit_export(session: Session, user: User, filters: QueueFilter, *, limit: int, window_s: int) -> None:
    """Exports leave the system, so each one is recorded with its filters, at most LIMIT per window.

    The count is taken after the event is appended, under the audit chain's lock, so parallel exports
    by one user are counted one after another; a refused export is rolled back and does not count.
    """
    event = audit_append(
        session,
        action="tasks.export",
        actor_id=user.id,
        actor=user.username,
        object_type="export",
        object_id="tasks.csv",
        details=filters.chosen(),
    )
    since = event.at - timedelta(seconds=window_s)
    count, oldest = session.execute(
        select(func.count(), func.min(col(AuditEvent.at))).where(
            col(AuditEvent.actor_id) == user.id,
            col(AuditEvent.action) == "tasks.export",
            col(AuditEvent.at) >= since,
        )
    ).one()
    if count > limit:
        session.rollback()
        wait = (oldest + timedelta(seconds=window_s) - event.at).total_seconds()
        raise ExportThrottled(max(1.0, wait))
    session.commit()


def _explanation(scores: list[dict[str, Any]], risk_type: str) -> list[Any]:
    for score in scores:
        if score.get("risk_type") == risk_type:
            return list(score.get("explanation") or [])
    return list(scores[0].get("explanation") or []) if scores else []


def _reasons(explanation: list[Any], lang: str) -> list[dict[str, Any]]:
    """Must-inspect rules first, then contributions that raised the score, largest first; each in words."""
    entries = [e for e in explanation if isinstance(e, dict)]
    rules = rule_entries(entries)
    raised = [e for e in entries if e not in rules and _weight(e) > 0]
    raised.sort(key=_weight, reverse=True)
    return [_reason(e, lang) for e in [*rules, *raised][:MAX_REASONS]]


def _weight(entry: dict[str, Any]) -> float:
    try:
        return float(entry.get("weight", 0))
    except (TypeError, ValueError):
        return 0.0


def _reason(entry: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "text": reason_text(entry, lang),
        "legal_basis": str(entry.get("legal_basis") or ""),
        "weight": _weight(entry),
        "rule": entry.get("kind") == "rule",
        "feature": str(entry.get("feature", "")),
    }


def task_context(session: Session, user: User, detail: TaskDetail, lang: str = "zh") -> dict[str, Any]:
    """Everything task.html shows."""
    evidence = []
    for ev in detail.evidence:
        explanation = _explanation(ev.scores, detail.task.risk_type)
        evidence.append(
            {
                "ev": ev,
                "title_html": marked_text(ev.title or "", explanation, "title"),
                "html": evidence_html(ev.body, explanation),
                "reasons": _reasons(explanation, lang),
            }
        )
    names = display_names(session, [str(h.get("actor") or "") for h in detail.history])
    return {
        "detail": detail,
        "history": history_rows(detail.history, names, translator(lang)),
        "task": detail.task,
        "evidence": evidence,
        "assignable": assignable_users(session, detail) if user.role not in WORKER_ROLES else [],
        "may_claim": user.role in WORKER_ROLES and detail.task.assignee_id is None,
        **workflow_actions(detail, translator(lang)),
    }


# Targets that have their own forms (assigning needs a person, a finding needs the finding form).
OWN_FORMS = frozenset({"assigned", "finding_recorded"})
# Steps that cannot be undone lightly ask for confirmation; those that need words ask for them.
NOTE_FOR = {"closed": "flow.note_review", "reopened": "flow.note_reopen", "escalated": "flow.note_escalate"}
CONFIRM_FOR = {"closed", "reopened", "escalated", "new", "backlog"}


def workflow_actions(detail: TaskDetail, t: Any) -> dict[str, Any]:
    """The task's valid next steps (from the transition table and the user's role), worded and guarded."""
    status = detail.task.status
    actions, blocked_close = [], False
    for target in detail.allowed_actions:
        if target in OWN_FORMS or target == status:
            continue
        if target == "closed" and not detail.findings:
            blocked_close = True  # closing reviews a finding: say what is missing instead of a failing button
            continue
        label = t(f"flow.{status}.{target}")
        label = t(f"flow.to.{target}") if label.startswith("flow.") else label
        actions.append(
            {
                "to": target,
                "label": label,
                "confirm": t(f"flow.confirm.{target}") if target in CONFIRM_FOR else "",
                "note": t(NOTE_FOR[target]) if target in NOTE_FOR else "",
            }
        )
    return {"actions": actions, "blocked_close": blocked_close}


def assignable_users(session: Session, detail: TaskDetail) -> list[User]:
    """Active workers who may see the task (candidates for assignment)."""
    rows = session.execute(select(User).where(col(User.role).in_(WORKER_ROLES), col(User.active))).scalars()
    return [u for u in rows if can_see_task(u, detail.task)]


def bulk_assignees(session: Session, user: User) -> list[User]:
    """Active workers within a supervisor's region (candidates for bulk assignment); none for others."""
    if user.role not in MANAGER_ROLES:
        return []
    rows = session.execute(select(User).where(col(User.role).in_(WORKER_ROLES), col(User.active))).scalars()
    return [u for u in rows if can_see_region(user, u.region_code)]


def raw_snapshot_text(session: Session, user: User, detail: TaskDetail, version_id: int) -> str:
    """The raw page of one evidence version of the task (masked for users without PII rights)."""
    allowed = {v.get("id") for ev in detail.evidence for v in ev.versions} | {
        ev.listing_version_id for ev in detail.evidence
    }
    version = session.get(ListingVersion, version_id) if version_id in allowed else None
    if version is None:
        raise AccessDenied(f"version {version_id} is not evidence of task {detail.task.id}")
    return mask_for(user, detail.task, raw_page_text(version.raw_gz, version.raw_content_type))


VICTIM_COLUMNS = ("name", "age", "phone", "id_number")


def attachment_of(session: Session, user: User, detail: TaskDetail, attachment_id: int) -> FindingAttachment:
    """An attachment of one of the task's findings (audited: evidence files may hold personal data)."""
    ids = {a["id"] for f in detail.findings for a in f.attachments}
    attachment = session.get(FindingAttachment, attachment_id) if attachment_id in ids else None
    if attachment is None:
        raise AccessDenied(f"attachment {attachment_id} is not evidence of task {detail.task.id}")
    audit_append(
        session,
        action="attachment.download",
        actor_id=user.id,
        actor=user.username,
        object_type="finding_attachment",
        object_id=attachment_id,
        details={"task_id": detail.task.id, "sha256": attachment.sha256},
    )
    session.commit()
    return attachment


def empty_finding(detail: TaskDetail) -> dict[str, Any]:
    """A blank finding form for the task's current version."""
    return {
        "expected_version": detail.task.version,
        "violations": [],
        "outcome": "",
        "notes": "",
        "follow_up_date": "",
        "victims": [],
        "victim_rows": [dict.fromkeys(VICTIM_COLUMNS, "") for _ in range(VICTIM_ROWS)],
    }


def finding_form_values(
    expected_version: int,
    violations: list[str],
    outcome: str,
    notes: str,
    follow_up_date: str,
    victim_columns: list[list[str]],
) -> dict[str, Any]:
    """The submitted form as a dict (to re-show it untouched) plus the victims as the service wants them."""
    count = min(max(VICTIM_ROWS, *(len(c) for c in victim_columns)), 20)
    padded = [(list(c) + [""] * count)[:count] for c in victim_columns]
    rows = [
        {k: v.strip() for k, v in zip(VICTIM_COLUMNS, values, strict=True)}
        for values in zip(*padded, strict=True)
    ]
    return {
        "expected_version": expected_version,
        "violations": violations,
        "outcome": outcome,
        "notes": notes,
        "follow_up_date": follow_up_date,
        "victims": [_victim(r) for r in rows if any(r.values())],
        "victim_rows": rows,
    }


def _victim(row: dict[str, str]) -> dict[str, Any]:
    victim: dict[str, Any] = {k: v for k, v in row.items() if v}
    if "age" in victim:
        victim["age"] = int(victim["age"]) if victim["age"].isdigit() else victim["age"]
    return victim
