"""Evidence snapshots reuse the gzip bytes a server sent, only when they decode to exactly the page."""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Iterator

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from sqlalchemy import select
from sqlalchemy.engine import Engine

from crawlers.demo_web import DemoWeb
from crawlers.fetch.wire_gzip import META_KEY, WireGzipMiddleware, snapshot_gzip
from store.models import Listing, ListingVersion, Source
from tests.crawlers.helpers import run_crawl

PAGE = "<html><body><h1>招聘普工</h1><p>月薪4500-6000元，包吃住。</p></body></html>".encode()


def test_a_stream_that_decodes_to_the_page_is_kept() -> None:
    wire = gzip.compress(PAGE, 6)
    assert snapshot_gzip(wire, PAGE) is wire
    assert gzip.decompress(snapshot_gzip(wire, PAGE) or b"") == PAGE


@pytest.mark.parametrize(
    "wire",
    [
        None,
        b"",
        gzip.compress(PAGE)[:-1],  # truncated
        gzip.compress(PAGE) + b"\x00\x00",  # trailing junk: gzip.decompress would refuse it
        gzip.compress(PAGE.replace(b"4500", b"4600")),  # another page of the same length
        gzip.compress(PAGE[:20]) + gzip.compress(PAGE),  # two members: decodes to more than the page
        zlib.compress(PAGE),  # deflate, not gzip
        b"\x1f\x8b" + b"\x00" * 30,
    ],
)
def test_anything_else_is_refused(wire: bytes | None) -> None:
    assert snapshot_gzip(wire, PAGE) is None


def _response(request: Request, body: bytes, encoding: bytes | None) -> HtmlResponse:
    headers = {"Content-Encoding": encoding} if encoding else {}
    return HtmlResponse(request.url, body=body, headers=headers, request=request)


def test_the_middleware_keeps_gzip_only_and_forgets_an_earlier_response() -> None:
    middleware, request = WireGzipMiddleware(), Request("http://127.0.0.1:1/ad/1")
    wire = gzip.compress(PAGE)
    middleware.process_response(request, _response(request, wire, b"gzip"))
    assert request.meta[META_KEY] == wire
    # A retry of the same request answered without compression: the earlier bytes must not stay.
    middleware.process_response(request, _response(request, PAGE, None))
    assert META_KEY not in request.meta
    for encoding in (b"gzip, br", b"br", b"deflate"):
        middleware.process_response(request, _response(request, wire, encoding))
        assert META_KEY not in request.meta
    head = Request("http://127.0.0.1:1/ad/1", method="HEAD")
    middleware.process_response(head, _response(head, wire, b"gzip"))
    assert META_KEY not in head.meta


@pytest.fixture
def web() -> Iterator[DemoWeb]:
    with DemoWeb(seed=7, n_job=40, n_marriage=5, slow_seconds=0.0) as demo:
        yield demo


def test_a_crawl_stores_served_gzip_as_is_and_compresses_the_rest(
    db: Engine, db_url: str, web: DemoWeb
) -> None:
    """The demo web gzips half its detail pages (level 5); storage compresses the others at level 1."""
    for source in ("demo-jiangsu-talent", "demo-suzhou-jobs"):
        summary = run_crawl(source, db_url, web.urls)
        assert summary["status"] == "succeeded", summary
    with db.connect() as conn:
        rows = conn.execute(
            select(ListingVersion.raw_gz, ListingVersion.raw_sha256)
            .join(Listing, Listing.id == ListingVersion.listing_id)
            .join(Source, Source.id == Listing.source_id)
        ).all()
    served = ours = 0
    for raw_gz, sha in rows:
        page = gzip.decompress(raw_gz)
        assert hashlib.sha256(page).hexdigest() == sha  # the evidence is the page, whichever way
        if raw_gz == gzip.compress(page, 5, mtime=0):
            served += 1
        else:
            assert raw_gz == gzip.compress(page, 1, mtime=0)
            ours += 1
    assert len(rows) >= 30 and served >= 5 and ours >= 5, (len(rows), served, ours)
