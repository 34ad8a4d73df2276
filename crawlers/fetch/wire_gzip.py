"""Keep a page's gzip bytes as the server sent them, so its evidence snapshot need not be compressed again.

Scrapy's HttpCompressionMiddleware (priority 590) replaces a gzip body with the decoded page. This
middleware sits just outside it (595: responses pass it first) and keeps the bytes on the wire in the
request's meta. Storage uses them as the snapshot's gzip only when they are one gzip member that decodes to
exactly the page (`snapshot_gzip`); anything else is compressed as before.
"""

from __future__ import annotations

import zlib

from scrapy import Request
from scrapy.http import Response

META_KEY = "lw_wire_gzip"
PRIORITY = 595  # just above scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware (590)
_GZIP = ((b"gzip",), (b"x-gzip",))


class WireGzipMiddleware:
    """Keeps a response's gzip body (Content-Encoding: gzip, nothing else) in ``request.meta``."""

    def process_response(self, request: Request, response: Response) -> Response:
        encodings = tuple(e.strip().lower() for e in response.headers.getlist("Content-Encoding"))
        if request.method != "HEAD" and encodings in _GZIP and response.body[:2] == b"\x1f\x8b":
            request.meta[META_KEY] = response.body
        else:  # a retry or redirect must not carry an earlier response's bytes
            request.meta.pop(META_KEY, None)
        return response


def snapshot_gzip(wire: bytes | None, page: bytes) -> bytes | None:
    """WIRE when it is one gzip member that decodes to exactly PAGE, with nothing after it; else None.

    Decoding is about a third of the cost of compressing at level 1, and it makes the check exact:
    Scrapy's gunzip keeps what it could read of a stream with junk or a bad member after it, and
    such bytes must not become the stored evidence.
    """
    if wire is None or len(wire) < 18 or wire[:2] != b"\x1f\x8b":
        return None
    if int.from_bytes(wire[-4:], "little") != len(page) & 0xFFFFFFFF:  # the trailer's length: a cheap no
        return None
    decoder = zlib.decompressobj(wbits=31)  # gzip framing, one member
    try:
        decoded = decoder.decompress(wire, len(page) + 1)
    except zlib.error:
        return None
    if not decoder.eof or decoder.unused_data or decoded != page:
        return None
    return wire
