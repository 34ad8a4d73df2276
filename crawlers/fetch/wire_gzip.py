"""Gzip pages decoded once, in C, and their bytes from the wire kept as the evidence snapshot.

Scrapy's HttpCompressionMiddleware (priority 590) decodes a gzip body through ``GzipFile`` in Python-level
chunks, and the pipeline then compressed the decoded page again for its snapshot. This middleware sits
just outside it (595: responses pass it first). A body that is exactly one gzip member, with a valid
CRC and nothing after it, is decoded here in one zlib call; the response goes on decoded, as Scrapy's
middleware would hand it on, and the bytes from the wire stay in the request's meta for storage. Anything
else (another or a chained encoding, several members, trailing junk, a bad CRC, a body over
DOWNLOAD_WARNSIZE or DOWNLOAD_MAXSIZE once decoded) is left to Scrapy's middleware exactly as before,
and its snapshot is compressed by storage.
"""

from __future__ import annotations

import zlib
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.responsetypes import responsetypes

META_KEY = "lw_wire_gzip"
PRIORITY = 595  # just above scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware (590)
_GZIP = ((b"gzip",), (b"x-gzip",))


def decode_gzip(wire: bytes, limit: int) -> bytes | None:
    """The page in WIRE when it is one whole gzip member decoding to at most LIMIT bytes, else None."""
    if len(wire) < 18 or wire[:2] != b"\x1f\x8b":
        return None
    decoder = zlib.decompressobj(wbits=31)  # gzip framing; the CRC and length are checked at its end
    try:
        page = decoder.decompress(wire, limit + 1)
    except zlib.error:
        return None
    if len(page) > limit or not decoder.eof or decoder.unused_data or decoder.unconsumed_tail:
        return None
    return page


class WireGzipMiddleware:
    """Decodes a response that is one clean gzip member and keeps its wire bytes in ``request.meta``."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        self.warn_size = crawler.settings.getint("DOWNLOAD_WARNSIZE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WireGzipMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        request.meta.pop(META_KEY, None)  # a retry or redirect must not carry an earlier response's bytes
        encodings = tuple(e.strip().lower() for e in response.headers.getlist("Content-Encoding"))
        if request.method == "HEAD" or encodings not in _GZIP:
            return response
        max_size = request.meta.get("download_maxsize", self.max_size) or (1 << 62)
        warn_size = request.meta.get("download_warnsize", self.warn_size) or (1 << 62)
        page = decode_gzip(response.body, min(max_size, warn_size - 1))
        if page is None:  # Scrapy's middleware decodes what it can, warns or refuses, as it always has
            return response
        request.meta[META_KEY] = response.body
        if self.stats is not None:  # the counts Scrapy's middleware keeps for the responses it decodes
            self.stats.inc_value("httpcompression/response_bytes", len(page))
            self.stats.inc_value("httpcompression/response_count")
        headers = response.headers.copy()
        del headers["Content-Encoding"]
        cls = responsetypes.from_args(headers=headers, url=response.url, body=page)
        changes: dict[str, Any] = {"cls": cls, "body": page, "headers": headers}
        if issubclass(cls, TextResponse):
            changes["encoding"] = None  # read from the page and its headers, as Scrapy does
        return response.replace(**changes)


def snapshot_gzip(wire: bytes | None, page: bytes) -> bytes | None:
    """WIRE, as WireGzipMiddleware kept it, when its gzip trailer (CRC-32 and length) is PAGE's; else None.

    The middleware keeps only bytes it decoded itself as one whole member (``decode_gzip``), so the
    trailer is enough to tie them to this page: a tenth of the cost of decoding them again.
    """
    if wire is None:
        return None
    crc, size = int.from_bytes(wire[-8:-4], "little"), int.from_bytes(wire[-4:], "little")
    if size != len(page) & 0xFFFFFFFF or crc != zlib.crc32(page):
        return None
    return wire
