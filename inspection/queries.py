"""Read side: work queues, task details, dashboards and CSV export, with access and PII rules applied.

Nothing here returns personal data the user may not see: listing text, contacts, tip text, notes and
victims pass through ``inspection.access.mask_for``. ``task_detail`` appends an audit event when it shows
personal data (so the caller commits, as for any service).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from inspection.access import (
    AccessDenied,
    agencies_for,
    can_see_pii,
    can_see_region,
    ensure_task_visible,
    mask_for,
    region_prefix,
)
from inspection.changes import load_task
from inspection.workflow import permitted_actions
from store.audit import audit_append
from store.enums import TaskStatus
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
from store.pii import mask_phone, mask_text
from store.regions import city_of, get_region, region_name
from store.text import query_terms
from store.types import utcnow

# A task is overdue when it is past due and its field work is not done (finding_recorded awaits review).
NOT_OVERDUE_STATUSES = frozenset({TaskStatus.closed, TaskStatus.finding_recorded})
OPEN_FILTER = "open"  # status filter meaning every state except closed


@dataclass(frozen=True)
class QueueItem:
    """One row of a work queue."""

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


@dataclass(frozen=True)
class QueuePage:
    """A page of a work queue, in priority order."""

    items: list[QueueItem]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


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
    region_name: str
    overdue: bool
    tip_text: str
    assignee_name: str | None
    evidence: list[EvidenceView]
    organisation: dict[str, Any] | None  # id, name, kind, licence_status, licence_no, credit_code, flags
    other_listings: list[dict[str, Any]]  # same organisation, not evidence: id, title, url, last_seen
    findings: list[FindingView]
    history: list[dict[str, Any]]  # audit events: id, at, actor, action, details
    allowed_actions: list[str]  # target statuses the user may choose now
    can_see_pii: bool


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


@dataclass(frozen=True)
class Dashboard:
    """Per-region counts and weekly trends for charts."""

    regions: list[RegionStats]
    weeks: list[str] = field(default_factory=list)  # ISO dates of week starts (Mondays), oldest first
    created_per_week: list[int] = field(default_factory=list)
    closed_per_week: list[int] = field(default_factory=list)
    violations_per_week: list[int] = field(default_factory=list)


def is_overdue(task: Any, now: datetime) -> bool:
    """True when TASK is past its due date and its field work is not done."""
    return task.due_at is not None and task.due_at < now and task.status not in NOT_OVERDUE_STATUSES


def _region_filter(column: Any, code: str) -> ColumnElement[bool]:
    prefix = region_prefix(code)
    return column == prefix if len(prefix) == 6 else column.like(prefix + "%")


def _term_match(dialect: str, column: Any, term: str) -> ColumnElement[bool]:
    """The bigram column holds TERM as a whole token.

    Chinese tokens are all two characters between spaces, so a plain substring test of a two-character
    term can only hit a whole token; it avoids building a padded copy of every row (3x faster). ASCII
    words vary in length and need the padded test.
    """
    find = func.strpos if dialect == "postgresql" else func.instr
    if len(term) == 2 and not term.isascii():
        return find(column, term) > 0
    return find(" " + column + " ", f" {term} ") > 0


def _search(dialect: str, q: str) -> ColumnElement[bool]:
    """Tasks whose evidence listing holds every bigram of Q, or whose title/tip mentions Q."""
    terms = query_terms(q)
    listing = aliased(Listing)
    matches = [_term_match(dialect, listing.search_bigrams, t) for t in terms]
    in_evidence = exists(
        select(TaskEvidence.id)
        .join(listing, listing.id == TaskEvidence.listing_id)
        .where(TaskEvidence.task_id == InspectionTask.id, *matches)
    )
    literal = q.strip()
    in_task = or_(
        InspectionTask.title.contains(literal, autoescape=True),
        InspectionTask.tip_text.contains(literal, autoescape=True),
    )  # type: ignore[union-attr]
    return or_(in_evidence, in_task) if terms else in_task


def _queue_filters(
    session: Session,
    user: User,
    *,
    risk_type: str | None,
    region: str | None,
    status: str | None,
    q: str | None,
    overdue_only: bool,
    assigned_to_me: bool,
    now: datetime,
) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a queue: the user's remit first, then the chosen filters."""
    if region and not can_see_region(user, region):
        raise AccessDenied(f"region {region} is outside your region {user.region_code}")
    filters = [
        InspectionTask.agency.in_(sorted(agencies_for(user))),  # type: ignore[attr-defined]
        _region_filter(InspectionTask.region_code, region or user.region_code),
    ]
    if risk_type:
        filters.append(InspectionTask.risk_type == risk_type)
    if status == OPEN_FILTER:
        filters.append(InspectionTask.status != TaskStatus.closed)
    elif status:
        filters.append(InspectionTask.status == status)
    if overdue_only:
        filters.append(
            and_(InspectionTask.due_at < now, InspectionTask.status.not_in(sorted(NOT_OVERDUE_STATUSES)))
        )  # type: ignore[operator,attr-defined]
    if assigned_to_me:
        filters.append(InspectionTask.assignee_id == user.id)
    if q and q.strip():
        filters.append(_search(session.get_bind().dialect.name, q))
    return filters


