"""Listings and JSON inputs as feature records, and which risk types apply to which kind of listing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from risk_model.data.examples import RISK_TYPES

# Marriage listings are scored for illegal brokerage only; job listings for the two labour risks.
RISK_TYPES_BY_KIND: dict[str, tuple[str, ...]] = {
    "job": ("illegal_agency", "child_labour", "forced_labour"),
    "marriage": ("illegal_marriage_broker",),
}
KIND_OF_RISK = {risk: kind for kind, risks in RISK_TYPES_BY_KIND.items() for risk in risks}
assert set(KIND_OF_RISK) == set(RISK_TYPES)


# Record field naming where the registry fields came from: "" (not looked up) keeps the registry
# "missing" features silent, since an unknown is not an anomaly; ORFD rows say "orfd".
REGISTRY_SOURCE_FIELD = "registry_source"


def registry_fields(record: Any) -> dict[str, str]:
    """Registry facts of a business RegistryRecord as record fields (scope, status, capital, ...)."""
    data = record.data or {}
    founded = record.valid_from.isoformat() if record.valid_from else ""
    return {
        "business_scope": record.scope or "",
        "operating_status": record.status or "",
        "reg_capital": str(data.get("reg_capital") or ""),
        "org_number": str(data.get("org_number") or ""),
        "reg_address": record.address or "",
        "established": founded,
        "credit_code": record.credit_code or "",
        REGISTRY_SOURCE_FIELD: "registry",
    }


def registry_for_listings(session: Any, listings: Sequence[Any]) -> dict[int, dict[str, str]]:
    """Listing id -> registry fields, for listings whose organisation (or own credit code) is registered.

    The credit code is the organisation's when the listing is linked to one, else the listing's own;
    the business registry is keyed by credit code.
    """
    from sqlalchemy import select
    from sqlmodel import col

    from store.enums import RegistryKind
    from store.models import Organisation, RegistryRecord

    org_ids = {row.organisation_id for row in listings if row.organisation_id is not None}
    org_codes: dict[int, str] = {}
    if org_ids:
        orgs = select(col(Organisation.id), col(Organisation.credit_code)).where(
            col(Organisation.id).in_(org_ids), col(Organisation.credit_code).is_not(None)
        )
        org_codes = {int(i): str(code) for i, code in session.execute(orgs).all()}
    codes = {
        row.id: org_codes.get(row.organisation_id) or row.credit_code
        for row in listings
        if org_codes.get(row.organisation_id) or row.credit_code
    }
    if not codes:
        return {}
    statement = select(RegistryRecord).where(
        col(RegistryRecord.kind) == RegistryKind.business,
        col(RegistryRecord.credit_code).in_(set(codes.values())),
    )
    by_code = {r.credit_code: registry_fields(r) for r in session.execute(statement).scalars()}
    return {listing_id: by_code[code] for listing_id, code in codes.items() if code in by_code}


def listing_record(listing: Any, registry: Mapping[str, str] | None = None) -> dict[str, str]:
    """The feature record of a store Listing (fields the model reads; the rest stay empty).

    REGISTRY: the listing's registry fields (registry_for_listings), which fill the registry features.
    """
    contacts = listing.contacts or {}
    contact_text = " ".join(str(v) for values in contacts.values() for v in _as_list(values))
    body = listing.body or ""
    if contact_text and contact_text not in body:
        body = f"{body}\n{contact_text}"
    return {
        "title": listing.title or "",
        "body": body,
        "salary": listing.salary_text or "",
        "company_name": listing.employer_name or "",
        "credit_code": listing.credit_code or "",
        "job_address": listing.location_text or "",
        "posted_at": listing.posted_date.isoformat() if listing.posted_date else "",
        **(registry or {}),
    }


def json_record(item: Mapping[str, Any]) -> dict[str, str]:
    """The feature record of one JSON-lines input item (fields described in docs/model.md)."""
    body = str(item.get("text") or "")
    contact = str(item.get("contact") or "")
    if contact:
        body = f"{body}\n{contact}"
    return {
        "title": str(item.get("title") or ""),
        "body": body,
        "salary": str(item.get("salary") or ""),
        "company_name": str(item.get("employer") or ""),
        "job_address": str(item.get("location") or ""),
    }


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]
