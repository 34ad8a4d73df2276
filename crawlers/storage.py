"""The crawl's memory in the database: sources, runs, listings with versions, rejected items.

Every write is an idempotent upsert inside one transaction per batch, so a run killed with SIGKILL and
started again ends with the same rows and no duplicates.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, and_, or_, select, update
from sqlalchemy.engine import Connection, Engine

from crawlers.config.schema import SourceConfig
from crawlers.fetch.wire_gzip import snapshot_gzip
from crawlers.record import HASHED_FIELDS
from store.enums import RunStatus
from store.models import CrawlRun, Listing, ListingVersion, RejectedItem, Source
from store.types import utcnow
from store.upsert import upsert

_KEY_CHUNK = 500


def table(model: Any) -> Table:
    """The Core table of a SQLModel class (Core statements keep batches fast and typed)."""
    return cast(Table, model.__table__)


# Level 1 compresses a 30 KB page about 4x at a third of level 6's CPU; evidence is written once, read rarely.
GZIP_LEVEL = 1


@dataclass
class PageItem:
    """A valid listing record with the raw page it came from."""

    record: dict[str, Any]
    raw: bytes
    content_type: str = "text/html"
    wire_gzip: bytes | None = None  # the page's gzip as the server sent it (crawlers.fetch.wire_gzip)


@dataclass
class Rejected:
    """An item that failed validation, with the reason."""

    url: str
    reason: str
    item: dict[str, Any] = field(default_factory=dict)


@dataclass
class BatchResult:
    """What one batch did."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0


def source_sync(engine: Engine, config: SourceConfig) -> int:
    """Create or update the Source row for CONFIG; return its id."""
    row = {
        "name": config.name,
        "kind": config.kind,
        "title": config.title[:200],
        "region_code": config.region,
        "schedule": config.schedule,
        "enabled": config.enabled,
        "config": config.model_dump(mode="json"),
        "created_at": utcnow(),
    }
    with engine.begin() as conn:
        upsert(conn, Source, [row], keys=["name"], update=[k for k in row if k != "created_at"])
        return int(
            conn.execute(select(table(Source).c.id).where(table(Source).c.name == config.name)).scalar_one()
        )


def run_start(engine: Engine, source_id: int, crawler_version: str) -> int:
    """Fail runs of this source left 'running' by a killed process, then open a new run."""
    with engine.begin() as conn:
        conn.execute(
            update(table(CrawlRun))
            .where(table(CrawlRun).c.source_id == source_id, table(CrawlRun).c.status == RunStatus.running)
            .values(
                status=RunStatus.failed, finished_at=utcnow(), reason="interrupted: the process ended early"
            )
        )
        result = conn.execute(
            table(CrawlRun)
            .insert()
            .values(
                source_id=source_id,
                status=RunStatus.running,
                started_at=utcnow(),
                crawler_version=crawler_version,
                stats={},
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])


def run_finish(
    engine: Engine,
    run_id: int,
    *,
    status: str,
    reason: str | None,
    counts: dict[str, int],
    stats: dict[str, Any],
) -> None:
    """Close the run with its counts, stats and (when failed) the reason."""
    with engine.begin() as conn:
        conn.execute(
            update(table(CrawlRun))
            .where(table(CrawlRun).c.id == run_id)
            .values(status=status, reason=reason, finished_at=utcnow(), stats=stats, **counts)
        )


def mark_missed(engine: Engine, source_id: int, run_id: int, inactive_after: int) -> int:
    """After a successful run: listings it did not see miss one more run; too many misses deactivate."""
    with engine.begin() as conn:
        conn.execute(
            update(table(Listing))
            .where(
                table(Listing).c.source_id == source_id,
                table(Listing).c.active.is_(True),
                or_(table(Listing).c.last_run_id.is_(None), table(Listing).c.last_run_id != run_id),
            )
            .values(missed_runs=table(Listing).c.missed_runs + 1)
        )
        result = conn.execute(
            update(table(Listing))
            .where(
                table(Listing).c.source_id == source_id,
                table(Listing).c.active.is_(True),
                table(Listing).c.missed_runs >= inactive_after,
            )
            .values(active=False)
        )
        return int(result.rowcount or 0)


# A listing whose site id another ad also uses is kept under "id:X|url:/path" (crawlers.pipelines).
SHARED_ID_MARK = "|url:"


def shared_id_keys(engine: Engine, source_id: int) -> set[str]:
    """Keys of this source's listings kept apart because another ad uses the same site id."""
    listings = table(Listing)
    query = select(listings.c.key).where(
        listings.c.source_id == source_id, listings.c.key.like(f"id:%{SHARED_ID_MARK}%")
    )
    with engine.connect() as conn:
        return set(conn.execute(query).scalars())


