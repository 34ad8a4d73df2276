"""Scrapy settings of a crawl, set explicitly: polite and safe on a hostile web."""

from __future__ import annotations

from typing import Any

from crawlers.config.resolve import ResolvedSource
from crawlers.fetch.wire_gzip import PRIORITY as WIRE_GZIP_PRIORITY

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_PAGE_BYTES = 5 * 1024 * 1024


def is_loopback(domains: list[str]) -> bool:
    """True when every allowed domain is this machine (only then may politeness be relaxed)."""
    return bool(domains) and all(d in LOOPBACK_HOSTS for d in domains)


def stop_times(timeout_s: float) -> tuple[float, float]:
    """(soft, hard) seconds: the spider is asked to close at soft; at hard the run is closed regardless.

    Scrapy's own close waits for every download in flight (a 30 s limit once ended at 190 s), so the
    pipeline closes the run itself at the hard limit: buffered items written, in-flight pages counted
    as errors, the run failed with its counts. The parent's kill (limit + 60 s) is only a last resort.
    """
    grace = min(30.0, max(1.0, timeout_s / 5))
    return max(1.0, timeout_s - grace), float(timeout_s)


def scrapy_settings(
    source: ResolvedSource, *, fast_loopback: bool = False, timeout_s: int = 3600, log_level: str = "WARNING"
) -> dict[str, Any]:
    """The Scrapy settings for SOURCE; FAST_LOOPBACK drops delays for 127.0.0.1 sites only."""
    polite = source.config.politeness
    soft_stop, hard_stop = stop_times(timeout_s)
    fast = fast_loopback and is_loopback(source.allowed_domains)
    return {
        "BOT_NAME": "labourwatch",
        "USER_AGENT": polite.user_agent
        or "LabourWatchBot/1.0 (+labour inspection research; robots.txt obeyed)",
        "ROBOTSTXT_OBEY": True,
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "crawlers.fetch.offsite.SameSiteMiddleware": 50,  # before robots.txt: no foreign robots.txt fetched
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawlers.fetch.robots.StrictRobotsTxtMiddleware": 100,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawlers.fetch.retry.BackoffRetryMiddleware": 550,
            # One whole gzip member decoded in C, its wire bytes kept as the evidence snapshot.
            "crawlers.fetch.wire_gzip.WireGzipMiddleware": WIRE_GZIP_PRIORITY,
        },
        "ITEM_PIPELINES": {"crawlers.pipelines.ListingPipeline": 300},
        "EXTENSIONS": {
            "crawlers.progress.ProgressReporter": 500,
            "scrapy.extensions.telnet.TelnetConsole": None,
        },
        "AUTOTHROTTLE_ENABLED": polite.autothrottle and not fast,
        "AUTOTHROTTLE_START_DELAY": max(polite.download_delay, 0.5),
        "AUTOTHROTTLE_MAX_DELAY": 30.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": polite.autothrottle_target_concurrency,
        "DOWNLOAD_DELAY": 0.0 if fast else polite.download_delay,
        "DOWNLOAD_DELAY_JITTER": 0.5,
        "CONCURRENT_REQUESTS": 16 if fast else 8,
        # Loopback benchmarks need more in flight; a real site never gets more than 2 at a time.
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8 if fast else polite.concurrent_requests_per_domain,
        "CONCURRENT_ITEMS": 8,
        "DOWNLOAD_MAXSIZE": MAX_PAGE_BYTES,
        "DOWNLOAD_WARNSIZE": 1024 * 1024,
        "DOWNLOAD_TIMEOUT": polite.download_timeout,
        "DNS_TIMEOUT": 10,
        "REDIRECT_MAX_TIMES": 3,
        "METAREFRESH_ENABLED": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,  # Scrapy 2.19 opens a control HTTP port by default
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 2,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "RETRY_BACKOFF_BASE": 0.05 if fast else 1.0,
        "RETRY_BACKOFF_MAX": 0.2 if fast else 30.0,
        "CLOSESPIDER_TIMEOUT": soft_stop,
        "LW_HARD_STOP_S": hard_stop,
        "HTTPCACHE_ENABLED": False,
        "LOG_LEVEL": log_level,
        "LOG_STDOUT": False,
    }
