"""A task's case file: evidence at its captured versions, scores, organisation, findings, history (masked)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlmodel import Session, col

from inspection.access import (
    can_see_pii,
    can_see_victims,
    ensure_task_visible,
    mask_for,
    mask_value,
)
from inspection.tasks.changes import load_task
from inspection.tasks.workflow import permitted_actions
from inspection.views.task_view import TaskView, task_view
from store.audit import audit_append
from store.models import (
    AuditEvent,
    Finding,
    FindingAttachment,
    InspectionTask,
    Listing,
    ListingVersion,
    Organisation,
    RiskScore,
    TaskEvidence,
    User,
)
from store.types import utcnow
from zhtext.pii import mask_phone, mask_text

# A page and the frames it loads within this many seconds are one view of the task in the audit log.
VIEW_FOLD_S = 60


@dataclass(frozen=True)
class EvidenceView:
    """A listing attached to a task, at the version captured, with its latest scores (masked as needed)."""

    listing_id: int
    listing_version_id: int | None
    version_no: int | None
    raw_sha256: str | None
    url: str
    title: str
    body: str
    employer_name: str | None
    contacts: dict[str, Any]
    location_text: str | None
    posted_date: date | None
    score: float | None
    scores: list[dict[str, Any]]  # {risk_type, probability, model_version_id, explanation, scored_at}
    versions: list[dict[str, Any]]  # {id, version_no, captured_at, raw_sha256}


@dataclass(frozen=True)
class FindingView:
    """A finding as the user may see it (victims only for the assigned worker and supervisors)."""

    id: int
    inspector_id: int
    violations: list[str]
    outcome: str
    notes: str
    victims: list[dict[str, Any]]
    victim_count: int
    labels: dict[str, Any]
    follow_up_date: date | None
    created_at: datetime
    attachments: list[dict[str, Any]]  # {id, filename, content_type, size_bytes, sha256}


@dataclass(frozen=True)
class TaskDetail:
    """Everything a task page shows. Render ``tip_text`` from here, not from ``task`` (it is masked)."""

    task: InspectionTask
    view: TaskView  # the task as the user may see it (the same read model as a queue row)
    tip_text: str
    evidence: list[EvidenceView]
    organisation: dict[str, Any] | None  # id, name, kind, licence_status, licence_no, credit_code, flags
    other_listings: list[dict[str, Any]]  # same organisation, not evidence: id, title, url, last_seen
    findings: list[FindingView]
    history: list[dict[str, Any]]  # audit events: id, at, actor, action, details
    allowed_actions: list[str]  # target statuses the user may choose now
    can_see_pii: bool

    @property
    def title(self) -> str:
        """The task's title as the user may see it (render this, not task.title)."""
        return self.view.title

    @property
    def region_name(self) -> str:
        return self.view.region_name

    @property
    def overdue(self) -> bool:
        return self.view.overdue

    @property
    def assignee_name(self) -> str | None:
        return self.view.assignee_name


def _mask_contacts(contacts: dict[str, Any], show: bool) -> dict[str, Any]:
    if show:
        return dict(contacts)
    masked: dict[str, Any] = {}
    for key, value in contacts.items():
        if key == "phones" and isinstance(value, list):
            masked[key] = [mask_phone(str(v)) for v in value]
        elif isinstance(value, list):
            masked[key] = [_mask_value(v) for v in value]
        else:
            masked[key] = mask_text(value) if isinstance(value, str) else value
    return masked


def _mask_value(value: Any) -> Any:
    """Chat IDs and other identifiers in a list: keep a hint of the first and last characters only."""
    text = str(value)
    return text[:1] + "*" * max(1, len(text) - 2) + text[-1:] if len(text) > 2 else "*" * len(text)


def _latest_scores(session: Session, listing_id: int) -> list[dict[str, Any]]:
    """The newest score of each risk type for a listing, with its explanation."""
    rows = session.execute(
        select(RiskScore)
        .where(col(RiskScore.listing_id) == listing_id)
        .order_by(col(RiskScore.scored_at).desc(), col(RiskScore.id).desc())
    ).scalars()
    latest: dict[str, dict[str, Any]] = {}
    for score in rows:
        latest.setdefault(
            score.risk_type,
            {
                "risk_type": score.risk_type,
                "probability": score.probability,
                "model_version_id": score.model_version_id,
                "explanation": score.explanation,
                "scored_at": score.scored_at,
            },
        )
    return sorted(latest.values(), key=lambda s: s["risk_type"])


def _versions_of(session: Session, listing_id: int) -> list[dict[str, Any]]:
    statement = (
        select(
            col(ListingVersion.id),
            col(ListingVersion.version_no),
            col(ListingVersion.captured_at),
            col(ListingVersion.raw_sha256),
        )
        .where(col(ListingVersion.listing_id) == listing_id)
        .order_by(col(ListingVersion.version_no))
    )
    return [dict(row._mapping) | {"id": row.id} for row in session.execute(statement)]


