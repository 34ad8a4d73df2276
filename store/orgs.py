"""Organisations: staff merges and splits (audited), the market officer's queries, and the exchange export.

Staff decisions are recorded on the organisation (``identifiers["manual_listings"]``: listings pinned to
it; ``identifiers["not_same_as"]``: organisations it was split from; ``identifiers["manual"]``: the
history) so that the next automatic linking run keeps them.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session, col

from store.audit import audit_append
from store.enums import LicenceStatus
from store.models import Listing, Organisation, RegistryRecord
from store.types import utcnow

EXPORT_SCHEMA_VERSION = "1.0"
BAD_LICENCE = (LicenceStatus.missing.value, LicenceStatus.expired.value, LicenceStatus.name_mismatch.value)
_SEVERITY = {
    LicenceStatus.missing.value: 0,
    LicenceStatus.expired.value: 1,
    LicenceStatus.name_mismatch.value: 2,
}


class OrgError(ValueError):
    """A merge or split that cannot be done; the message says why."""


# --------------------------------------------------------------------------------------------------
# Manual decisions


def manual_pins(session: Session) -> dict[int, int]:
    """Listing id -> organisation id for every listing staff pinned by a merge or split."""
    pins: dict[int, int] = {}
    statement = select(col(Organisation.id), col(Organisation.identifiers)).where(
        col(Organisation.merged_into_id).is_(None)
    )
    for org_id, identifiers in session.execute(statement):
        for listing_id in (identifiers or {}).get("manual_listings", []):
            pins[int(listing_id)] = org_id
    return pins


def _active(session: Session, org_id: int) -> Organisation:
    org = session.get(Organisation, org_id)
    if org is None:
        raise OrgError(f"organisation {org_id} does not exist")
    if org.merged_into_id is not None:
        raise OrgError(f"organisation {org_id} was merged into {org.merged_into_id}; use that one")
    return org


def _listing_ids(session: Session, org_id: int) -> list[int]:
    statement = (
        select(col(Listing.id)).where(col(Listing.organisation_id) == org_id).order_by(col(Listing.id))
    )
    return [int(i) for i in session.execute(statement).scalars()]


def _record(org: Organisation, **decision: Any) -> None:
    """Append a decision to the organisation's manual history (a new dict, so the JSON change is seen)."""
    identifiers = dict(org.identifiers or {})
    entry = {"at": utcnow().isoformat(timespec="seconds"), **decision}
    identifiers["manual"] = [*identifiers.get("manual", []), entry]
    org.identifiers = identifiers
    org.updated_at = utcnow()


def _set_identifier(org: Organisation, key: str, values: list[int]) -> None:
    org.identifiers = {**(org.identifiers or {}), key: sorted(set(values))}


def org_merge(
    session: Session, *, keep_id: int, merge_id: int, reason: str, actor: str, actor_id: int | None = None
) -> Organisation:
    """Staff say KEEP and MERGE are one actor: MERGE's listings move to KEEP, pinned there; audited."""
    if keep_id == merge_id:
        raise OrgError("cannot merge an organisation with itself")
    if not reason.strip():
        raise OrgError("a merge needs a reason")
    keep, gone = _active(session, keep_id), _active(session, merge_id)
    moved = _listing_ids(session, merge_id)
    session.execute(
        update(Listing)
        .where(col(Listing.organisation_id) == merge_id)
        .values(organisation_id=keep_id, organisation_confidence=1.0)
    )
    pinned = _listing_ids(session, keep_id) + moved
    _set_identifier(keep, "manual_listings", [*keep.identifiers.get("manual_listings", []), *pinned])
    not_same = [o for o in keep.identifiers.get("not_same_as", []) if o != merge_id]
    _set_identifier(keep, "not_same_as", not_same + gone.identifiers.get("not_same_as", []))
    _record(keep, action="merge", other=merge_id, listings=moved, reason=reason, actor=actor)
    gone.merged_into_id = keep_id
    gone.identifiers = {**gone.identifiers, "manual_listings": []}
    _record(gone, action="merged_into", other=keep_id, reason=reason, actor=actor)
    code, gone.credit_code = gone.credit_code, None
    session.flush()  # the code is unique: free it before KEEP takes it
    keep.credit_code = keep.credit_code or code
    audit_append(
        session, action="org_merge", actor=actor, actor_id=actor_id, object_type="organisation",
        object_id=keep_id, details={"merged": merge_id, "listings": moved, "reason": reason},
    )  # fmt: skip
    session.flush()
    return keep


