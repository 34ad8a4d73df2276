"""Evidence snapshots reuse the gzip bytes a server sent, only when they decode to exactly the page."""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Iterator

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import col

from crawlers.demo_web import DemoWeb
from crawlers.fetch.wire_gzip import META_KEY, WireGzipMiddleware, decode_gzip, snapshot_gzip
from store.models import ListingVersion
from tests.crawlers.helpers import run_crawl

PAGE = "<html><body><h1>招聘普工</h1><p>月薪4500-6000元，包吃住。</p></body></html>".encode()


def test_one_whole_member_is_decoded() -> None:
    assert decode_gzip(gzip.compress(PAGE, 6), 10_000) == PAGE


@pytest.mark.parametrize(
    "wire",
    [
        b"",
        gzip.compress(PAGE)[:-1],  # truncated
        gzip.compress(PAGE) + b"\x00\x00",  # trailing bytes: Scrapy's lenient gunzip decides
        gzip.compress(PAGE[:20]) + gzip.compress(PAGE),  # two members
        gzip.compress(PAGE)[:-8] + b"\x00\x00\x00\x00" + gzip.compress(PAGE)[-4:],  # a wrong CRC
        zlib.compress(PAGE),  # deflate, not gzip
        b"\x1f\x8b" + b"\x00" * 30,
    ],
)
def test_anything_else_is_left_to_scrapy(wire: bytes) -> None:
    assert decode_gzip(wire, 10_000) is None


def test_a_page_over_the_limit_once_decoded_is_left_to_scrapy() -> None:
    assert decode_gzip(gzip.compress(PAGE), len(PAGE) - 1) is None
    assert decode_gzip(gzip.compress(PAGE), len(PAGE)) == PAGE


def test_a_snapshot_is_the_wire_only_when_its_trailer_is_the_pages() -> None:
    wire = gzip.compress(PAGE, 6)
    assert snapshot_gzip(wire, PAGE) is wire
    assert snapshot_gzip(wire, PAGE.replace(b"4500", b"4600")) is None  # same length, other page
    assert snapshot_gzip(wire + b"\x00", PAGE) is None
    assert snapshot_gzip(None, PAGE) is None and snapshot_gzip(b"", PAGE) is None


def _middleware(**settings: object) -> WireGzipMiddleware:
    return WireGzipMiddleware.from_crawler(get_crawler(settings_dict=settings))


def _response(request: Request, body: bytes, encoding: bytes | None) -> HtmlResponse:
    headers = {"Content-Encoding": encoding, "Content-Type": "text/html; charset=utf-8"} if encoding else {}
    return HtmlResponse(request.url, body=body, headers=headers, request=request)


def test_the_middleware_decodes_one_member_keeps_its_bytes_and_forgets_an_earlier_response() -> None:
    middleware, request = _middleware(), Request("http://127.0.0.1:1/ad/1")
    wire = gzip.compress(PAGE)
    decoded = middleware.process_response(request, _response(request, wire, b"gzip"))
    assert decoded.body == PAGE and request.meta[META_KEY] == wire
    assert isinstance(decoded, TextResponse) and decoded.text == PAGE.decode()
    assert b"Content-Encoding" not in decoded.headers
    # A retry of the same request answered without compression: the earlier bytes must not stay.
    plain = middleware.process_response(request, _response(request, PAGE, None))
    assert plain.body == PAGE and META_KEY not in request.meta
    for encoding in (b"gzip, br", b"br", b"deflate"):  # left to Scrapy's middleware, untouched
        left = middleware.process_response(request, _response(request, wire, encoding))
        assert left.body == wire and META_KEY not in request.meta
    head = Request("http://127.0.0.1:1/ad/1", method="HEAD")
    assert middleware.process_response(head, _response(head, wire, b"gzip")).body == wire


def test_a_page_scrapy_would_warn_about_or_refuse_is_left_to_it() -> None:
    request = Request("http://127.0.0.1:1/ad/1")
    wire = gzip.compress(PAGE)
    for settings in ({"DOWNLOAD_WARNSIZE": len(PAGE)}, {"DOWNLOAD_MAXSIZE": len(PAGE) - 1}):
        left = _middleware(**settings).process_response(request, _response(request, wire, b"gzip"))
        assert left.body == wire and META_KEY not in request.meta


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
        rows = conn.execute(select(col(ListingVersion.raw_gz), col(ListingVersion.raw_sha256))).all()
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
