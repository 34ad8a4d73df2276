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


# What Chinese sites are written in; detection never picks anything else (a short page with one stray byte
# came out as ptcp154 or cp932 when charset-normalizer could choose among every codec).
_CHINESE = ("utf_8", "gb18030", "big5")


def _mostly_utf8(body: bytes) -> bool:
    """UTF-8 with a stray invalid byte or two: at least 20 good non-ASCII characters per bad one."""
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    return good >= 2 and bad * 20 <= good


def detect(body: bytes) -> str:
    """The likeliest of the codecs Chinese pages use (UTF-8, GB18030, Big5) for bytes that fit none exactly."""
    from charset_normalizer import from_bytes

    if _mostly_utf8(body):
        return "utf-8"
    if _decodes(body, "gb18030"):
        return "gb18030"
    best = from_bytes(body[:65536], cp_isolation=list(_CHINESE)).best()
    return canonical(best.encoding) if best is not None else "utf-8"


def choose_encoding(body: bytes, content_type: str | None = None, forced: str | None = None) -> str:
    """The encoding to decode BODY with.

    A forced (per-source) encoding wins; then a BOM; then a strict UTF-8 decode when it succeeds (UTF-8
    bytes declared gbk decode as GB18030 mojibake too, and real GBK text is almost never valid UTF-8);
    then the declaration when the bytes agree with it and it is not a single-byte charset stated by
    mistake (the 智联 iso-8859-1 lie); otherwise detection among the codecs Chinese pages use.
    """
    if forced:
        return canonical(forced)
    bom, _ = read_bom(body)
    if bom:
        return canonical(bom)
    if _decodes(body, "utf-8"):
        return "utf-8"
    declared = declared_encoding(content_type, body)
    if declared is not None and declared not in _SUSPECT and _decodes(body, declared):
        return declared
    return detect(body)
