"""Whole-site walking: sitemaps (robots.txt `Sitemap:` lines, indexes, gzip), URL lists and page links."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from parsel import Selector as Page

from crawlers.config.schema import Links, Role

# A sitemap is at most 50 MB uncompressed (sitemaps.org); a bigger one is cut off, not buffered.
SITEMAP_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class SitemapFile:
    """What a sitemap-like file holds: further sitemaps to read, and page URLs."""

    sitemaps: list[str]
    pages: list[str]


def is_robots_txt(url: str) -> bool:
    return urlsplit(url).path.rstrip("/").endswith("/robots.txt")


def read_sitemap(body: bytes, url: str) -> SitemapFile:
    """The sitemaps and pages named by BODY: a robots.txt, a sitemap index or a urlset (gzip or not)."""
    from scrapy.utils.gz import gunzip
    from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

    if is_robots_txt(url):
        return SitemapFile(sitemaps=list(sitemap_urls_from_robots(body, base_url=url)), pages=[])
    if body[:2] == b"\x1f\x8b":
        body = gunzip(body, max_size=SITEMAP_MAX_BYTES)
    if not body.strip():
        return SitemapFile([], [])
    sitemap = Sitemap(body)
    locs = [urljoin(url, entry["loc"].strip()) for entry in sitemap if entry.get("loc")]
    if sitemap.type == "sitemapindex":
        return SitemapFile(sitemaps=locs, pages=[])
    return SitemapFile(sitemaps=[], pages=locs)


def read_url_list(text: str, url: str) -> list[str]:
    """The URLs of a URL-list file: one a line, relative ones against the file's URL, `#` comments."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [urljoin(url, line) for line in lines if line]


def entry_role(links: Links, url: str) -> Role | None:
    """The role of a sitemap or URL-list entry: its first matching rule's; detail when there are no rules."""
    if not links.rules:
        return "detail"
    rule = links.rule_for(url)
    return rule.role if rule is not None else None


def page_links(page: Page, base_url: str) -> list[str]:
    """Every distinct http(s) link of a page, absolute, without fragments, in page order."""
    seen: dict[str, None] = {}
    for href in page.xpath("//a/@href").getall():
        url = urldefrag(urljoin(base_url, href.strip()))[0]
        if url.startswith(("http://", "https://")):
            seen.setdefault(url, None)
    return list(seen)


@dataclass(frozen=True)
class Step:
    """A link to follow: its URL, the role its page plays, its depth, and whether its links are followed."""

    url: str
    role: Role
    depth: int
    follow: bool


def rule_steps(links: Links, urls: list[str], depth: int) -> tuple[list[Step], int]:
    """The links that rules take at DEPTH (first matching rule; depth limits), and how many were too deep."""
    steps, too_deep = [], 0
    for url in urls:
        rule = links.rule_for(url)
        if rule is None:
            continue
        limit = links.max_depth if rule.max_depth is None else min(rule.max_depth, links.max_depth)
        if depth > limit:
            too_deep += 1
            continue
        steps.append(Step(url, rule.role, depth, rule.follows()))
    return steps, too_deep
