"""Field accuracy of crawled listings against the demo web's ground truth (tests, benchmarks, docs)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.engine import Engine

from crawlers.storage import table
from store.models import Listing, Source
from store.text import fold_text

FIELDS = ("salary", "age", "city", "county", "phones", "employer")


def _digits(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit())


def _matches(listing: Any, truth: dict[str, Any]) -> dict[str, bool]:
    phones = {_digits(p) for p in (listing.contacts or {}).get("phones", [])}
    return {
        "salary": (listing.salary_min, listing.salary_max) == (truth["salary_min"], truth["salary_max"]),
        "age": (listing.age_min, listing.age_max) == (truth["age_min"], truth["age_max"]),
        "city": listing.city_code == truth["city_code"],
        "county": listing.county_code == truth["county_code"],
        "phones": phones == {_digits(p) for p in truth["phones"]},  # 025-7704 1871 == 02577041871
        "employer": fold_text(listing.employer_name) == fold_text(truth["employer"]),
    }


def field_accuracy(
    engine: Engine, truth: dict[str, dict[str, Any]], source_sites: dict[str, str]
) -> dict[str, Any]:
    """Share of crawled listings whose field equals the truth, per field; plus coverage and misses.

    TRUTH is crawlers.demo_web.ground_truth(...); SOURCE_SITES maps source names to demo site names.
    """
    hits: dict[str, int] = defaultdict(int)
    seen, expected = 0, 0
    wrong: dict[str, list[str]] = defaultdict(list)
    with engine.connect() as conn:
        for source, site in source_sites.items():
            pages = truth[site]
            expected += sum(1 for t in pages.values() if t["status"] == 200)
            listings, sources = table(Listing), table(Source)
            rows = conn.execute(
                select(listings)
                .join(sources, sources.c.id == listings.c.source_id)
                .where(sources.c.name == source)
            ).all()
            for listing in rows:
                expected_fields = pages.get(urlsplit(listing.url).path)
                if not expected_fields or expected_fields["status"] != 200:
                    continue
                seen += 1
                for name, ok in _matches(listing, expected_fields).items():
                    hits[name] += ok
                    if not ok and len(wrong[name]) < 5:
                        wrong[name].append(listing.url)
    accuracy = {name: round(hits[name] / seen, 3) if seen else 0.0 for name in FIELDS}
    return {
        "listings": seen,
        "expected": expected,
        "coverage": round(seen / expected, 3) if expected else 0.0,
        "accuracy": accuracy,
        "examples_wrong": dict(wrong),
    }


POST_FIELDS = ("author", "text", "time", "reposts", "captions", "employer")


def _post_matches(listing: Any, truth: dict[str, Any]) -> dict[str, bool]:
    post = (listing.extra or {}).get("post") or {}
    return {
        "author": post.get("author") == truth["author"],
        "text": " ".join((post.get("text") or "").split()) == " ".join(truth["text"].split()),
        "time": post.get("time") == truth["time"],
        "reposts": post.get("reposts") == truth["reposts"],
        "captions": post.get("captions") == truth["captions"],
        "employer": listing.employer_name == truth["employer"],  # exact characters, not folded
    }


def post_accuracy(
    engine: Engine, truth: dict[str, dict[str, Any]], source_sites: dict[str, str]
) -> dict[str, Any]:
    """Share of crawled posts (feed sources) whose author, text, time, reposts and captions equal the truth."""
    hits: dict[str, int] = defaultdict(int)
    seen, expected = 0, 0
    wrong: dict[str, list[str]] = defaultdict(list)
    listings, sources = table(Listing), table(Source)
    with engine.connect() as conn:
        for source, site in source_sites.items():
            expected += len(truth[site])
            query = select(listings).join(sources, sources.c.id == listings.c.source_id)
            for listing in conn.execute(query.where(sources.c.name == source)):
                expected_fields = truth[site].get(urlsplit(listing.url).path)
                if expected_fields is None:
                    continue
                seen += 1
                for name, ok in _post_matches(listing, expected_fields).items():
                    hits[name] += ok
                    if not ok and len(wrong[name]) < 5:
                        wrong[name].append(listing.url)
    return {
        "posts": seen,
        "expected": expected,
        "coverage": round(seen / expected, 3) if expected else 0.0,
        "accuracy": {name: round(hits[name] / seen, 3) if seen else 0.0 for name in POST_FIELDS},
        "examples_wrong": dict(wrong),
    }
