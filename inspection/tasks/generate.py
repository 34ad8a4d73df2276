"""Turn the champion model's risk scores into inspection tasks (see docs/inspection.md, "Generation")."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from inspection.tasks.bulk import attach_to_open, insert_tasks
from inspection.tasks.changes import save_change
from inspection.tasks.routing import (
    RISK_LABEL_ZH,
    agency_for,
    due_at_for,
    recency_weight,
    region_for,
    rule_priority,
    task_priority,
    team_capacity,
    team_of,
    threshold_for,
)
from inspection.tasks.rules import rule_hits, rule_reason
from inspection.tasks.samples import Candidate, Plan, active_learning_plans, audit_plans
from inspection.tasks.workflow import ACTIVE_STATUSES
from risk_model.ops.registry import champion
from store.enums import LicenceStatus, RiskType, TaskOrigin, TaskStatus
from store.models import InspectionTask, Listing, Organisation, RiskScore, TaskEvidence
from store.settings import Settings
from store.types import utcnow

UNLICENSED = frozenset({LicenceStatus.missing, LicenceStatus.expired, LicenceStatus.name_mismatch})
# Origins whose tasks stand for an organisation (one open task per organisation and risk type).
ORG_ORIGINS = frozenset({TaskOrigin.model, TaskOrigin.rule})


@dataclass
class GenerateReport:
    """What one run of tasks_generate did."""

    model_version_id: int | None = None
    created: int = 0
    created_audit: int = 0
    created_active: int = 0
    created_rule: int = 0
    attached: int = 0
    backlog: int = 0
    skipped_known: int = 0
    task_ids: list[int] = field(default_factory=list)


def _candidates(session: Session, model_id: int, now: datetime, settings: Settings) -> list[Candidate]:
    statement = (
        select(
            col(RiskScore.listing_id),
            col(RiskScore.risk_type),
            col(RiskScore.probability),
            col(Listing.organisation_id),
            col(Listing.county_code),
            col(Listing.city_code),
            col(Listing.province_code),
            col(Listing.last_seen),
            col(Listing.employer_name),
            col(Listing.title),
        )
        .join(Listing, col(Listing.id) == col(RiskScore.listing_id))
        .where(col(RiskScore.model_version_id) == model_id)
        .order_by(col(RiskScore.listing_id), col(RiskScore.risk_type))
    )
    half_life = settings.task_recency_half_life_days
    out = []
    for row in session.execute(statement):
        recency = recency_weight(row.last_seen, now, half_life)
        out.append(
            Candidate(
                listing_id=row.listing_id,
                risk_type=row.risk_type,
                probability=row.probability,
                organisation_id=row.organisation_id,
                region_code=region_for(row.county_code, row.city_code, row.province_code),
                priority=task_priority(row.probability, row.risk_type, recency),
                name=(row.employer_name or row.title or "")[:80],
                recency=recency,
            )
        )
    return out


def _known_pairs(session: Session) -> set[tuple[int, str]]:
    """(listing, risk type) pairs already evidence of some task, open or closed: never a second task."""
    statement = select(col(TaskEvidence.listing_id), col(InspectionTask.risk_type)).join(
        InspectionTask,
        col(InspectionTask.id) == col(TaskEvidence.task_id),
    )
    return {(listing_id, risk) for listing_id, risk in session.execute(statement)}


def _open_org_tasks(session: Session) -> dict[tuple[int, str], InspectionTask]:
    statement = select(InspectionTask).where(
        col(InspectionTask.organisation_id).is_not(None),
        col(InspectionTask.status) != TaskStatus.closed,
    )
    return {(t.organisation_id, t.risk_type): t for t in session.execute(statement).scalars()}


def _group(risky: list[Candidate]) -> dict[tuple[Any, ...], list[Candidate]]:
    """Risky listings grouped by (organisation or the listing itself, risk type), best first."""
    groups: dict[tuple[Any, ...], list[Candidate]] = defaultdict(list)
    for c in risky:
        owner = ("org", c.organisation_id) if c.organisation_id is not None else ("listing", c.listing_id)
        groups[(*owner, c.risk_type)].append(c)
    for members in groups.values():
        # A listing that fired a must-inspect rule leads, so the task's title carries the rule.
        members.sort(key=lambda c: (not c.rules, -c.priority, c.listing_id))
    return groups


def _apply_rules(fresh: list[Candidate], hits: dict[tuple[int, str], list[dict[str, Any]]]) -> None:
    """Mark the candidates whose champion score fired a must-inspect rule; they get rule priority."""
    for c in fresh:
        if rules := hits.get((c.listing_id, c.risk_type)):
            c.rules = rules
            c.priority = max(c.priority, rule_priority(c.risk_type, c.recency))


def _org_info(session: Session, org_ids: set[int]) -> dict[int, tuple[str, str]]:
    ids, info = sorted(org_ids), {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(col(Organisation.id), col(Organisation.name), col(Organisation.licence_status)).where(
                col(Organisation.id).in_(ids[start : start + 500])
            )
        )
        info.update({oid: (name, status) for oid, name, status in rows})
    return info


def _title(plan: Plan, orgs: dict[int, tuple[str, str]]) -> str:
    lead = plan.lead
    name, licence = orgs.get(lead.organisation_id or -1, (lead.name, ""))
    label = RISK_LABEL_ZH[RiskType(lead.risk_type)]
    prefix = {
        TaskOrigin.audit: "随机抽查 ",
        TaskOrigin.active_learning: "主动学习 ",
        TaskOrigin.rule: "必查 ",
    }.get(TaskOrigin(plan.origin), "")
    unlicensed = "（无证）" if licence in UNLICENSED else ""
    reason = f"（{rule_reason(lead.rules)}）" if plan.origin == TaskOrigin.rule and lead.rules else ""
    return f"{prefix}{label}：{name or '未署名发布者'}{unlicensed}{reason}"[:300]


def _active_counts(session: Session) -> Counter[tuple[str, str]]:
    statement = (
        select(col(InspectionTask.region_code), col(InspectionTask.agency), func.count())
        .where(col(InspectionTask.status).in_([s.value for s in ACTIVE_STATUSES]))
        .group_by(col(InspectionTask.region_code), col(InspectionTask.agency))
    )
    counts: Counter[tuple[str, str]] = Counter()
    for region, agency, n in session.execute(statement):
        counts[team_of(region, agency)] += n
    return counts


def _create(
    session: Session,
    plans: list[Plan],
    *,
    model_id: int,
    settings: Settings,
    now: datetime,
    report: GenerateReport,
    events: list[dict[str, Any]],
) -> None:
    """Insert the planned tasks, highest priority first, into `new` while the team has room, else backlog.

    EVENTS (the run's evidence_add events) are audited with the task.create events, after the writes.

    Written in bulk (inspection.tasks.bulk): a province cycle creates tens of thousands of tasks at once.
    """
    plans.sort(key=lambda p: (-p.lead.priority, p.lead.listing_id, p.lead.risk_type))
    orgs = _org_info(session, {p.lead.organisation_id for p in plans if p.lead.organisation_id is not None})
    active = _active_counts(session)
    rows = []
    for plan in plans:
        lead, agency = plan.lead, agency_for(plan.lead.risk_type)
        team = team_of(lead.region_code, agency)
        has_room = active[team] < team_capacity(team, settings)
        active[team] += 1 if has_room else 0
        rows.append(
            {
                "title": _title(plan, orgs),
                "risk_type": str(lead.risk_type),
                "agency": str(agency),
                "region_code": lead.region_code,
                "status": str(TaskStatus.new if has_room else TaskStatus.backlog),
                "origin": str(plan.origin),
                "priority": lead.priority,
                # Audit tasks sample a listing, not an organisation, so they never block its model task.
                "organisation_id": lead.organisation_id if plan.origin in ORG_ORIGINS else None,
                "listing_id": lead.listing_id,
                "model_version_id": model_id,
                "score": lead.probability,
                "due_at": due_at_for(lead.priority, settings=settings, now=now),
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    ids = insert_tasks(session, rows, plans, now, events)
    for tid, row, plan in zip(ids, rows, plans, strict=True):
        report.task_ids.append(tid)
        report.backlog += row["status"] == TaskStatus.backlog
        report.created += plan.origin == TaskOrigin.model
        report.created_audit += plan.origin == TaskOrigin.audit
        report.created_active += plan.origin == TaskOrigin.active_learning
        report.created_rule += plan.origin == TaskOrigin.rule


def tasks_generate(
    session: Session, *, settings: Settings, now: datetime | None = None, rng_seed: int | None = None
) -> GenerateReport:
    """Create tasks from the champion model's scores (one open task per organisation and risk type).

    Listings at or above their risk type's threshold, and listings whose score fired a must-inspect rule
    whatever the probability (origin=rule, high priority), become tasks (grouped by organisation, or by the
    listing itself when it has none); new risky listings of an organisation with an open task attach to it
    as evidence. Per team, a seeded random sample of the listings below threshold becomes origin=audit
    tasks, and the listings nearest the threshold origin=active_learning tasks, each slice a share of the
    team's capacity (TASK_AUDIT_CAPACITY_SHARE, TASK_ACTIVE_CAPACITY_SHARE). A listing that
    is already evidence of a task (of that risk type) never makes another, so a second run creates nothing.
    """
    now = now or utcnow()
    model = champion(session)
    report = GenerateReport(model_version_id=model.id if model else None)
    if model is None or model.id is None:
        return report
    seed = settings.task_audit_seed if rng_seed is None else rng_seed
    known = _known_pairs(session)
    fresh = [
        c for c in _candidates(session, model.id, now, settings) if (c.listing_id, c.risk_type) not in known
    ]
    report.skipped_known = len(known)
    _apply_rules(fresh, rule_hits(session, model.id))
    risky = [c for c in fresh if c.rules or c.probability >= threshold_for(c.risk_type, settings)]
    open_tasks = _open_org_tasks(session)
    plans: list[Plan] = []
    attachments: list[tuple[InspectionTask, list[Candidate]]] = []
    for (kind, owner, risk_type), members in sorted(_group(risky).items(), key=lambda kv: str(kv[0])):
        task = open_tasks.get((owner, risk_type)) if kind == "org" else None
        if task is not None:
            attachments.append((task, members))
        else:
            plans.append(Plan(members, TaskOrigin.rule if members[0].rules else TaskOrigin.model))
    report.attached, events = attach_to_open(session, attachments, now)
    risky_ids = {(c.listing_id, c.risk_type) for c in risky}
    below = [c for c in fresh if (c.listing_id, c.risk_type) not in risky_ids]
    plans += audit_plans(session, below, seed=seed, model_id=model.id, settings=settings)
    plans += active_learning_plans(session, plans, fresh, settings)
    _create(session, plans, model_id=model.id, settings=settings, now=now, report=report, events=events)
    return report


def _team_backlog(session: Session) -> dict[tuple[str, str], list[InspectionTask]]:
    statement = (
        select(InspectionTask)
        .where(col(InspectionTask.status) == TaskStatus.backlog)
        .order_by(col(InspectionTask.priority).desc(), col(InspectionTask.id))
    )
    teams: dict[tuple[str, str], list[InspectionTask]] = defaultdict(list)
    for task in session.execute(statement).scalars():
        teams[team_of(task.region_code, task.agency)].append(task)
    return teams


def tasks_release_backlog(session: Session, *, settings: Settings, now: datetime | None = None) -> int:
    """Move backlog tasks into `new`, highest priority first, as far as each team's capacity allows."""
    now = now or utcnow()
    active, released = _active_counts(session), 0
    for team, waiting in sorted(_team_backlog(session).items()):
        room = max(0, team_capacity(team, settings) - active[team])
        for task in waiting[:room]:
            save_change(
                session,
                task,
                expected_version=task.version,
                actor=None,
                action="release_backlog",
                values={"status": TaskStatus.new},
                details={"from": TaskStatus.backlog, "to": TaskStatus.new},
                now=now,
            )
            released += 1
    return released
