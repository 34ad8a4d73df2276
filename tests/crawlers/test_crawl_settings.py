"""The crawl's Scrapy settings: polite and safe by default; relaxed only for 127.0.0.1 when asked."""

from __future__ import annotations

from crawlers.config.resolve import resolve_source
from crawlers.config.schema import SourceConfig
from crawlers.crawl_settings import scrapy_settings


def _source(url: str, **politeness: object) -> SourceConfig:
    return SourceConfig.model_validate(
        {
            "name": "s-1",
            "kind": "job",
            "region": "320100",
            "start_urls": [url],
            "extract": {"fields": {"title": {"css": "h1"}}},
            "politeness": politeness,
        }
    )


def test_safe_defaults_are_explicit() -> None:
    settings = scrapy_settings(resolve_source(_source("https://jobs.example.cn/list"), {}))
    assert settings["ROBOTSTXT_OBEY"] is True and settings["AUTOTHROTTLE_ENABLED"] is True
    assert (
        settings["DOWNLOAD_MAXSIZE"] == 5 * 1024 * 1024
        and settings["DOWNLOAD_WARNSIZE"] < settings["DOWNLOAD_MAXSIZE"]
    )
    assert settings["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1 and settings["CONCURRENT_ITEMS"] == 8
    assert settings["REDIRECT_MAX_TIMES"] <= 3 and settings["DOWNLOAD_TIMEOUT"] == 20
    assert settings["COOKIES_ENABLED"] is False and settings["TELNETCONSOLE_ENABLED"] is False
    assert settings["REMOTE_CONTROL_ENABLED"] is False and settings["DOWNLOAD_DELAY"] == 1.0
    middlewares = settings["DOWNLOADER_MIDDLEWARES"]
    assert middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None
    assert (
        "crawlers.fetch.robots.StrictRobotsTxtMiddleware" in middlewares
        and "crawlers.fetch.retry.BackoffRetryMiddleware" in middlewares
    )


def test_fast_loopback_never_applies_to_a_real_site() -> None:
    real = scrapy_settings(resolve_source(_source("https://jobs.example.cn/"), {}), fast_loopback=True)
    assert (
        real["DOWNLOAD_DELAY"] == 1.0
        and real["AUTOTHROTTLE_ENABLED"]
        and real["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1
    )
    local = scrapy_settings(
        resolve_source(_source("{demo_web}/"), {"demo_web": "http://127.0.0.1:8600"}), fast_loopback=True
    )
    assert local["DOWNLOAD_DELAY"] == 0.0 and not local["AUTOTHROTTLE_ENABLED"]
    assert local["ROBOTSTXT_OBEY"] is True and local["DOWNLOAD_MAXSIZE"] == real["DOWNLOAD_MAXSIZE"]


def test_per_source_overrides() -> None:
    settings = scrapy_settings(
        resolve_source(
            _source("https://a.cn/", download_delay=3, download_timeout=7, concurrent_requests_per_domain=2),
            {},
        )
    )
    assert (
        settings["DOWNLOAD_DELAY"],
        settings["DOWNLOAD_TIMEOUT"],
        settings["CONCURRENT_REQUESTS_PER_DOMAIN"],
    ) == (3, 7, 2)