def _evidence(session: Session, user: User, task: InspectionTask) -> list[EvidenceView]:
    statement = (
        select(TaskEvidence, Listing, col(ListingVersion.version_no), col(ListingVersion.raw_sha256))
        .join(Listing, col(Listing.id) == col(TaskEvidence.listing_id))
        .outerjoin(ListingVersion, col(ListingVersion.id) == col(TaskEvidence.listing_version_id))
        .where(col(TaskEvidence.task_id) == task.id)
        .order_by(col(TaskEvidence.score).desc().nulls_last(), col(TaskEvidence.id))
    )
    show = can_see_pii(user, task)
    views = []
    for ev, listing, version_no, raw_sha in session.execute(statement):
        views.append(
            EvidenceView(
                listing_id=listing.id or 0,
                listing_version_id=ev.listing_version_id,
                version_no=version_no,
                raw_sha256=raw_sha,
                url=listing.url,
                title=mask_for(user, task, listing.title),
                body=mask_for(user, task, listing.body),
                employer_name=listing.employer_name,
                contacts=_mask_contacts(listing.contacts or {}, show),
                location_text=listing.location_text,
                posted_date=listing.posted_date,
                score=ev.score,
                scores=_latest_scores(session, listing.id or 0),
                versions=_versions_of(session, listing.id or 0),
            )
        )
    return views


def _organisation_id(task: InspectionTask, evidence: list[EvidenceView], session: Session) -> int | None:
    if task.organisation_id is not None:
        return task.organisation_id
    if task.listing_id is None:
        return None
    return session.execute(
        select(col(Listing.organisation_id)).where(col(Listing.id) == task.listing_id)
    ).scalar()


def _organisation(session: Session, org_id: int | None) -> dict[str, Any] | None:
    org = session.get(Organisation, org_id) if org_id is not None else None
    if org is None:
        return None
    fields = ("id", "name", "kind", "licence_status", "licence_no", "credit_code", "region_code", "flags")
    return {name: getattr(org, name) for name in fields}


def _other_listings(
    session: Session, org_id: int | None, exclude: set[int], limit: int = 20
) -> list[dict[str, Any]]:
    if org_id is None:
        return []
    statement = (
        select(
            col(Listing.id), col(Listing.title), col(Listing.url), col(Listing.last_seen), col(Listing.active)
        )
        .where(col(Listing.organisation_id) == org_id, col(Listing.id).not_in(sorted(exclude) or [-1]))
        .order_by(col(Listing.last_seen).desc(), col(Listing.id))
        .limit(limit)
    )
    return [dict(row._mapping) for row in session.execute(statement)]


def _findings(session: Session, user: User, task: InspectionTask) -> list[FindingView]:
    show = can_see_victims(user, task)
    findings = (
        session.execute(select(Finding).where(col(Finding.task_id) == task.id).order_by(col(Finding.id)))
        .scalars()
        .all()
    )
    views = []
    for finding in findings:
        files = session.execute(
            select(col(FindingAttachment.id), col(FindingAttachment.filename), col(FindingAttachment.content_type),
                   col(FindingAttachment.size_bytes), col(FindingAttachment.sha256))
            .where(col(FindingAttachment.finding_id) == finding.id).order_by(col(FindingAttachment.id))
        )  # fmt: skip
        views.append(
            FindingView(
                id=finding.id or 0,
                inspector_id=finding.inspector_id,
                violations=list(finding.violations),
                outcome=finding.outcome,
                notes=mask_for(user, task, finding.notes),
                victims=list(finding.victims) if show else [],
                victim_count=len(finding.victims),
                labels=dict(finding.labels),
                follow_up_date=finding.follow_up_date,
                created_at=finding.created_at,
                # Evidence files hold victims' names and phones: listed (and so downloadable) by the one rule.
                attachments=[dict(row._mapping) for row in files] if show else [],
            )
        )
    return views


def _history(
    session: Session, user: User, task: InspectionTask, finding_ids: list[int]
) -> list[dict[str, Any]]:
    about_task = and_(col(AuditEvent.object_type) == "task", col(AuditEvent.object_id) == str(task.id))
    about_findings = and_(
        col(AuditEvent.object_type) == "finding", col(AuditEvent.object_id).in_([str(i) for i in finding_ids])
    )
    statement = select(AuditEvent).where(or_(about_task, about_findings)).order_by(col(AuditEvent.id))
    show = can_see_pii(user, task)
    history = []
    for event in session.execute(statement).scalars():
        details = dict(event.details) if show else mask_value(dict(event.details))
        history.append(
            {"id": event.id, "at": event.at, "actor": event.actor, "action": event.action, "details": details}
        )
    return history


def task_detail(
    session: Session, *, user: User, task_id: int, now: datetime | None = None, audit_view: bool = True
) -> TaskDetail:
    """A task with its evidence, scores, organisation, findings and history (access checked, PII masked).

    When the user may see personal data, the view is audited (``task.view_pii``); the caller commits.
    """
    now = now or utcnow()
    task = ensure_task_visible(user, load_task(session, task_id))
    show = can_see_pii(user, task)
    evidence = _evidence(session, user, task)
    org_id = _organisation_id(task, evidence, session)
    findings = _findings(session, user, task)
    assignee = session.get(User, task.assignee_id) if task.assignee_id else None
    detail = TaskDetail(
        task=task,
        view=task_view(user, task, assignee.display_name if assignee else None, now),
        tip_text=mask_for(user, task, task.tip_text),
        evidence=evidence,
        organisation=_organisation(session, org_id),
        other_listings=[
            {**row, "title": mask_for(user, task, row["title"])}
            for row in _other_listings(session, org_id, {e.listing_id for e in evidence})
        ],
        findings=findings,
        history=_history(session, user, task, [f.id for f in findings]),
        allowed_actions=[str(s) for s in permitted_actions(user, task)],
        can_see_pii=show,
    )
    if show and audit_view:
        audit_append(
            session,
            action="task.view_pii",
            actor_id=user.id,
            actor=user.username,
            object_type="task",
            object_id=task.id,
            fold_s=VIEW_FOLD_S,
        )
    return detail