def org_split(
    session: Session,
    *,
    org_id: int,
    listing_ids: list[int],
    reason: str,
    actor: str,
    actor_id: int | None = None,
    name: str | None = None,
) -> Organisation:
    """Staff say LISTING_IDS belong to another actor: they move to a new organisation; both sides pinned."""
    if not reason.strip():
        raise OrgError("a split needs a reason")
    source = _active(session, org_id)
    current = _listing_ids(session, org_id)
    chosen = sorted(set(listing_ids))
    if not chosen or not set(chosen) <= set(current):
        raise OrgError(
            f"listings {sorted(set(chosen) - set(current))} do not belong to organisation {org_id}"
        )
    if len(chosen) == len(current):
        raise OrgError("a split must leave at least one listing with the organisation")
    names = session.execute(select(col(Listing.employer_name)).where(col(Listing.id).in_(chosen))).scalars()
    counts = Counter(n for n in names if n)
    new = Organisation(
        name=(name or (counts.most_common(1)[0][0] if counts else f"{source.name}（拆分）"))[:200],
        kind=source.kind,
        region_code=source.region_code,
        identifiers={"manual_listings": chosen, "not_same_as": [org_id]},
    )
    session.add(new)
    session.flush()
    new_id = int(new.id or 0)
    moved = update(Listing).where(col(col(Listing.id)).in_(chosen))
    session.execute(moved.values(organisation_id=new_id, organisation_confidence=1.0))
    _set_identifier(source, "manual_listings", [i for i in current if i not in chosen])
    _set_identifier(source, "not_same_as", [*source.identifiers.get("not_same_as", []), new_id])
    _record(source, action="split", other=new.id, listings=chosen, reason=reason, actor=actor)
    _record(new, action="split_from", other=org_id, listings=chosen, reason=reason, actor=actor)
    audit_append(
        session, action="org_split", actor=actor, actor_id=actor_id, object_type="organisation",
        object_id=org_id, details={"new_organisation": new.id, "listings": chosen, "reason": reason},
    )  # fmt: skip
    session.flush()
    return new


# --------------------------------------------------------------------------------------------------
# Read queries for the market officer's view


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


def _listing_counts(session: Session, org_ids: list[int]) -> dict[int, int]:
    if not org_ids:
        return {}
    statement = (
        select(col(Listing.organisation_id), func.count())
        .where(col(Listing.organisation_id).in_(org_ids))
        .group_by(col(Listing.organisation_id))
    )
    return {int(o): int(n) for o, n in session.execute(statement)}


def _summaries(session: Session, orgs: list[Organisation]) -> list[OrgSummary]:
    counts = _listing_counts(session, [o.id for o in orgs if o.id])
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


# --------------------------------------------------------------------------------------------------
# Exchange export (schema documented in docs/organisations.md; bump EXPORT_SCHEMA_VERSION on change)

EXPORT_FIELDS: tuple[str, ...] = (
    "org_id",
    "name",
    "normalised_name",
    "kind",
    "licence_status",
    "credit_code",
    "licence_no",
    "region_code",
    "listing_count",
    "names",
    "phones",
    "wechat_ids",
    "flag_codes",
    "flags",
    "updated_at",
)


def _export_row(org: Organisation, listing_count: int) -> dict[str, Any]:
    identifiers = org.identifiers or {}
    return {
        "org_id": org.id,
        "name": org.name,
        "normalised_name": org.normalised_name,
        "kind": org.kind,
        "licence_status": org.licence_status,
        "credit_code": org.credit_code,
        "licence_no": org.licence_no,
        "region_code": org.region_code,
        "listing_count": listing_count,
        "names": list(identifiers.get("names", [])),
        "phones": list(identifiers.get("phones", [])),
        "wechat_ids": list(identifiers.get("wechat_ids", [])),
        "flag_codes": sorted({f.get("code", "") for f in org.flags or []}),
        "flags": list(org.flags or []),
        "updated_at": org.updated_at.isoformat(timespec="seconds"),
    }


def export_rows(
    session: Session, *, region: str | None = None, flagged_only: bool = False
) -> list[dict[str, Any]]:
    """The export's records (active organisations, by id)."""
    statement = (
        select(Organisation).where(col(Organisation.merged_into_id).is_(None)).order_by(col(Organisation.id))
    )
    prefix = region_prefix(region)
    if prefix:
        statement = statement.where(col(Organisation.region_code).like(prefix + "%"))
    orgs = [o for o in session.execute(statement).scalars() if o.flags or not flagged_only]
    counts = _listing_counts(session, [o.id for o in orgs if o.id])
    return [_export_row(o, counts.get(o.id or 0, 0)) for o in orgs]


def _csv_cell(value: Any) -> Any:
    """Lists join with '|' (flag evidence goes as JSON), None becomes empty."""
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "|".join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return value


def export_organisations(
    session: Session, fmt: str = "csv", *, region: str | None = None, flagged_only: bool = False
) -> str:
    """Organisations as CSV (one header row, EXPORT_FIELDS) or JSON ({schema, version, organisations})."""
    rows = export_rows(session, region=region, flagged_only=flagged_only)
    if fmt == "json":
        document = {
            "schema": "labourwatch.organisations",
            "version": EXPORT_SCHEMA_VERSION,
            "organisations": rows,
        }
        return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False, default=str)
    if fmt != "csv":
        raise OrgError(f"unknown export format {fmt!r}; use csv or json")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(row[k]) for k in EXPORT_FIELDS})
    return out.getvalue()


def summary_dict(summary: OrgSummary) -> dict[str, Any]:
    """An OrgSummary as a plain dict (for JSON APIs)."""
    return asdict(summary)
