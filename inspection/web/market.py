"""Market-regulation view: organisations whose licence is not valid, with listings, risk and tasks.

A thin read query kept in the web layer because the inspection core has no organisation query yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session, col

from inspection.access import AccessDenied, can_see_region, region_prefix
from store.enums import LicenceStatus, TaskStatus
from store.models import InspectionTask, Listing, Organisation, RiskScore, User

FLAGGED = (LicenceStatus.missing, LicenceStatus.expired, LicenceStatus.name_mismatch, LicenceStatus.unknown)


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


def _listing_counts(session: Session, ids: list[int]) -> dict[int, int]:
    column = col(Listing.organisation_id)
    rows = session.execute(select(column, func.count()).where(column.in_(ids)).group_by(column))
    return {int(k): int(v) for k, v in rows}


def _max_risk(session: Session, ids: list[int]) -> dict[int, float]:
    org = col(Listing.organisation_id)
    statement = (
        select(org, func.max(col(RiskScore.probability)))
        .join(RiskScore, col(RiskScore.listing_id) == col(Listing.id))
        .where(org.in_(ids))
        .group_by(org)
    )
    return {int(k): float(v) for k, v in session.execute(statement)}


def flagged_organisations(
    session: Session, *, user: User, limit: int = 200, flagged_only: bool = True
) -> list[FlaggedOrganisation]:
    """Organisations in USER's region whose licence is missing, expired, mismatched or unknown (or all)."""
    statuses = FLAGGED if flagged_only else tuple(LicenceStatus)
    statement = (
        select(Organisation)
        .where(col(Organisation.licence_status).in_([s.value for s in statuses]))
        .where(col(Organisation.merged_into_id).is_(None))
        .where(col(Organisation.region_code).like(region_prefix(user.region_code) + "%"))
        .order_by(col(Organisation.id))
        .limit(limit * 2)
    )
    orgs = [o for o in session.execute(statement).scalars() if can_see_region(user, o.region_code)][:limit]
    ids = [o.id for o in orgs if o.id is not None]
    if not ids:
        return []
    listings = _listing_counts(session, ids)
    risk = _max_risk(session, ids)
    tasks = _tasks_by_org(session, ids)
    rows = [_row(o, listings, risk, tasks) for o in orgs]
    return sorted(rows, key=lambda r: (-(r.max_risk or 0.0), -r.listings, r.id))


def _tasks_by_org(session: Session, ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    rows = session.execute(
        select(col(InspectionTask.organisation_id), col(InspectionTask.id), col(InspectionTask.status)).where(
            col(InspectionTask.organisation_id).in_(ids)
        )
    )
    out: dict[int, list[tuple[int, str]]] = {}
    for org_id, task_id, status in rows:
        out.setdefault(int(org_id), []).append((int(task_id), str(status)))
    return out


def _row(
    org: Organisation,
    listings: dict[int, int],
    risk: dict[int, float],
    tasks: dict[int, list[tuple[int, str]]],
) -> FlaggedOrganisation:
    org_id = org.id or 0
    own = tasks.get(org_id, [])
    return FlaggedOrganisation(
        id=org_id,
        name=org.name,
        kind=org.kind,
        region_code=org.region_code,
        licence_status=org.licence_status,
        licence_no=org.licence_no,
        listings=listings.get(org_id, 0),
        max_risk=risk.get(org_id),
        open_tasks=sum(1 for _, status in own if status != TaskStatus.closed),
        task_ids=[task_id for task_id, _ in own],
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
    """The organisation's listings, riskiest first; AccessDenied when it lies outside USER's region."""
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
    return [OrganisationListing(int(i), t, u, bool(a), r) for i, t, u, a, r in session.execute(statement)]
