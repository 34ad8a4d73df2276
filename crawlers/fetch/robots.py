"""robots.txt by RFC 9309: a 5xx or unreachable robots.txt means "crawl nothing" (Scrapy allows all)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)


class DisallowAll:
    """A robots parser that forbids every URL (RFC 9309 section 2.3.1.4: server errors)."""

    def __init__(self, reason: str):
        self.reason = reason

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


def verdict_for_status(status: int) -> str:
    """'parse', 'allow_all' or 'disallow_all' for a robots.txt response status (RFC 9309 2.3.1)."""
    if 200 <= status < 300:
        return "parse"
    # 429 is treated like a server error: the site asks us to back off, so we crawl nothing.
    if status == 429 or status >= 500:
        return "disallow_all"
    return "allow_all"  # 4xx: "unavailable", the crawler may access any resource


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with RFC 9309 error handling; records why a host was refused."""

    def _settle(self, netloc: str, parser: Any) -> None:
        pending = self._parsers[netloc]
        self._parsers[netloc] = parser
        if isinstance(pending, Deferred):
            pending.callback(parser)

    def _deny(self, netloc: str, reason: str) -> None:
        logger.error("robots.txt of %s: %s; crawling nothing from this host (RFC 9309)", netloc, reason)
        self._stats.set_value("lw/robots_denied", f"robots.txt of {netloc}: {reason}; crawling nothing")
        self._settle(netloc, DisallowAll(reason))

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        verdict = verdict_for_status(response.status)
        if verdict == "disallow_all":
            self._deny(netloc, f"HTTP {response.status}")
            return
        body = response.body if verdict == "parse" else b""
        self._settle(netloc, build_from_crawler(self._parserimpl, self.crawler, body))

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._deny(netloc, f"unreachable ({type(exc).__name__})")
