"""Storage: upserts keyed by (source, key), versions only for new content, evidence, inactivation."""

from __future__ import annotations

import gzip
import hashlib

from sqlalchemy import select
from sqlalchemy.engine import Engine

from crawlers.config.schema import SourceConfig
from crawlers.record import Context, build_record
from crawlers.storage import PageItem, Rejected, mark_missed, run_start, source_sync, write_batch
from store.models import CrawlRun, Listing, ListingVersion, RejectedItem

CONFIG = SourceConfig.model_validate(
    {
        "name": "store-test",
        "kind": "job",
        "region": "320100",
        "start_urls": ["http://127.0.0.1/"],
        "extract": {"fields": {"title": {"css": "h1::text"}}},
    }
)


def _item(n: int, salary: str = "4000-6000元/月") -> PageItem:
    raw = {
        "title": f"招聘普工{n}名",
        "body": f"江宁区电子厂 急招 电话13812345{n:03d} 包吃住",
        "salary": salary,
        "employer": "南京某某电子有限公司",
        "external_id": str(n),
    }
    record = build_record(raw, Context(kind="job", region="320100", page_url=f"http://127.0.0.1/job/{n}"))
    return PageItem(record=record, raw=f"<html><h1>{raw['title']}</h1>{salary}</html>".encode())


def _start(db: Engine) -> tuple[int, int]:
    source_id = source_sync(db, CONFIG)
    return source_id, run_start(db, source_id, "test/1")


def test_new_unchanged_and_changed_listings(db: Engine) -> None:
    source_id, run1 = _start(db)
    first = write_batch(
        db,
        source_id=source_id,
        run_id=run1,
        crawler_version="test/1",
        items=[_item(1), _item(2)],
        rejected=[Rejected("http://127.0.0.1/bad", "empty title")],
    )
    assert (first.new, first.changed) == (2, 0)
    run2 = run_start(db, source_id, "test/1")
    second = write_batch(
        db,
        source_id=source_id,
        run_id=run2,
        crawler_version="test/1",
        items=[_item(1), _item(2, salary="5000-7000元/月")],
    )
    assert (second.new, second.changed, second.unchanged) == (0, 1, 1)
    with db.connect() as conn:
        listings = {r.key: r for r in conn.execute(select(Listing))}
        versions = conn.execute(select(ListingVersion).order_by(ListingVersion.version_no)).all()
        assert conn.execute(select(RejectedItem.reason)).scalars().all() == ["empty title"]
        runs = conn.execute(select(CrawlRun.status).order_by(CrawlRun.id)).scalars().all()
    assert listings["id:2"].version_count == 2 and listings["id:2"].salary_min == 5000
    assert listings["id:1"].version_count == 1 and listings["id:1"].last_run_id == run2
    assert [v.version_no for v in versions] == [1, 1, 2]
    latest = versions[-1]
    assert gzip.decompress(latest.raw_gz) == _item(2, "5000-7000元/月").raw
    assert latest.raw_sha256 == hashlib.sha256(gzip.decompress(latest.raw_gz)).hexdigest()
    assert latest.crawler_version == "test/1" and latest.crawl_run_id == run2
    assert "普工" in listings["id:1"].search_bigrams.split()
    assert runs == ["failed", "running"]  # the first run never finished: the next start failed it


def test_the_same_batch_twice_leaves_the_same_rows(db: Engine) -> None:
    source_id, run_id = _start(db)
    items = [_item(n) for n in range(5)]
    for _ in range(2):
        write_batch(db, source_id=source_id, run_id=run_id, crawler_version="test/1", items=items)
    with db.connect() as conn:
        assert len(conn.execute(select(Listing.id)).all()) == 5
        assert len(conn.execute(select(ListingVersion.id)).all()) == 5


def test_listings_missing_from_successful_runs_become_inactive(db: Engine) -> None:
    source_id, run_id = _start(db)
    write_batch(db, source_id=source_id, run_id=run_id, crawler_version="t", items=[_item(1), _item(2)])
    for _ in range(2):
        run_id = run_start(db, source_id, "t")
        write_batch(db, source_id=source_id, run_id=run_id, crawler_version="t", items=[_item(1)])
        mark_missed(db, source_id, run_id, inactive_after=2)
    with db.connect() as conn:
        state = {r.key: (r.active, r.missed_runs) for r in conn.execute(select(Listing))}
    assert state == {"id:1": (True, 0), "id:2": (False, 2)}
    run_id = run_start(db, source_id, "t")  # it comes back: active again
    write_batch(db, source_id=source_id, run_id=run_id, crawler_version="t", items=[_item(2)])
    with db.connect() as conn:
        assert conn.execute(select(Listing.active).where(Listing.key == "id:2")).scalar() is True
