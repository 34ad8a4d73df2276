"""Requests stay on the source's own site: scheme, host and port, not just the host name.

Scrapy's offsite filter compares host names only, so a redirect to another port on the same machine
was followed and the foreign page stored as a listing's evidence (and that port's unreachable robots.txt
failed the whole run). Here a request must match an origin of the start URLs; a configured
`allowed_domains` host (or its subdomains) is allowed on the default ports only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest

from crawlers.config.resolve import ResolvedSource

logger = logging.getLogger(__name__)
Origin = tuple[str, str, int]
DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> Origin:
    """(scheme, host, port) of URL, with the scheme's default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError:
        port = -1
    return scheme, (parts.hostname or "").lower(), port


def _default_port(o: Origin) -> bool:
    return DEFAULT_PORTS.get(o[0]) == o[2]


def source_origins(source: ResolvedSource) -> set[Origin]:
    """The origins of the start URLs, sitemaps and URL lists; a default port also on the other scheme."""
    found = {origin(url) for url in source.entry_urls}
    on_default_port = {host for scheme, host, port in found if _default_port((scheme, host, port))}
    return found | {(s, h, p) for h in on_default_port for s, p in DEFAULT_PORTS.items()}


@dataclass(frozen=True)
class Site:
    """A source's site, worked out once: its origins and the domains configured for it."""

    origins: frozenset[Origin]
    domains: frozenset[str]

    @classmethod
    def of(cls, source: ResolvedSource) -> Site:
        configured = source.allowed_domains if source.config.allowed_domains else []
        return cls(frozenset(source_origins(source)), frozenset(d.lower() for d in configured))

    def holds(self, url: str) -> bool:
        """True when URL belongs to the site (an origin of its start URLs, or a configured domain)."""
        target = origin(url)
        if target in self.origins:
            return True
        host = target[1]
        on_domain = any(host == d or host.endswith("." + d) for d in self.domains)
        return on_domain and _default_port(target)


def same_site(url: str, source: ResolvedSource) -> bool:
    """True when URL belongs to SOURCE's site (an origin of its start URLs, or a configured domain)."""
    return Site.of(source).holds(url)


class SameSiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, plus scheme and port: other ports of the same host are other sites."""

    _site: tuple[ResolvedSource, Site] | None = None  # the crawl's one source, worked out on first use

    def should_follow(self, request: Request, spider: Spider) -> bool:
        source: ResolvedSource | None = getattr(spider, "source", None)
        if source is None:
            return super().should_follow(request, spider)
        # Worked out once: a site of many start URLs re-read them for every request.
        if self._site is None or self._site[0] is not source:
            self._site = (source, Site.of(source))
        return self._site[1].holds(request.url)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        assert self.crawler.spider
        # dont_filter is not an exemption: a redirect copies it from the request it replaces.
        if self.should_follow(request, self.crawler.spider):
            return
        scheme, host, port = origin(request.url)
        how = "redirect" if request.meta.get("redirect_urls") else "link"
        reason = f"off-site {how} to {scheme}://{host}:{port} not followed (not this source's site)"
        # Counted here: a request refused when scheduled is dropped without reaching its errback.
        self.stats.inc_value("lw/offsite_refused")
        self.stats.inc_value("lw/errors")
        self.stats.set_value("lw/offsite_last", f"{request.url}: {reason}")
        logger.warning("page failed: %s: %s", request.url, reason)
        raise IgnoreRequest(reason)