def _existing(conn: Connection, source_id: int, keys: Sequence[str]) -> dict[str, tuple[int, str, int]]:
    found: dict[str, tuple[int, str, int]] = {}
    for start in range(0, len(keys), _KEY_CHUNK):
        chunk = list(keys[start : start + _KEY_CHUNK])
        rows = conn.execute(
            select(
                table(Listing).c.key,
                table(Listing).c.id,
                table(Listing).c.content_hash,
                table(Listing).c.version_count,
            ).where(and_(table(Listing).c.source_id == source_id, table(Listing).c.key.in_(chunk)))
        )
        found.update({key: (lid, chash, count) for key, lid, chash, count in rows})
    return found


def _listing_row(
    record: dict[str, Any], source_id: int, run_id: int, version_count: int, now: datetime
) -> dict[str, Any]:
    return {  # the record's search_bigrams come from build_record, made while its fields were folded
        **{k: v for k, v in record.items() if k != "url_key"},
        "source_id": source_id,
        "first_seen": now,
        "last_seen": now,
        "last_run_id": run_id,
        "missed_runs": 0,
        "active": True,
        "version_count": version_count,
    }


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _version_row(
    listing_id: int, version_no: int, item: PageItem, run_id: int, crawler_version: str, now: datetime
) -> dict[str, Any]:
    fields = {k: _jsonable(item.record.get(k)) for k in HASHED_FIELDS}
    if item.record.get("extra"):  # a post's author, time, reposts and captions
        fields["extra"] = item.record["extra"]
    return {
        "listing_id": listing_id,
        "version_no": version_no,
        "content_hash": item.record["content_hash"],
        "fields": fields,
        "raw_gz": snapshot_gzip(item.wire_gzip, item.raw)
        or gzip.compress(item.raw, compresslevel=GZIP_LEVEL, mtime=0),
        "raw_sha256": hashlib.sha256(item.raw).hexdigest(),
        "raw_content_type": item.content_type[:100],
        "captured_at": now,
        "crawler_version": crawler_version,
        "crawl_run_id": run_id,
    }


def write_batch(
    engine: Engine,
    *,
    source_id: int,
    run_id: int,
    crawler_version: str,
    items: Sequence[PageItem],
    rejected: Sequence[Rejected] = (),
) -> BatchResult:
    """Upsert listings, add versions for new or changed content, store rejects: one transaction."""
    latest = {item.record["key"]: item for item in items}  # the same ad twice in a batch: last wins
    result, now = BatchResult(), utcnow()
    with engine.begin() as conn:
        existing = _existing(conn, source_id, list(latest))
        rows, versions_due, unchanged = [], [], []
        for key, item in latest.items():
            before = existing.get(key)
            if before is not None and before[1] == item.record["content_hash"]:
                unchanged.append(key)
                continue
            count = 1 if before is None else before[2] + 1
            rows.append(_listing_row(item.record, source_id, run_id, count, now))
            versions_due.append((key, count))
            result.new += before is None
            result.changed += before is not None
        result.unchanged = len(unchanged)
        _write_listings(conn, rows, source_id, run_id, unchanged, now)
        _write_versions(conn, source_id, run_id, crawler_version, versions_due, latest, now)
        _write_rejected(conn, run_id, rejected, now)
    return result


def _write_listings(
    conn: Connection,
    rows: list[dict[str, Any]],
    source_id: int,
    run_id: int,
    unchanged: list[str],
    now: datetime,
) -> None:
    if rows:
        keep = {"source_id", "key", "first_seen"}
        upsert(conn, Listing, rows, keys=["source_id", "key"], update=[c for c in rows[0] if c not in keep])
    for start in range(0, len(unchanged), _KEY_CHUNK):
        # unchanged content only moves last_seen (and proves the ad is still there)
        conn.execute(
            update(table(Listing))
            .where(
                table(Listing).c.source_id == source_id,
                table(Listing).c.key.in_(unchanged[start : start + _KEY_CHUNK]),
            )
            .values(last_seen=now, last_run_id=run_id, missed_runs=0, active=True)
        )


def _write_versions(
    conn: Connection,
    source_id: int,
    run_id: int,
    crawler_version: str,
    due: list[tuple[str, int]],
    items: dict[str, PageItem],
    now: datetime,
) -> None:
    if not due:
        return
    ids = {key: lid for key, (lid, _, _) in _existing(conn, source_id, [k for k, _ in due]).items()}
    rows = [_version_row(ids[key], count, items[key], run_id, crawler_version, now) for key, count in due]
    upsert(conn, ListingVersion, rows, keys=["listing_id", "version_no"], update=[])


def _write_rejected(conn: Connection, run_id: int, rejected: Sequence[Rejected], now: datetime) -> None:
    rows = [
        {
            "crawl_run_id": run_id,
            "url": r.url[:2000],
            "reason": r.reason,
            "created_at": now,
            "item": json.loads(json.dumps(r.item, default=str)),
        }
        for r in rejected
    ]
    if rows:
        conn.execute(table(RejectedItem).insert(), rows)
