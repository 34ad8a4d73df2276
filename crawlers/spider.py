"""The generic spider: walks list pages and detail pages as a source file says, yields raw items."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from parsel import Selector as Page
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawlers.config import ResolvedSource
from crawlers.config import Selector as FieldSelector
from crawlers.encoding import choose_encoding
from crawlers.extract import FIELD_LIMIT, Cuts, RawItem, extract_items, extract_selectors, merge, parse_html

CRAWLER_VERSION = "labourwatch-crawl/1.0"


def read_page(response: Response, forced: str | None = None) -> tuple[str, Page, str | None]:
    """The page's text, a selector over it (parsed once) and a warning when nesting cost text."""
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None
    encoding = choose_encoding(response.body, content_type, forced)
    text = response.body.decode(encoding, errors="replace")
    page, warning = parse_html(text, response.url)
    return text, page, warning


def decode_page(response: Response, forced: str | None = None) -> tuple[str, Page]:
    """The page's text and a selector over it, decoded by crawlers.encoding (not by the headers alone)."""
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


class SourceSpider(scrapy.Spider):
    """One spider for every configured source; the source file is its program."""

    name = "source"

    def __init__(self, source: ResolvedSource, **kwargs: Any):
        super().__init__(name=source.config.name, **kwargs)
        self.source = source
        self.config = source.config
        self.allowed_domains = source.allowed_domains

    async def start(self) -> AsyncIterator[Request]:
        for url in self.source.start_urls:
            yield Request(url, callback=self.parse_list, errback=self.on_error, cb_kwargs={"page_no": 1})

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
        }

    def parse_list(self, response: Response, page_no: int) -> Iterator[Any]:
        """A list page: its items (when ads live on list pages), detail links and the next page."""
        text, page = self._page(response)
        links = self.config.links
        if self.config.extract.on == "list":
            yield from self._rows(response, text, page)
        for url in _links(page, links.detail, response.url):
            yield Request(url, callback=self.parse_detail, errback=self.on_error)
        next_urls = _links(page, links.next, response.url)
        if next_urls and page_no < links.max_pages:
            yield Request(
                next_urls[0],
                callback=self.parse_list,
                errback=self.on_error,
                cb_kwargs={"page_no": page_no + 1},
            )

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

    def parse_detail(self, response: Response, row: RawItem | None = None) -> Iterator[dict[str, Any]]:
        """A detail page: one ad (or several schema.org postings); a list row's fields are the defaults."""
        text, page = self._page(response)
        if row is None:
            yield from self._items(response, text, page)
            return
        cuts: Cuts = []
        found = extract_selectors(page, self.config.extract.detail_fields, cuts)
        self._cuts(response, cuts)
        yield self._item(response, merge({**row, "url": response.url}, found))

    def on_error(self, failure: Failure) -> None:
        """Count a page that could not be fetched (after retries) and say why."""
        if failure.check(IgnoreRequest) and "off-site" in failure.getErrorMessage():
            return  # crawlers.offsite counted and logged it already
        self.crawler.stats.inc_value("lw/errors")
        response = getattr(failure.value, "response", None)
        if failure.check(HttpError) and response is not None and response.status in (404, 410):
            self.crawler.stats.inc_value("lw/pages_gone")  # a definite answer: the ad is gone
        request = getattr(failure, "request", None)
        self.logger.warning("page failed: %s: %s", getattr(request, "url", "?"), failure.getErrorMessage())
