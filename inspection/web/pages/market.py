"""Market-regulation view: flagged organisations (from ``organisations.queries``) with their flags' evidence,
risk and tasks.

``organisations.queries.flagged_organisations`` decides which organisations are flagged, in what order, and
with what evidence. This module adds only what the web view needs and ``organisations`` cannot know (it
imports neither the model nor inspection: risk scores and inspection tasks are not its business): the user's region check, the
highest risk score and the tasks per organisation, masking of free text in flags, the unflagged listing
(``flagged=0``), and the organisation's listings riskiest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from inspection.access import AccessDenied, can_see_region, can_see_task, region_prefix
from organisations.queries import OrgSummary
from organisations.queries import flagged_organisations as queries_flagged_organisations
from store.enums import TaskStatus
from store.models import InspectionTask, Listing, Organisation, RiskScore, User
from zhtext.pii import mask_text

REGISTRY_FIELDS = ("id", "kind", "registry_key", "name", "licence_no", "credit_code", "status", "valid_to")


@dataclass(frozen=True)
class OrgFlag:
    """Why an organisation is flagged, with the evidence: listings, phrases and the registry record."""

    code: str
    detail: str
    listing_ids: list[int]
    phrases: list[str]
    registry_record: dict[str, Any] | None


@dataclass(frozen=True)
class FlaggedOrganisation:
    """One organisation to look at, with what we know about it."""

    id: int
    name: str
    kind: str
    region_code: str | None
    licence_status: str
    licence_no: str | None
    listings: int
    max_risk: float | None
    open_tasks: int
    task_ids: list[int]
    flags: list[OrgFlag]


def org_flag(raw: dict[str, Any]) -> OrgFlag:
    """A stored flag as shown: free text masked (it may quote an ad), the registry record's business fields."""
    evidence = raw.get("evidence") or {}
    record = evidence.get("registry_record")
    return OrgFlag(
        code=str(raw.get("code", "")),
        detail=mask_text(str(raw.get("detail", ""))),
        listing_ids=[int(i) for i in evidence.get("listing_ids", []) if str(i).isdigit()],
        phrases=[mask_text(str(p)) for p in evidence.get("phrases", [])],
        registry_record={k: record.get(k) for k in REGISTRY_FIELDS if k in record}
        if isinstance(record, dict)
        else None,
    )


def _max_risk(session: Session, ids: list[int]) -> dict[int, float]:
    org = col(Listing.organisation_id)
    statement = (
        select(org, func.max(col(RiskScore.probability)))
        .join(RiskScore, col(RiskScore.listing_id) == col(Listing.id))
        .where(org.in_(ids))
        .group_by(org)
    )
    return {int(k): float(v) for k, v in session.execute(statement)}


def _tasks_by_org(session: Session, user: User, ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """The organisations' tasks that USER may open (a link to another agency's task would only 404)."""
    rows = session.execute(
        select(InspectionTask).where(col(InspectionTask.organisation_id).in_(ids))
    ).scalars()
    out: dict[int, list[tuple[int, str]]] = {}
    for task in rows:
        if can_see_task(user, task):
            out.setdefault(int(task.organisation_id or 0), []).append((int(task.id or 0), str(task.status)))
    return out


def _all_in_region(session: Session, user: User, limit: int) -> list[OrgSummary]:
    """Every active organisation in USER's region, flagged or not (organisations.queries lists flagged ones only)."""
    statement = (
        select(Organisation)
        .where(col(Organisation.merged_into_id).is_(None))
        .where(col(Organisation.region_code).like(region_prefix(user.region_code) + "%"))
        .order_by(col(Organisation.id))
        .limit(limit)
    )
    orgs = list(session.execute(statement).scalars())
    column = col(Listing.organisation_id)
    ids = [o.id for o in orgs]
    counts = dict(session.execute(select(column, func.count()).where(column.in_(ids)).group_by(column)).all())
    return [
        OrgSummary(id=o.id or 0, name=o.name, kind=o.kind, licence_status=o.licence_status,
                   region_code=o.region_code, credit_code=o.credit_code, licence_no=o.licence_no,
                   listing_count=int(counts.get(o.id, 0)), flags=list(o.flags or []))
        for o in orgs
    ]  # fmt: skip


def flagged_organisations(
    session: Session,
    *,
    user: User,
    limit: int = 200,
    offset: int = 0,
    flagged_only: bool = True,
    licence_status: str | None = None,
    flag_code: str | None = None,
) -> list[FlaggedOrganisation]:
    """Flagged organisations in USER's region (organisations.queries' order: worst licence, most listings), or all."""
    if flagged_only:
        summaries = queries_flagged_organisations(
            session, region=user.region_code, licence_status=licence_status, flag_code=flag_code,
            limit=limit, offset=offset,
        )  # fmt: skip
    else:
        summaries = _all_in_region(session, user, limit)
    visible = [s for s in summaries if can_see_region(user, s.region_code)]  # the access rule, not a prefix
    ids = [s.id for s in visible]
    if not ids:
        return []
    risk, tasks = _max_risk(session, ids), _tasks_by_org(session, user, ids)
    return [_row(s, risk.get(s.id), tasks.get(s.id, [])) for s in visible]


def _row(summary: OrgSummary, max_risk: float | None, tasks: list[tuple[int, str]]) -> FlaggedOrganisation:
    return FlaggedOrganisation(
        id=summary.id,
        name=summary.name,
        kind=summary.kind,
        region_code=summary.region_code,
        licence_status=summary.licence_status,
        licence_no=summary.licence_no,
        listings=summary.listing_count,
        max_risk=max_risk,
        open_tasks=sum(1 for _, status in tasks if status != TaskStatus.closed),
        task_ids=[task_id for task_id, _ in tasks],
        flags=[org_flag(f) for f in summary.flags if isinstance(f, dict)],
    )


@dataclass(frozen=True)
class OrganisationListing:
    """One listing of an organisation, with its highest risk score."""

    id: int
    title: str
    url: str
    active: bool
    max_risk: float | None


def organisation_listings(
    session: Session, *, user: User, org_id: int, limit: int = 50
) -> list[OrganisationListing]:
    """The organisation's listings, riskiest first; AccessDenied when it lies outside USER's region.

    Kept here rather than taken from ``organisations.queries.organisation_profile``: the profile lists listings by id
    without risk scores, and the officer needs the riskiest first.
    """
    org = session.get(Organisation, org_id)
    if org is None or not can_see_region(user, org.region_code):
        raise AccessDenied(f"organisation {org_id} is outside your region")
    risk = func.max(col(RiskScore.probability))
    statement = (
        select(col(Listing.id), col(Listing.title), col(Listing.url), col(Listing.active), risk)
        .outerjoin(RiskScore, col(RiskScore.listing_id) == col(Listing.id))
        .where(col(Listing.organisation_id) == org_id)
        .group_by(col(Listing.id), col(Listing.title), col(Listing.url), col(Listing.active))
        .order_by(risk.desc().nulls_last(), col(Listing.id))
        .limit(limit)
    )
    # No task assigns this view, so only roles with personal-data rights over the region see titles in clear.
    show = user.role in {"supervisor", "admin"}
    rows = session.execute(statement)
    return [OrganisationListing(int(i), t if show else mask_text(t), u, bool(a), r) for i, t, u, a, r in rows]
