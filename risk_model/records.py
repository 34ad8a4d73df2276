"""Listings and JSON inputs as feature records, and which risk types apply to which kind of listing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from risk_model.examples import RISK_TYPES

# Marriage listings are scored for illegal brokerage only; job listings for the two labour risks.
RISK_TYPES_BY_KIND: dict[str, tuple[str, ...]] = {
    "job": ("illegal_agency", "child_labour"),
    "marriage": ("illegal_marriage_broker",),
}
KIND_OF_RISK = {risk: kind for kind, risks in RISK_TYPES_BY_KIND.items() for risk in risks}
assert set(KIND_OF_RISK) == set(RISK_TYPES)


def listing_record(listing: Any) -> dict[str, str]:
    """The feature record of a store Listing (fields the model reads; the rest stay empty)."""
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
