"""Placeholders in source URLs ({demo_web}, {suzhou-jobs}, SITE_URLS keys) and the source a crawl uses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from crawlers.config.load import Problem, SourceError, check_source
from crawlers.config.schema import PLACEHOLDER, SourceConfig


def unknown_placeholders(config: SourceConfig, path: Path, known: set[str]) -> list[Problem]:
    """Problems for {placeholders} with no base URL (disabled sources run only when named: exempt)."""
    if not config.enabled:
        return []
    return [
        Problem(str(path), f"{{{name}}}", "placeholder has no base URL; set LABOURWATCH_SITE_URLS")
        for name in sorted(config.placeholders() - known)
    ]


def known_placeholders(site_urls: dict[str, str]) -> set[str]:
    """The placeholder names a crawl can resolve: the demo sites' and LABOURWATCH_SITE_URLS' keys."""
    return set(site_bases("http://127.0.0.1:8600", site_urls))


def check_source_here(path: Path, site_urls: dict[str, str]) -> tuple[SourceConfig | None, list[Problem]]:
    """check_source, plus placeholders these settings cannot resolve (what `sources check` reports)."""
    config, problems = check_source(path)
    if config is not None:
        problems += unknown_placeholders(config, path, known_placeholders(site_urls))
    return (config if not problems else None), problems


def resolve(text: str, bases: dict[str, str]) -> str:
    """TEXT with every {placeholder} replaced by its base URL (trailing slash dropped)."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in bases:
            raise SourceError(
                [
                    Problem(
                        "(settings)",
                        name,
                        f"placeholder {{{name}}} has no base URL; set LABOURWATCH_SITE_URLS",
                    )
                ]
            )
        return bases[name].rstrip("/")

    return PLACEHOLDER.sub(one, text)


def site_bases(demo_web_url: str | None, site_urls: dict[str, str]) -> dict[str, str]:
    """Placeholder -> base URL: the demo sites on consecutive ports from DEMO_WEB_URL, then SITE_URLS.

    `labourwatch demo-web` serves its sites on base_port, base_port+1, ... in the order of
    crawlers.demo_web.SITES; {demo_web} is the first and {suzhou-jobs} etc. name each one.
    """
    bases: dict[str, str] = {}
    if demo_web_url:
        from crawlers.demo_web import SITES

        parts = urlsplit(demo_web_url)
        bases["demo_web"] = demo_web_url.rstrip("/")
        for offset, site in enumerate(SITES):
            port = (parts.port or 80) + offset
            bases[site.name] = f"{parts.scheme}://{parts.hostname}:{port}"
    return bases | site_urls


@dataclass(frozen=True)
class ResolvedSource:
    """A source with its placeholders resolved: what a crawl actually uses."""

    config: SourceConfig
    start_urls: list[str]
    allowed_domains: list[str]
    sitemaps: list[str] = field(default_factory=list)
    url_lists: list[str] = field(default_factory=list)

    @property
    def entry_urls(self) -> list[str]:
        """Every URL a crawl starts from: start pages, sitemaps and URL lists (they define the site)."""
        return [*self.start_urls, *self.sitemaps, *self.url_lists]


def resolve_source(config: SourceConfig, bases: dict[str, str]) -> ResolvedSource:
    """Resolve URLs; allowed domains default to the hosts of the start URLs, sitemaps and URL lists."""
    urls = [resolve(u, bases) for u in config.start_urls]
    sitemaps = [resolve(u, bases) for u in config.links.sitemaps]
    url_lists = [resolve(u, bases) for u in config.links.url_lists]
    everywhere = [*urls, *sitemaps, *url_lists]
    domains = [_host(resolve(d, bases)) for d in config.allowed_domains] or sorted(
        {_host(u) for u in everywhere}
    )
    return ResolvedSource(config, urls, domains, sitemaps, url_lists)


def _host(text: str) -> str:
    # a domain entry may be a bare host or a resolved placeholder URL (http://127.0.0.1:8000)
    return (urlsplit(text).hostname or "") if "://" in text else text
