"""The exchange export of organisations as CSV or JSON (schema documented in docs/organisations.md).

Bump EXPORT_SCHEMA_VERSION when the schema changes.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from organisations.merge import OrgError
from organisations.queries import listing_counts, region_prefix
from store.csvout import csv_text
from store.models import Organisation

EXPORT_SCHEMA_VERSION = "1.0"

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
    counts = listing_counts(session, [o.id for o in orgs if o.id])
    return [_export_row(o, counts.get(o.id or 0, 0)) for o in orgs]


def _flat(value: Any) -> Any:
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
    """Organisations as CSV (one header row, EXPORT_FIELDS) or JSON ({schema, version, organisations}).

    CSV cells go through store.csvout: a crawled name such as ``=HYPERLINK(...)`` is not a formula.
    """
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
    table = [EXPORT_FIELDS, *([_flat(row[k]) for k in EXPORT_FIELDS] for row in rows)]
    return csv_text(table, lineterminator="\n")
