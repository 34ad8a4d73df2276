"""Progress of a crawl process as JSON lines on stdout, read by `labourwatch crawl`."""

from __future__ import annotations

import json
import sys
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

INTERVAL_S = 0.5


def peak_rss_mb() -> float | None:
    """This process's own peak resident memory in MB (VmHWM), None where /proc does not say.

    Not getrusage's ru_maxrss: Linux carries the parent's peak across fork and exec into it, so a crawl
    started by a process holding 180 MB reported 180 MB whatever it used itself.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def emit(event: str, **fields: Any) -> None:
    """Write one JSON line to stdout (the parent reads them)."""
    sys.stdout.write(json.dumps({"event": event, **fields}, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


class ProgressReporter:
    """Every half second: pages, items, invalid items and errors so far."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.loop: task.LoopingCall | None = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressReporter:
        return cls(crawler)

    def snapshot(self) -> dict[str, int]:
        get = self.crawler.stats.get_value
        names = ("pages", "items", "items_invalid", "items_new", "items_changed", "errors")
        return {name: int(get(f"lw/{name}", 0)) for name in names}

    def report(self) -> None:
        emit("progress", **self.snapshot())

    def opened(self, spider: Any) -> None:
        emit("started", source=spider.name, run_id=self.crawler.stats.get_value("lw/run_id"))
        self.loop = task.LoopingCall(self.report)
        self.loop.start(INTERVAL_S, now=False)

    def closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.report()
