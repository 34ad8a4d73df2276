"""Choose how to decode a page: forced encoding, BOM, declaration checked against the bytes, detection."""

from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

# GBK and GB2312 pages routinely contain GB18030-only characters; GB18030 is their superset.
_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "ascii": "utf-8"}
# Declared single-byte charsets that servers and templates state by mistake for UTF-8 or GBK bytes.
_SUSPECT = {"latin_1", "iso8859-1", "cp1252", "ascii", "iso8859-15"}


def canonical(name: str) -> str:
    """Python's canonical codec name, widened to its superset (gbk -> gb18030)."""
    codec = codecs.lookup(name).name
    return _SUPERSETS.get(codec, codec)


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def declared_encoding(content_type: str | None, body: bytes) -> str | None:
    """The charset the header (first) or the page's <meta> declares, canonical, or None."""
    name = http_content_type_encoding(content_type) if content_type else None
    name = name or html_body_declared_encoding(body[:4096])
    try:
        return canonical(name) if name else None
    except LookupError:
        return None


def detect(body: bytes) -> str | None:
    """charset-normalizer's best guess, canonical, or None."""
    from charset_normalizer import from_bytes

    best = from_bytes(body[:65536]).best()
    return canonical(best.encoding) if best is not None else None


def choose_encoding(body: bytes, content_type: str | None = None, forced: str | None = None) -> str:
    """The encoding to decode BODY with.

    A forced (per-source) encoding wins; then a BOM; then the declaration when the bytes agree with it.
    Valid UTF-8 with non-ASCII bytes beats a declared single-byte charset (the 智联 iso-8859-1 lie).
    When the declaration is absent or the bytes contradict it, charset-normalizer decides.
    """
    if forced:
        return canonical(forced)
    bom, _ = read_bom(body)
    if bom:
        return canonical(bom)
    declared = declared_encoding(content_type, body)
    utf8 = _decodes(body, "utf-8")
    if declared == "utf-8" and utf8:
        return "utf-8"
    if declared in _SUSPECT or declared is None:
        if utf8:
            return "utf-8"
        return detect(body) or declared or "utf-8"
    if _decodes(body, declared):
        return declared
    if utf8:
        return "utf-8"
    return detect(body) or declared
