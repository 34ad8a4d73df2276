"""Demo ads stored as listings on a few demo boards, with their ground-truth organisation keys."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import Session, col

from store.models import Listing, Source
from store.text import bigrams
from store.upsert import upsert
from synthetic_ads.ads import Ad

DEMO_BOARDS: tuple[str, ...] = ("demo-jobs-a", "demo-jobs-b", "demo-jobs-c")


def _boards(session: Session) -> list[int]:
    rows = [{"name": name, "kind": "job", "title": f"Demo board {name}"} for name in DEMO_BOARDS]
    upsert(session, Source, rows, keys=["name"], update=[])
    statement = select(col(Source.id)).where(col(Source.name).in_(DEMO_BOARDS)).order_by(col(Source.name))
    return [int(i) for i in session.execute(statement).scalars()]


def _row(ad: Ad, source_id: int, with_contacts: bool) -> dict[str, object]:
    text = f"{ad.title}\n{ad.body}"
    contacts = {"phones": list(ad.phones), "wechat_ids": list(ad.wechat_ids)} if with_contacts else {}
    return {
        "source_id": source_id, "key": ad.ad_id, "url": f"http://demo.invalid/{ad.ad_id}", "kind": ad.kind,
        "title": ad.title, "body": ad.body, "employer_name": ad.employer, "contacts": contacts,
        "salary_min": ad.salary_min, "salary_max": ad.salary_max, "salary_text": ad.salary_text or None,
        "location_text": ad.location_text, "province_code": ad.province_code, "city_code": ad.city_code,
        "county_code": ad.county_code, "licence_no": ad.licence_no, "credit_code": ad.credit_code,
        "posted_date": ad.posted, "content_hash": hashlib.sha256(text.encode()).hexdigest(),
        "search_bigrams": bigrams(text)[:2000], "extra": {"org_key": ad.org_key, "synthetic": True},
    }  # fmt: skip


def store_ads_as_listings(
    session: Session, ads: Sequence[Ad], *, seed: int = 2014, with_contacts: bool = False
) -> dict[int, str]:
    """Upsert ADS as listings spread over the demo boards; returns listing id -> true org_key.

    WITH_CONTACTS fills the contacts JSON from the generator's truth (what a perfect contact extractor
    would give); without it linking must find phones and WeChat IDs in the text, as on a real crawl.
    """
    boards = _boards(session)
    rng = random.Random(seed)
    rows = [_row(ad, rng.choice(boards), with_contacts) for ad in ads]
    upsert(session, Listing, rows, keys=["source_id", "key"])
    keys = [ad.ad_id for ad in ads]
    found = session.execute(
        select(col(Listing.id), col(Listing.key), col(Listing.extra)).where(col(Listing.key).in_(keys))
    )
    return {int(i): str(extra["org_key"]) for i, _key, extra in found}
