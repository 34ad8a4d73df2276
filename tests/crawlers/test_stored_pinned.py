"""A crawl of the demo sites stores exactly what it stored before the CPU work of issue 15.

Every stored listing field, version (fields, evidence hash) and rejected item is digested per source and
compared with tests/crawlers/stored_digests.json, written by the code before that work
(LW_WRITE_STORED_DIGESTS=1 rewrites it: only for a change meant to alter what is stored).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from crawlers.demo_web import DemoWeb
from store.models import Listing, ListingVersion, RejectedItem, Source
from tests.crawlers.helpers import run_crawl

DIGESTS = Path(__file__).parent / "stored_digests.json"
SEED, N_JOB, N_MARRIAGE = 2014, 64, 15
SOURCES = ("demo-suzhou-jobs", "demo-jiangsu-talent", "demo-51-style", "demo-hongniang-marriage")
# Row ids, run ids and clock times differ from run to run; everything else must not.
_VOLATILE = frozenset(["id", "source_id", "listing_id", "last_run_id", "crawl_run_id", "raw_gz"])


@pytest.fixture
def web() -> Iterator[DemoWeb]:
    with DemoWeb(seed=SEED, n_job=N_JOB, n_marriage=N_MARRIAGE, slow_seconds=0.0) as demo:
        yield demo


def _stable(row: dict[str, Any], bases: dict[str, str]) -> dict[str, Any]:
    kept = {k: v for k, v in row.items() if k not in _VOLATILE and not isinstance(v, datetime)}
    text = json.dumps(kept, ensure_ascii=False, sort_keys=True, default=_plain)
    for site, base in bases.items():  # the demo web's ports change from run to run
        text = text.replace(base, f"http://{site}")
    return json.loads(text)  # type: ignore[no-any-return]


def _plain(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else repr(value)


def _digest(engine: Engine, source: str, bases: dict[str, str]) -> dict[str, Any]:
    with engine.connect() as conn:
        source_id = conn.execute(select(Source.id).where(Source.name == source)).scalar_one()
        listings = conn.execute(select(Listing).where(Listing.source_id == source_id)).mappings().all()
        ids = {row["id"]: row["key"] for row in listings}
        versions = (
            conn.execute(select(ListingVersion).where(ListingVersion.listing_id.in_(ids))).mappings().all()
        )
        rejected = (
            conn.execute(select(RejectedItem.url, RejectedItem.reason, RejectedItem.item)).mappings().all()
        )
    rows = sorted(json.dumps(_stable(dict(r), bases), sort_keys=True, ensure_ascii=False) for r in listings)
    rows += sorted(
        json.dumps([ids[v["listing_id"]], _stable(dict(v), bases)], sort_keys=True, ensure_ascii=False)
        for v in versions
    )
    rows += sorted(json.dumps(_stable(dict(r), bases), sort_keys=True, ensure_ascii=False) for r in rejected)
    text = "\n".join(rows)
    return {
        "listings": len(listings),
        "versions": len(versions),
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
    }


def test_demo_crawl_stores_what_it_stored_before(db: Engine, db_url: str, web: DemoWeb) -> None:
    found: dict[str, Any] = {}
    for source in SOURCES:
        summary = run_crawl(source, db_url, web.urls)
        assert summary["status"] == "succeeded", summary
        found[source] = _digest(db, source, web.urls)
        with db.begin() as conn:  # rejected items are per run: digest each source's alone
            conn.execute(RejectedItem.__table__.delete())  # type: ignore[attr-defined]
    if os.environ.get("LW_WRITE_STORED_DIGESTS") == "1":
        DIGESTS.write_text(json.dumps(found, indent=1) + "\n")
    assert found == json.loads(DIGESTS.read_text())
