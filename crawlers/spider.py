"""The generic spider: walks a site as its source file says (selectors, rules, sitemaps), yields raw items."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from parsel import Selector as Page
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawlers.config.resolve import ResolvedSource
from crawlers.config.schema import Selector as FieldSelector
from crawlers.extract.html_text import FIELD_LIMIT, parse_html
from crawlers.extract.items import extract_items
from crawlers.extract.raw_item import Cuts, RawItem, merge
from crawlers.extract.selectors import extract_selectors
from crawlers.fetch.encoding import choose_encoding
from crawlers.fetch.wire_gzip import META_KEY as WIRE_GZIP
from crawlers.walk import Step, entry_role, page_links, read_sitemap, read_url_list, rule_steps

CRAWLER_VERSION = "labourwatch-crawl/1.0"


def read_page(response: Response, forced: str | None = None) -> tuple[str, Page, str | None]:
    """The page's text, a selector over it (parsed once) and a warning when nesting cost text."""
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None
    encoding = choose_encoding(response.body, content_type, forced)
    text = response.body.decode(encoding, errors="replace")
    page, warning = parse_html(text, response.url)
    return text, page, warning


def decode_page(response: Response, forced: str | None = None) -> tuple[str, Page]:
    """The page's text and a selector over it, decoded by crawlers.fetch.encoding (not by the headers alone)."""
    text, page, _ = read_page(response, forced)
    return text, page


def _links(page: Page, spec: FieldSelector | None, base_url: str) -> list[str]:
    if spec is None:
        return []
    found = page.css(spec.css) if spec.css is not None else page.xpath(spec.xpath or "")
    return [_join(base_url, h) for h in found.getall() if h.strip()]


def _join(base: str, href: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base, href.strip())


_CALLBACKS = (
    "parse_list",
    "parse_detail",
    "parse_follow",
    "parse_sitemap",
    "parse_url_list",
    "parse_feed",
    "on_error",
)