def _item(task: InspectionTask, assignee_name: str | None, now: datetime) -> QueueItem:
    return QueueItem(
        id=task.id or 0,
        title=task.title,
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


def queue_for_user(
    session: Session,
    *,
    user: User,
    risk_type: str | None = None,
    region: str | None = None,
    status: str | None = None,
    q: str | None = None,
    overdue_only: bool = False,
    assigned_to_me: bool = False,
    page: int = 1,
    per_page: int = 50,
    now: datetime | None = None,
) -> QueuePage:
    """The tasks USER may see, filtered, highest priority first.

    ``status="open"`` means every state but closed; ``q`` is Chinese text matched by bigrams against the
    tasks' evidence listings (so 童工 finds 招童工) and literally against titles and tip text.
    """
    now = now or utcnow()
    page, per_page = max(1, page), min(max(1, per_page), 500)
    filters = _queue_filters(
        session, user, risk_type=risk_type, region=region, status=status, q=q,
        overdue_only=overdue_only, assigned_to_me=assigned_to_me, now=now,
    )  # fmt: skip
    # One scan finds every matching id in queue order (cheap integers); the total is its length and the
    # page is fetched by id, so an expensive text search runs once, not again for a COUNT.
    ordered = (
        select(InspectionTask.id).where(*filters).order_by(InspectionTask.priority.desc(), InspectionTask.id)
    )  # type: ignore[attr-defined]
    ids = list(session.execute(ordered).scalars())
    total, wanted = len(ids), ids[(page - 1) * per_page : page * per_page]
    statement = (
        select(InspectionTask, User.display_name)
        .outerjoin(User, User.id == InspectionTask.assignee_id)  # type: ignore[arg-type]
        .where(InspectionTask.id.in_(wanted))  # type: ignore[union-attr]
    )
    rows = {task.id: (task, name) for task, name in session.execute(statement)}
    items = [_item(*rows[i], now) for i in wanted if i in rows]
    return QueuePage(items=items, total=int(total), page=page, per_page=per_page)


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
        .where(RiskScore.listing_id == listing_id)
        .order_by(RiskScore.scored_at.desc(), RiskScore.id.desc())  # type: ignore[attr-defined,union-attr]
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
            ListingVersion.id,
            ListingVersion.version_no,
            ListingVersion.captured_at,
            ListingVersion.raw_sha256,
        )
        .where(ListingVersion.listing_id == listing_id)
        .order_by(ListingVersion.version_no)
    )
    return [dict(row._mapping) | {"id": row.id} for row in session.execute(statement)]


