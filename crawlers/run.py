"""One crawl in its own process: `python -m crawlers.run SOURCE`; progress as JSON lines on stdout.

The Twisted reactor cannot be restarted, so every run gets a fresh process (launched by
`labourwatch crawl` or the scheduler). Exit status: 0 succeeded, 1 failed, 2 bad configuration.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crawlers.progress import emit, peak_rss_mb


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m crawlers.run", description=__doc__)
    parser.add_argument("source", help="source name (a file in the sources folder) or path to a .toml file")
    parser.add_argument("--db-url", help="database URL (default: the LABOURWATCH_ settings)")
    parser.add_argument("--sources-dir", help="folder of source files (default: LABOURWATCH_SOURCES_DIR)")
    parser.add_argument(
        "--fast-loopback",
        action="store_true",
        default=None,
        help="no delays for sites on 127.0.0.1 (tests, benchmarks)",
    )
    parser.add_argument("--log-level", default="WARNING", help="Scrapy log level on stderr")
    return parser.parse_args(argv)


def _run_row(db_url: str, run_id: int) -> dict[str, Any]:
    from crawlers.storage import table
    from store.db import make_engine
    from store.models import CrawlRun

    runs = table(CrawlRun)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(runs.select().where(runs.c.id == run_id)).mappings().one()
        names = (
            "status",
            "reason",
            "pages",
            "items",
            "items_new",
            "items_changed",
            "items_invalid",
            "errors",
        )
        return {"run_id": run_id, **{n: row[n] for n in names}}
    finally:
        engine.dispose()


def _summary(db_url: str, run_id: int, stats: dict[str, Any]) -> dict[str, Any]:
    """The run's row; when the database could not record the end, the verdict kept in the stats."""
    from sqlalchemy.exc import SQLAlchemyError

    from crawlers.pipelines import one_line

    try:
        summary = _run_row(db_url, run_id)
    except SQLAlchemyError as exc:
        summary = {"run_id": run_id, "status": "running", "reason": f"database error: {one_line(exc)}"}
    if summary["status"] == "running":
        counts = {k: int(stats.get(f"lw/{k}", 0)) for k in ("pages", "items", "items_invalid", "errors")}
        reason = stats.get("lw/reason") or stats.get("lw/write_error") or summary["reason"]
        summary |= counts | {"status": "failed", "reason": reason or "the run was not closed (see stderr)"}
    return summary


def run_notes(stats: dict[str, Any]) -> list[str]:
    """One line each for what a person should know about a run: failed pages by reason, shared ids."""
    notes = []
    reasons = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("lw/errors_by_reason/")}
    if reasons:
        counted = ", ".join(f"{n} {why}" for why, n in sorted(reasons.items(), key=lambda kv: -kv[1]))
        notes.append(f"pages failed: {counted}; last: {stats.get('lw/error_last')}")
    if offsite := stats.get("lw/offsite_last"):
        notes.append(f"{stats.get('lw/offsite_refused', 0)} off-site request(s) refused; last: {offsite}")
    if shared := stats.get("lw/id_collisions"):
        notes.append(
            f"{shared} ad(s) share a site id with another ad, kept apart; {stats['lw/id_collision_last']}"
        )
    return notes


class NotMigrated(RuntimeError):
    """The database lacks the code's schema; the message says what to run."""


def _open_run(db_url: str, source: Any) -> tuple[Any, int, int]:
    """Take the source's lock and open its run: (lock, source id, run id); SourceBusy or a DB error."""
    from crawlers.fetch.run_lock import SourceLock
    from crawlers.spider import CRAWLER_VERSION
    from crawlers.storage import run_start, source_sync
    from store.db import make_engine
    from store.migrate import schema_problem

    engine = make_engine(db_url)
    if problem := schema_problem(engine):
        raise NotMigrated(problem)
    lock = SourceLock(engine, source.config.name)
    lock.acquire()
    try:
        source_id = source_sync(engine, source.config)
        # Holding the lock, any run of this source still 'running' belongs to a dead process.
        return lock, source_id, run_start(engine, source_id, CRAWLER_VERSION)
    except BaseException:
        lock.release()
        raise


def _fail_line(reason: str, status: int) -> int:
    """Say why in one line, on stdout (the parent's summary) and stderr (the log)."""
    emit("error", status="failed", reason=reason)
    sys.stderr.write(f"error: {reason}\n")
    return status


def crawl(args: argparse.Namespace) -> int:
    """Run the crawl; print the run's summary as the last JSON line; return the exit status."""
    from pathlib import Path

    from sqlalchemy.exc import SQLAlchemyError

    from crawlers.config.load import SourceError, find_source, load_source
    from crawlers.config.resolve import resolve_source, site_bases
    from crawlers.fetch.run_lock import SourceBusy
    from store.settings import load_settings

    settings = load_settings()
    db_url = args.db_url or settings.db_url
    try:
        path = find_source(Path(args.sources_dir) if args.sources_dir else settings.sources_dir, args.source)
        source = resolve_source(load_source(path), site_bases(settings.demo_web_url, settings.site_urls))
    except SourceError as exc:
        emit("error", reason=str(exc))
        return 2
    try:
        lock, source_id, run_id = _open_run(db_url, source)
    except SourceBusy as exc:
        return _fail_line(str(exc), 3)
    except NotMigrated as exc:
        return _fail_line(str(exc), 2)
    except SQLAlchemyError as exc:
        from crawlers.pipelines import one_line

        return _fail_line(f"the crawl could not open a run: database error: {one_line(exc)}", 1)
    try:
        return _crawl_source(args, settings, db_url, source, source_id, run_id)
    finally:
        lock.release()


def _crawl_source(
    args: argparse.Namespace, settings: Any, db_url: str, source: Any, source_id: int, run_id: int
) -> int:
    from scrapy.crawler import CrawlerProcess

    from crawlers.crawl_settings import scrapy_settings
    from crawlers.spider import SourceSpider

    fast = settings.crawl_loopback_fast if args.fast_loopback is None else args.fast_loopback
    scrapy_conf = scrapy_settings(
        source, fast_loopback=fast, timeout_s=settings.crawl_timeout_s, log_level=args.log_level.upper()
    )
    scrapy_conf |= {
        "LW_DB_URL": db_url,
        "LW_SOURCE_ID": source_id,
        "LW_RUN_ID": run_id,
        "LW_BATCH_SIZE": settings.crawl_batch_size,
        "LW_INACTIVE_AFTER_RUNS": settings.crawl_inactive_after_runs,
    }
    process = CrawlerProcess(scrapy_conf)
    crawler = process.create_crawler(SourceSpider)
    process.crawl(crawler, source=source)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    summary = _summary(db_url, run_id, stats)
    emit("done", source=source.config.name, **summary, notes=run_notes(stats), peak_rss_mb=peak_rss_mb())
    return 0 if summary["status"] == "succeeded" else 1


def main(argv: list[str] | None = None) -> int:
    """Entry point of the crawl process."""
    return crawl(_arguments(argv))


if __name__ == "__main__":
    sys.exit(main())
