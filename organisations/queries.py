"""Read queries for the market officer's view: flagged organisations and one organisation's profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from store.enums import LicenceStatus
from store.models import Listing, Organisation, RegistryRecord

_SEVERITY = {
    LicenceStatus.missing.value: 0,
    LicenceStatus.expired.value: 1,
    LicenceStatus.name_mismatch.value: 2,
}


@dataclass(frozen=True)
class OrgSummary:
    """One row of the flagged-organisations list."""

    id: int
    name: str
    kind: str
    licence_status: str
    region_code: str | None
    credit_code: str | None
    licence_no: str | None
    listing_count: int
    flags: list[dict[str, Any]]


@dataclass(frozen=True)
class OrgProfile:
    """Everything the UI shows about one organisation, evidence included."""

    summary: OrgSummary
    names: list[str]
    identifiers: dict[str, Any]
    listings: list[dict[str, Any]]
    registry_records: list[dict[str, Any]]
    merged_from: list[int]
    manual_history: list[dict[str, Any]] = field(default_factory=list)


def region_prefix(region: str | None) -> str | None:
    """The code prefix every region inside REGION shares: 320000 -> 32, 320500 -> 3205."""
    if not region:
        return None
    code = region
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def listing_counts(session: Session, org_ids: list[int]) -> dict[int, int]:
    if not org_ids:
        return {}
    statement = (
        select(col(Listing.organisation_id), func.count())
        .where(col(Listing.organisation_id).in_(org_ids))
        .group_by(col(Listing.organisation_id))
    )
    return {int(o): int(n) for o, n in session.execute(statement)}


def _summaries(session: Session, orgs: list[Organisation]) -> list[OrgSummary]:
    counts = listing_counts(session, [o.id for o in orgs if o.id])
    return [
        OrgSummary(
            id=o.id or 0,
            name=o.name,
            kind=o.kind,
            licence_status=o.licence_status,
            region_code=o.region_code,
            credit_code=o.credit_code,
            licence_no=o.licence_no,
            listing_count=counts.get(o.id or 0, 0),
            flags=list(o.flags or []),
        )
        for o in orgs
    ]


def flagged_organisations(
    session: Session,
    *,
    region: str | None = None,
    licence_status: str | None = None,
    flag_code: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[OrgSummary]:
    """Organisations with at least one flag, worst licence status and most listings first."""
    statement = select(Organisation).where(col(Organisation.merged_into_id).is_(None))
    prefix = region_prefix(region)
    if prefix:
        statement = statement.where(col(Organisation.region_code).like(prefix + "%"))
    if licence_status:
        statement = statement.where(col(Organisation.licence_status) == licence_status)
    orgs = [o for o in session.execute(statement.order_by(col(Organisation.id))).scalars() if o.flags]
    if flag_code:
        orgs = [o for o in orgs if any(f.get("code") == flag_code for f in o.flags)]
    rows = _summaries(session, orgs)
    rows.sort(key=lambda s: (_SEVERITY.get(s.licence_status, 9), -s.listing_count, s.id))
    return rows[offset : offset + limit]


def _listing_rows(session: Session, org_id: int, limit: int) -> list[dict[str, Any]]:
    columns = (col(Listing.id), col(Listing.title), col(Listing.url), col(Listing.employer_name), col(Listing.kind), col(Listing.source_id),
               col(Listing.posted_date), col(Listing.city_code), col(Listing.organisation_confidence), col(Listing.active))  # fmt: skip
    statement = (
        select(*columns).where(col(Listing.organisation_id) == org_id).order_by(col(Listing.id)).limit(limit)
    )
    return [dict(r._mapping) for r in session.execute(statement)]


def _registry_rows(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    records = session.execute(select(RegistryRecord).where(col(RegistryRecord.id).in_(ids))).scalars()
    keep = (
        "id",
        "kind",
        "registry_key",
        "name",
        "credit_code",
        "licence_no",
        "address",
        "status",
        "valid_from",
        "valid_to",
    )
    return [{k: getattr(r, k) for k in keep} for r in records]


def organisation_profile(session: Session, org_id: int, *, listing_limit: int = 200) -> OrgProfile | None:
    """One organisation with its names, identifiers, listings, registry records and flags (None if absent)."""
    org = session.get(Organisation, org_id)
    if org is None:
        return None
    merged_from = session.execute(
        select(col(Organisation.id)).where(col(Organisation.merged_into_id) == org_id)
    ).scalars()
    identifiers = dict(org.identifiers or {})
    return OrgProfile(
        summary=_summaries(session, [org])[0],
        names=list(identifiers.get("names", [org.name])),
        identifiers=identifiers,
        listings=_listing_rows(session, org_id, listing_limit),
        registry_records=_registry_rows(
            session, [int(i) for i in identifiers.get("registry_record_ids", [])]
        ),
        merged_from=sorted(int(i) for i in merged_from),
        manual_history=list(identifiers.get("manual", [])),
    )