def _evidence(session: Session, user: User, task: InspectionTask) -> list[EvidenceView]:
    statement = (
        select(TaskEvidence, Listing, ListingVersion.version_no, ListingVersion.raw_sha256)
        .join(Listing, Listing.id == TaskEvidence.listing_id)  # type: ignore[arg-type]
        .outerjoin(ListingVersion, ListingVersion.id == TaskEvidence.listing_version_id)  # type: ignore[arg-type]
        .where(TaskEvidence.task_id == task.id)
        .order_by(TaskEvidence.score.desc().nulls_last(), TaskEvidence.id)  # type: ignore[union-attr]
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
    return session.execute(select(Listing.organisation_id).where(Listing.id == task.listing_id)).scalar()


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
        select(Listing.id, Listing.title, Listing.url, Listing.last_seen, Listing.active)
        .where(Listing.organisation_id == org_id, Listing.id.not_in(sorted(exclude) or [-1]))  # type: ignore[union-attr]
        .order_by(Listing.last_seen.desc(), Listing.id)  # type: ignore[attr-defined]
        .limit(limit)
    )
    return [dict(row._mapping) for row in session.execute(statement)]


def _findings(session: Session, user: User, task: InspectionTask) -> list[FindingView]:
    show = can_see_pii(user, task)
    findings = (
        session.execute(select(Finding).where(Finding.task_id == task.id).order_by(Finding.id))
        .scalars()
        .all()
    )
    views = []
    for finding in findings:
        files = session.execute(
            select(FindingAttachment.id, FindingAttachment.filename, FindingAttachment.content_type,
                   FindingAttachment.size_bytes, FindingAttachment.sha256)
            .where(FindingAttachment.finding_id == finding.id).order_by(FindingAttachment.id)
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
                attachments=[dict(row._mapping) for row in files],
            )
        )
    return views


def _history(
    session: Session, user: User, task: InspectionTask, finding_ids: list[int]
) -> list[dict[str, Any]]:
    about_task = and_(AuditEvent.object_type == "task", AuditEvent.object_id == str(task.id))
    about_findings = and_(
        AuditEvent.object_type == "finding", AuditEvent.object_id.in_([str(i) for i in finding_ids])
    )  # type: ignore[attr-defined]
    statement = select(AuditEvent).where(or_(about_task, about_findings)).order_by(AuditEvent.id)  # type: ignore[arg-type]
    history = []
    for event in session.execute(statement).scalars():
        details = dict(event.details)
        if isinstance(details.get("note"), str):
            details["note"] = mask_for(user, task, details["note"])
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
        region_name=region_name(task.region_code),
        overdue=is_overdue(task, now),
        tip_text=mask_for(user, task, task.tip_text),
        assignee_name=assignee.display_name if assignee else None,
        evidence=evidence,
        organisation=_organisation(session, org_id),
        other_listings=_other_listings(session, org_id, {e.listing_id for e in evidence}),
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
        )
    return detail


def _dashboard_region(user: User, region_code: str) -> str:
    """The row a task counts in: its city for province users, its county for city users."""
    level = get_region(user.region_code).level if get_region(user.region_code) else "county"  # type: ignore[union-attr]
    if level == "province":
        return city_of(region_code) or region_code
    return region_code if level == "city" else user.region_code


def _week_start(moment: datetime | date) -> date:
    day = moment.date() if isinstance(moment, datetime) else moment
    return day - timedelta(days=day.weekday())


def _empty_counts() -> dict[str, int]:
    return {"open": 0, "overdue": 0, "closed": 0, "escalated": 0, "violations_found": 0}


