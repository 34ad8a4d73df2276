"""Demo sources, organisations, listings and their first versions, written from synthetic ads."""

from __future__ import annotations

import gzip
import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from store.models import Listing, ListingVersion, Organisation, Source
from store.seed.bulk import insert_returning_ids, insert_rows
from store.text import bigrams
from store.upsert import insert_missing, upsert
from synthetic_ads.ads import Ad


def seed_sources(session: Session) -> dict[str, int]:
    rows = [
        {"name": "demo-jobs", "kind": "job", "title": "演示招聘网站", "region_code": "320000", "config": {}},
        {
            "name": "demo-marriage",
            "kind": "marriage",
            "title": "演示婚恋网站",
            "region_code": "320000",
            "config": {},
        },
    ]
    upsert(session, Source, rows, keys=["name"], update=["title"])
    found = session.execute(
        select(col(Source.kind), col(Source.id)).where(col(Source.name).in_(["demo-jobs", "demo-marriage"]))
    )
    return dict(found.all())


def _licence_status(ad: Ad) -> str:
    if "no_licence_shown" in ad.indicators or "unregistered_marriage_agency" in ad.indicators:
        return "missing"
    return "valid" if ad.licence_no else "unknown"


@dataclass
class OrgIds:
    """Organisation ids by ground-truth org key, kept across the chunks of one build."""

    ids: dict[str, int] = field(default_factory=dict)
    seen_credit: set[str] = field(default_factory=set)


def known_organisations(session: Session) -> OrgIds:
    """The demo organisations already in the database."""
    return OrgIds(ids=_org_map(session))


def seed_organisations(session: Session, ads: list[Ad], now: datetime, orgs: OrgIds) -> dict[str, int]:
    """One organisation per ground-truth org key (individuals without a company name get none)."""
    rows: list[dict[str, Any]] = []
    fresh: set[str] = set()
    for ad in ads:
        if (
            ad.org_key in orgs.ids
            or ad.org_key in fresh
            or not ad.employer
            or "no_company_named" in ad.indicators
        ):
            continue
        credit = ad.credit_code if ad.credit_code and ad.credit_code not in orgs.seen_credit else None
        orgs.seen_credit.add(credit or "")
        fresh.add(ad.org_key)
        rows.append(
            {
                "name": ad.employer[:200],
                "normalised_name": ad.employer[:200],
                "kind": "broker"
                if ad.kind == "marriage"
                else "agency"
                if "claims_agency" in ad.indicators
                else "employer",
                "credit_code": credit,
                "licence_no": ad.licence_no,
                "region_code": ad.county_code or ad.city_code,
                "licence_status": _licence_status(ad),
                "identifiers": {"demo_key": ad.org_key},
                "flags": [],
                "created_at": now,
                "updated_at": now,
            }
        )
    for row, oid in zip(rows, insert_returning_ids(session, Organisation, rows), strict=True):
        orgs.ids[row["identifiers"]["demo_key"]] = oid
    return orgs.ids


def _org_map(session: Session) -> dict[str, int]:
    rows = session.execute(select(col(Organisation.id), col(Organisation.identifiers)))
    return {ids["demo_key"]: oid for oid, ids in rows if isinstance(ids, dict) and "demo_key" in ids}


def _listing_row(ad: Ad, source_id: int, org_id: int | None, seen: datetime) -> dict[str, Any]:
    text = f"{ad.title}\n{ad.body}"
    return {
        "source_id": source_id,
        "key": ad.ad_id,
        "url": f"http://127.0.0.1:8800/{ad.kind}/{ad.ad_id}.html",
        "kind": ad.kind,
        "title": ad.title[:500],
        "body": ad.body,
        "employer_name": ad.employer[:200] or None,
        "contacts": {"phones": list(ad.phones), "wechat": list(ad.wechat_ids), "text": ad.contact_text},
        "salary_min": ad.salary_min,
        "salary_max": ad.salary_max,
        "salary_text": ad.salary_text[:200] or None,
        "age_min": ad.age_min,
        "age_max": ad.age_max,
        "location_text": ad.location_text[:300] or None,
        "province_code": ad.province_code,
        "city_code": ad.city_code,
        "county_code": ad.county_code,
        "licence_no": ad.licence_no,
        "credit_code": ad.credit_code,
        "posted_date": ad.posted,
        "extra": {"synthetic": True},
        "content_hash": hashlib.sha256(text.encode()).hexdigest(),
        "search_bigrams": bigrams(text),
        "first_seen": seen,
        "last_seen": seen,
        "organisation_id": org_id,
    }


def seed_listings(
    session: Session,
    ads: list[Ad],
    sources: dict[str, int],
    orgs: dict[str, int],
    now: datetime,
    rng: random.Random,
) -> dict[str, int]:
    """The listings (and first versions) of ADS; listing id by ad id. RNG draws first-seen dates."""
    rows = [
        _listing_row(ad, sources[ad.kind], orgs.get(ad.org_key), now - timedelta(days=rng.randint(0, 90)))
        for ad in ads
    ]
    written = insert_missing(session, Listing, rows, keys=["source_id", "key"], returning=["key", "id"])
    ids: dict[str, int] = {key: lid for key, lid in written}
    # Listings already there (a second build): looked up; only they can have versions already.
    older = [ad.ad_id for ad in ads if ad.ad_id not in ids]
    for start in range(0, len(older), 1000):
        found = session.execute(
            select(col(Listing.key), col(Listing.id)).where(
                col(Listing.source_id).in_(list(sources.values())),
                col(Listing.key).in_(older[start : start + 1000]),
            )
        )
        ids.update(dict(found.all()))
    _versions(session, ads, ids, now, older={ids[key] for key in older})
    return ids


def _versions(session: Session, ads: list[Ad], ids: dict[str, int], now: datetime, older: set[int]) -> None:
    wanted = sorted(older)
    have: set[int] = set()
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        statement = select(col(ListingVersion.listing_id)).where(col(ListingVersion.listing_id).in_(chunk))
        have.update(session.execute(statement).scalars())
    rows = []
    for ad in ads:
        if ids[ad.ad_id] in have:
            continue
        raw = f"<html><head><meta charset='utf-8'><title>{ad.title}</title></head><body><pre>{ad.body}</pre></body></html>"
        data = raw.encode()
        rows.append(
            {
                "listing_id": ids[ad.ad_id],
                "version_no": 1,
                "content_hash": hashlib.sha256(f"{ad.title}\n{ad.body}".encode()).hexdigest(),
                "fields": {"title": ad.title},
                "raw_gz": gzip.compress(data, compresslevel=1),
                "raw_sha256": hashlib.sha256(data).hexdigest(),
                "raw_content_type": "text/html",
                "captured_at": now,
                "crawler_version": "demo",
            }
        )
    insert_rows(session, ListingVersion, rows)