class SourceSpider(scrapy.Spider):
    """One spider for every configured source; the source file is its program."""

    name = "source"

    def __init__(self, source: ResolvedSource, **kwargs: Any):
        super().__init__(name=source.config.name, **kwargs)
        self.source = source
        self.config = source.config
        self.allowed_domains = source.allowed_domains
        # Scrapy checks a callback's source for a generator's `return value` (getsource and ast.parse,
        # ~2 ms) and caches the verdict under a weak reference to the callback object; a new bound method
        # per request let the entry die and the check run again for about one page in six. One bound
        # method per callback, held by the spider, keeps each verdict for the crawl.
        for name in _CALLBACKS:
            setattr(self, name, getattr(self, name))

    async def start(self) -> AsyncIterator[Request]:
        role = self.config.links.start_role
        for url in self.source.start_urls:
            if self.config.extract.mode == "json_feed":
                yield self._feed_request(url, 1, self.config.links.first_page)
                continue
            yield self._step(Step(url, role, 0, role != "detail"))
        for url in self.source.sitemaps:
            yield Request(url, callback=self.parse_sitemap, errback=self.on_error)
        for url in self.source.url_lists:
            yield Request(url, callback=self.parse_url_list, errback=self.on_error)

    def _step(self, step: Step) -> Request:
        """The request for a page of a role: list pages, detail pages or pages only walked through."""
        self.crawler.stats.inc_value("lw/requests")
        callbacks: dict[str, Any] = {"list": self.parse_list, "detail": self.parse_detail}
        callback = callbacks.get(step.role, self.parse_follow)
        kwargs: dict[str, Any] = {"depth": step.depth, "follow": step.follow}
        if step.role == "list":
            kwargs["page_no"] = 1
        return Request(step.url, callback=callback, errback=self.on_error, cb_kwargs=kwargs)

    def _requests_left(self) -> bool:
        used = int(self.crawler.stats.get_value("lw/requests", 0))
        if used < self.config.links.max_requests:
            return True
        self.crawler.stats.set_value("lw/max_requests_reached", self.config.links.max_requests)
        return False

    def _entries(self, urls: list[str]) -> Iterator[Request]:
        """Requests for the pages a sitemap or URL list names, each in the role its rule gives it."""
        links = self.config.links
        for url in urls:
            role = entry_role(links, url)
            if role is None:
                self.crawler.stats.inc_value("lw/entries_unmatched")
            elif self._requests_left():
                rule = links.rule_for(url)
                yield self._step(Step(url, role, 0, rule.follows() if rule else role != "detail"))

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """robots.txt (its Sitemap: lines), a sitemap index or a sitemap, gzip-compressed or not."""
        found = read_sitemap(response.body, response.url)
        self.crawler.stats.inc_value("lw/sitemaps")
        for url in found.sitemaps:
            yield Request(url, callback=self.parse_sitemap, errback=self.on_error)
        yield from self._entries(found.pages)

    def parse_url_list(self, response: Response) -> Iterator[Request]:
        """A text file of URLs, one a line."""
        text, _ = decode_page(response, self.config.encoding)
        yield from self._entries(read_url_list(text, response.url))

    def _follow(self, response: Response, page: Page, depth: int, follow: bool) -> Iterator[Request]:
        """The links the source's rules take from this page (none when the page is not followed)."""
        if not (follow and self.config.links.rules):
            return
        steps, too_deep = rule_steps(self.config.links, page_links(page, response.url), depth + 1)
        if too_deep:
            self.crawler.stats.inc_value("lw/links_too_deep", too_deep)
        for step in steps:
            if not self._requests_left():
                return
            yield self._step(step)

    def parse_follow(self, response: Response, depth: int = 0, follow: bool = True) -> Iterator[Request]:
        """A page only walked through (a home or category index): its links, by the rules."""
        _, page = self._page(response)
        yield from self._follow(response, page, depth, follow)

    def _page(self, response: Response) -> tuple[str, Page]:
        self.crawler.stats.inc_value("lw/pages")
        text, page, warning = read_page(response, self.config.encoding)
        if warning is not None:  # never silent: counted, logged and kept in the run's stats
            self.crawler.stats.inc_value("lw/pages_too_deep")
            self.crawler.stats.set_value("lw/pages_too_deep_last", f"{response.url}: {warning}")
            self.logger.warning("%s: %s", response.url, warning)
        return text, page

    def _cuts(self, response: Response, cuts: Cuts) -> None:
        """Count fields cut at FIELD_LIMIT characters, and say where."""
        if cuts:
            self.crawler.stats.inc_value("lw/fields_cut", len(cuts))
            fields = ", ".join(sorted(set(cuts)))
            why = f"{response.url}: field(s) {fields} longer than {FIELD_LIMIT} characters were cut"
            self.crawler.stats.set_value("lw/fields_cut_last", why)
            self.logger.warning("%s", why)

    def _items(self, response: Response, text: str, page: Page) -> Iterator[dict[str, Any]]:
        cuts: Cuts = []
        raws = extract_items(page, text, self.config.extract, cuts)
        self._cuts(response, cuts)
        if not raws:
            self.crawler.stats.inc_value("lw/pages_without_items")
        for raw in raws:
            if raw.get("url"):  # list rows often link relatively or protocol-relatively (//host/path)
                raw["url"] = _join(response.url, raw["url"] or "")
            yield self._item(response, raw)

    @staticmethod
    def _item(response: Response, raw: RawItem) -> dict[str, Any]:
        content_type = (response.headers.get(b"Content-Type") or b"text/html").decode("latin-1")
        return {
            "raw": raw,
            "page_url": raw.get("url") or response.url,
            "body": response.body,
            "content_type": content_type,
            "wire_gzip": response.meta.get(WIRE_GZIP),
        }

    def parse_list(
        self, response: Response, page_no: int, depth: int = 0, follow: bool = True
    ) -> Iterator[Any]:
        """A list page: its items (when ads live on list pages), detail links, the next page, rule links."""
        text, page = self._page(response)
        links = self.config.links
        if self.config.extract.on == "list":
            yield from self._rows(response, text, page)
        for url in _links(page, links.detail, response.url):
            yield Request(
                url, callback=self.parse_detail, errback=self.on_error, cb_kwargs={"depth": depth + 1}
            )
        next_urls = _links(page, links.next, response.url)
        if next_urls and page_no < links.max_pages:
            yield Request(
                next_urls[0],
                callback=self.parse_list,
                errback=self.on_error,
                cb_kwargs={"page_no": page_no + 1, "depth": depth, "follow": follow},
            )
        yield from self._follow(response, page, depth, follow)

    def _rows(self, response: Response, text: str, page: Page) -> Iterator[Any]:
        """Items of a list page, or (with detail_fields) requests for each row's detail page."""
        if not self.config.extract.detail_fields:
            yield from self._items(response, text, page)
            return
        for item in self._items(response, text, page):
            url = item["raw"].get("url")
            if url:
                yield Request(
                    url, callback=self.parse_detail, errback=self.on_error, cb_kwargs={"row": item["raw"]}
                )
            else:
                yield item  # no detail page: the row is all there is (validation decides)

    def parse_detail(
        self, response: Response, row: RawItem | None = None, depth: int = 0, follow: bool = False
    ) -> Iterator[Any]:
        """A detail page: one ad (or several schema.org postings); a list row's fields are the defaults."""
        text, page = self._page(response)
        yield from self._follow(response, page, depth, follow)
        if row is None:
            yield from self._items(response, text, page)
            return
        cuts: Cuts = []
        found = extract_selectors(page, self.config.extract.detail_fields, cuts)
        self._cuts(response, cuts)
        yield self._item(response, merge({**row, "url": response.url}, found))

    def _feed_request(self, url: str, page_no: int, number: int) -> Request:
        kwargs = {"page_no": page_no, "number": number}
        return Request(url, callback=self.parse_feed, errback=self.on_error, cb_kwargs=kwargs)

    def parse_feed(self, response: Response, page_no: int, number: int) -> Iterator[Any]:
        """A JSON feed page: its posts, then the next page by cursor or page number (crawlers.feeds.pages)."""
        from crawlers.feeds.pages import feed_page, next_feed_url

        self.crawler.stats.inc_value("lw/pages")
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None
        text = response.body.decode(
            choose_encoding(response.body, content_type, self.config.encoding), "replace"
        )
        page = feed_page(text, self.config.extract)
        if page.error is not None:
            self._page_failed(response.url, "malformed JSON", page.error)
        elif not page.items:
            self.crawler.stats.inc_value("lw/pages_without_items")
        for raw in page.items:
            if raw.get("url"):
                raw["url"] = _join(response.url, raw["url"] or "")
            yield self._item(response, raw)
        if page_no >= self.config.links.max_pages:
            self.crawler.stats.set_value("lw/max_pages_reached", response.url)
            return
        url = next_feed_url(response.url, page, self.config.links, number)
        if url is not None:
            yield self._feed_request(url, page_no + 1, number + 1)

    def _page_failed(self, url: str, reason: str, detail: str) -> None:
        """A page that came but could not be read: an error in the log and the run's stats; the run goes on."""
        stats = self.crawler.stats
        stats.inc_value(f"lw/errors_by_reason/{reason}")
        why = f"{reason}: {detail}"[:200]
        stats.set_value("lw/error_last", f"{url}: {why}")
        self.logger.error("page unreadable: %s: %s", url, why)  # counted once, as log_count/ERROR

    def on_error(self, failure: Failure) -> None:
        """Count a page that could not be fetched (after retries) and say why."""
        if failure.check(IgnoreRequest) and "off-site" in failure.getErrorMessage():
            return  # crawlers.fetch.offsite counted and logged it already
        stats = self.crawler.stats
        stats.inc_value("lw/errors")
        response = getattr(failure.value, "response", None)
        if failure.check(HttpError) and response is not None:
            why = f"HTTP {response.status}"
            stats.inc_value(f"lw/errors_by_reason/{why}")
            if response.status in (404, 410):
                stats.inc_value("lw/pages_gone")  # a definite answer: the ad is gone
        else:
            why = f"{type(failure.value).__name__}: {failure.getErrorMessage()}"[:200]
            stats.inc_value(f"lw/errors_by_reason/{type(failure.value).__name__}")
        url = getattr(getattr(failure, "request", None), "url", "?")
        stats.set_value("lw/error_last", f"{url}: {why}")
        self.logger.warning("page failed: %s: %s", url, why)
