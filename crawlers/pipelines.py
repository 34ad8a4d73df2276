"""The listing pipeline: normalise and validate items, buffer them, write batches, account for the run."""

from __future__ import annotations

import logging
import os
import time
from datetime import datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.asyncio import CallLaterResult, call_later
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from crawlers.feeds.posts import CHINA
from crawlers.progress import emit
from crawlers.record import Context, InvalidItem, build_record
from crawlers.storage import (
    SHARED_ID_MARK,
    PageItem,
    Rejected,
    mark_missed,
    run_finish,
    shared_id_keys,
    write_batch,
)
from store.enums import RunStatus

logger = logging.getLogger(__name__)


def one_line(exc: BaseException) -> str:
    """The first line of a database error's own message (no SQL, no parameters, no traceback)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return (text.splitlines() or [type(exc).__name__])[0][:300]


class ListingPipeline:
    """Turns raw items into listings in the database, in batches; opens and closes the CrawlRun."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.batch_size = settings.getint("LW_BATCH_SIZE", 200)
        self.inactive_after = settings.getint("LW_INACTIVE_AFTER_RUNS", 3)
        self.db_url: str = settings["LW_DB_URL"]
        self.engine: Engine | None = None
        self.items: list[PageItem] = []
        self.rejected: list[Rejected] = []
        self.run_id = 0
        self.source_id = 0
        self.write_error: str | None = None
        self.hard_stop_call: CallLaterResult | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ListingPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        from store.db import make_engine

        # crawlers.run opened the run (under the source's lock) before Scrapy started.
        self.cpu_started = time.process_time()
        self.config = self.crawler.spider.config  # type: ignore[union-attr]
        self.engine = make_engine(self.db_url)
        self.source_id = self.crawler.settings.getint("LW_SOURCE_ID")
        self.run_id = self.crawler.settings.getint("LW_RUN_ID")
        self.stats.set_value("lw/run_id", self.run_id)
        self.finished = False
        self.hard_stop_s = self.crawler.settings.getfloat("LW_HARD_STOP_S", 0)
        if self.hard_stop_s > 0:
            self.hard_stop_call = call_later(self.hard_stop_s, self.hard_stop)
        self.id_urls: dict[str, str] = {}
        self.shared_keys = shared_id_keys(self.engine, self.source_id)
        self.context = Context(
            kind=self.config.kind,
            region=self.config.region,
            page_url="",
            required=tuple(self.config.extract.required),
            posts=self.config.posts,
        )

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if self.write_error is not None:
            self.stats.inc_value("lw/items_unwritten")  # the run is stopping; nothing more is written
            return {"url": item["page_url"]}
        ctx = Context(
            kind=self.context.kind,
            region=self.context.region,
            page_url=item["page_url"],
            required=self.context.required,
            posts=self.context.posts,
            now=datetime.now(CHINA),
        )
        try:
            record = build_record(item["raw"], ctx)
        except InvalidItem as exc:
            self.stats.inc_value("lw/items_invalid")
            self.rejected.append(Rejected(url=item["page_url"], reason=str(exc), item=item["raw"]))
        else:
            self.stats.inc_value("lw/items")
            record = self.keep_shared_ids_apart(record)
            page = PageItem(record, item["body"], item["content_type"], item.get("wire_gzip"))
            self.items.append(page)
        if len(self.items) + len(self.rejected) >= self.batch_size:
            self.flush()
        return {"url": item["page_url"]}

    def keep_shared_ids_apart(self, record: dict[str, Any]) -> dict[str, Any]:
        """Two ads with one site id (and two URLs) are two listings, reported, not versions of one.

        The second ad seen is keyed by id and URL; that key is remembered in the database, so the next
        run keeps both apart whichever it meets first, and neither gains a version per re-crawl.
        """
        url_key = record.pop("url_key")
        key = record["key"]
        if not key.startswith("id:"):
            return record
        apart = f"{key}{SHARED_ID_MARK}{url_key.removeprefix('url:')}"[:500]
        if apart in self.shared_keys:
            return record | {"key": apart}
        first = self.id_urls.setdefault(key, record["url"])
        if first == record["url"]:
            return record
        self.shared_keys.add(apart)
        self.stats.inc_value("lw/id_collisions")
        line = f"two ads share the site id {key.removeprefix('id:')!r}: {first} and {record['url']}"
        self.stats.set_value("lw/id_collision_last", line)
        logger.warning("%s; kept as two listings", line)
        return record | {"key": apart}

    def flush(self) -> None:
        """Write the buffered items and rejects in one transaction."""
        if not (self.items or self.rejected) or self.engine is None:
            return
        from crawlers.spider import CRAWLER_VERSION

        try:
            result = write_batch(
                self.engine,
                source_id=self.source_id,
                run_id=self.run_id,
                crawler_version=CRAWLER_VERSION,
                items=self.items,
                rejected=self.rejected,
            )
        except (SQLAlchemyError, OSError) as exc:
            self.write_failed(exc)
            return
        self.stats.inc_value("lw/items_new", result.new)
        self.stats.inc_value("lw/items_changed", result.changed)
        self.stats.inc_value("lw/items_unchanged", result.unchanged)
        self.items, self.rejected = [], []

    def write_failed(self, exc: BaseException) -> None:
        """Stop the run once, in one line: retrying the batch with every later item grew quadratically."""
        lost = len(self.items)
        self.items, self.rejected = [], []
        self.stats.inc_value("lw/items_unwritten", lost)
        if self.write_error is not None:
            return
        self.write_error = f"database write failed: {one_line(exc)}"
        self.stats.set_value("lw/write_error", self.write_error)
        logger.error("%s; stopping the crawl", self.write_error)
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason="write_failed"))

    def close_spider(self) -> None:
        self.flush()

    def hard_stop(self) -> None:
        """The time limit: close the run now, whatever is still in flight, and end the process."""
        if self.finished or self.engine is None:
            return
        engine = self.crawler.engine
        in_flight = len(engine.downloader.active) if engine is not None else 0
        self.stats.set_value("lw/pages_abandoned", in_flight)
        self.stats.inc_value("lw/errors", in_flight)
        logger.error(
            "time limit of %.0f s reached while %d page(s) were in flight; closing the run now",
            self.hard_stop_s,
            in_flight,
        )
        self.flush()
        status, why, counts = self.finish("closespider_timeout")
        emit("done", source=self.config.name, run_id=self.run_id, status=status, reason=why, **counts)
        logging.shutdown()
        os._exit(0 if status == RunStatus.succeeded else 1)  # Scrapy would wait for the downloads

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Decide the run's status and record it (after the last batch is written)."""
        if self.hard_stop_call is not None:
            self.hard_stop_call.cancel()
            self.hard_stop_call = None
        if self.engine is not None and not self.finished:
            self.finish(reason)

    def finish(self, reason: str) -> tuple[str, str | None, dict[str, int]]:
        """Mark missed listings when the run saw the whole site, then close the run: (status, why, counts)."""
        assert self.engine is not None
        self.finished = True
        status, why = self.verdict(reason)
        partial = self.partial_view() if status == RunStatus.succeeded else f"the run {status}"
        if partial is None:
            try:
                deactivated = mark_missed(self.engine, self.source_id, self.run_id, self.inactive_after)
            except SQLAlchemyError as exc:
                status, why = RunStatus.failed, f"database write failed: {one_line(exc)}"
            else:
                self.stats.set_value("lw/deactivated", deactivated)
        else:
            self.stats.set_value(
                "lw/missed_not_marked", f"listings not seen were not marked missed: {partial}"
            )
        counts = self.counts()
        self.stats.set_value("lw/cpu_seconds", round(time.process_time() - self.cpu_started, 3))
        self.stats.set_value("lw/status", status)
        self.stats.set_value("lw/reason", why)
        try:
            run_finish(
                self.engine, self.run_id, status=status, reason=why, counts=counts, stats=self.stats_dict()
            )
        except SQLAlchemyError as exc:  # crawlers.run reports the verdict from the stats instead
            logger.error("could not record the end of run %s: %s", self.run_id, one_line(exc))
        self.engine.dispose()
        return status, why, counts

    def verdict(self, finish_reason: str) -> tuple[str, str | None]:
        """succeeded, or failed with one sentence saying why."""
        get = self.stats.get_value
        if self.write_error is not None:
            return (
                RunStatus.failed,
                f"{self.write_error}; {int(get('lw/items_unwritten', 0))} item(s) not written",
            )
        if denied := get("lw/robots_denied"):
            return RunStatus.failed, str(denied)
        if finish_reason == "closespider_timeout":
            limit = self.hard_stop_s or self.crawler.settings.getfloat("CLOSESPIDER_TIMEOUT")
            return RunStatus.failed, f"stopped at the time limit ({limit:.0f} s, LABOURWATCH_CRAWL_TIMEOUT_S)"
        if finish_reason != "finished":
            return RunStatus.failed, f"stopped before the end ({finish_reason})"
        valid, minimum = int(get("lw/items", 0)), self.config.min_items
        last_error = f"; last failed page: {last}" if (last := get("lw/error_last")) else ""
        if valid < minimum:
            return (
                RunStatus.failed,
                f"only {valid} valid items; the source needs at least {minimum} (min_items){last_error}",
            )
        if int(get("lw/pages", 0)) == 0:
            forbidden = int(get("robotstxt/forbidden", 0))
            why = f"robots.txt forbade {forbidden} request(s)" if forbidden else "every request failed"
            return RunStatus.failed, f"fetched no page ({why}); listings were not marked missed{last_error}"
        return RunStatus.succeeded, None

    def partial_view(self) -> str | None:
        """Why this run did not see the whole site (so may not mark unseen listings missed), or None."""
        # A 404 or 410 answers "gone"; a timeout, a 5xx or a refused redirect leaves the page unseen.
        unseen = self.counts()["errors"] - int(self.stats.get_value("lw/pages_gone", 0))
        return f"{unseen} page(s) could not be fetched" if unseen > 0 else None

    def counts(self) -> dict[str, int]:
        get = self.stats.get_value
        return {
            "pages": int(get("lw/pages", 0)),
            "items": int(get("lw/items", 0)),
            "items_new": int(get("lw/items_new", 0)),
            "items_changed": int(get("lw/items_changed", 0)),
            "items_invalid": int(get("lw/items_invalid", 0)),
            "errors": int(get("lw/errors", 0)) + int(get("log_count/ERROR", 0)),
        }

    def stats_dict(self) -> dict[str, Any]:
        keep = ("lw/", "downloader/response_status_count", "robotstxt/", "retry/", "log_count/")
        values = self.stats.get_stats()
        return {
            k: (v if isinstance(v, int | float | str) else str(v))
            for k, v in values.items()
            if k.startswith(keep)
        }