def _region_counts(
    session: Session, user: User, remit: list[Any], now: datetime
) -> dict[str, dict[str, int]]:
    """Open/closed/escalated/overdue per dashboard region, counted by the database."""
    overdue = case(
        (and_(InspectionTask.due_at < now, InspectionTask.status.not_in(sorted(NOT_OVERDUE_STATUSES))), 1),  # type: ignore[operator,attr-defined]
        else_=0,
    )
    statement = (
        select(InspectionTask.region_code, InspectionTask.status, func.count(), func.sum(overdue))
        .where(*remit)
        .group_by(InspectionTask.region_code, InspectionTask.status)
    )
    counts: dict[str, dict[str, int]] = {}
    for region, status, n, late in session.execute(statement):
        c = counts.setdefault(_dashboard_region(user, region), _empty_counts())
        c["closed" if status == TaskStatus.closed else "open"] += n
        c["escalated"] += n if status == TaskStatus.escalated else 0
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
    row = session.execute(select(*buckets).where(*remit, *extra)).one()
    return [int(v or 0) for v in row]


def dashboard(session: Session, *, user: User, now: datetime | None = None, weeks: int = 12) -> Dashboard:
    """Counts per region in USER's remit and weekly trends (tasks created, closed, findings with violations).

    A closed task counts in the week of its last change (closing is the last change a task gets).
    """
    now = now or utcnow()
    remit = [
        InspectionTask.agency.in_(sorted(agencies_for(user))),  # type: ignore[attr-defined]
        _region_filter(InspectionTask.region_code, user.region_code),
    ]
    counts = _region_counts(session, user, remit, now)
    monday = datetime.combine(_week_start(now), datetime.min.time(), tzinfo=now.tzinfo)
    starts = [monday - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    created = _weekly(session, InspectionTask.created_at, remit, starts)
    closed = _weekly(
        session, InspectionTask.updated_at, remit, starts, InspectionTask.status == TaskStatus.closed
    )
    violations = [0] * weeks
    findings = session.execute(
        select(Finding.violations, Finding.created_at, InspectionTask.region_code)
        .join(InspectionTask, InspectionTask.id == Finding.task_id)  # type: ignore[arg-type]
        .where(*remit)
    )
    for found, at, region in findings:
        if any(v != "no_violation" for v in found):
            counts.setdefault(_dashboard_region(user, region), _empty_counts())["violations_found"] += 1
            week = (at - starts[0]).days // 7
            if 0 <= week < weeks:
                violations[week] += 1
    regions = [RegionStats(code, region_name(code), **c) for code, c in sorted(counts.items())]
    return Dashboard(regions, [s.date().isoformat() for s in starts], created, closed, violations)


CSV_COLUMNS = ("id", "title", "risk_type", "agency", "region_code", "region_name", "status", "origin",
               "priority", "score", "assignee", "due_at", "overdue", "created_at", "updated_at")  # fmt: skip


def _csv_cell(value: Any) -> str:
    """A cell that spreadsheet programs show as text (no formula injection from crawled titles)."""
    text = "" if value is None else value.isoformat() if isinstance(value, datetime) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_tasks_csv(
    session: Session,
    *,
    user: User,
    risk_type: str | None = None,
    region: str | None = None,
    status: str | None = None,
    q: str | None = None,
    overdue_only: bool = False,
    now: datetime | None = None,
    limit: int = 100_000,
) -> str:
    """The queue as CSV (UTF-8 with BOM so Excel opens Chinese correctly); titles masked for analysts."""
    now = now or utcnow()
    page = queue_for_user(session, user=user, risk_type=risk_type, region=region, status=status, q=q,
                          overdue_only=overdue_only, page=1, per_page=limit, now=now)  # fmt: skip
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    show = user.role in {"supervisor", "admin", "inspector", "market_officer"}
    for item in page.items:
        title = item.title if show else mask_text(item.title)
        row = (item.id, title, item.risk_type, item.agency, item.region_code, item.region_name, item.status,
               item.origin, item.priority, item.score, item.assignee_name, item.due_at, item.overdue,
               item.created_at, item.updated_at)  # fmt: skip
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue()
