"""Bytes of a saved page to text: the rule the crawler reads pages by, for showing them again.

Valid UTF-8 (or UTF-8 with a stray byte) is UTF-8 whatever the page declares (lying headers are common); otherwise the charset
declared in the Content-Type or a <meta> tag, with GBK and GB2312 read as their superset GB18030; then
GB18030 and Big5 in turn; never an exotic single-byte codec for a Chinese page, never an error.
"""

from __future__ import annotations

import codecs
import re

_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([a-z0-9_\-]+)""", re.IGNORECASE)
_SUPERSET = {
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "big5": "big5hkscs",
}


def declared_charset(data: bytes, content_type: str = "") -> str | None:
    """The charset a Content-Type header or the page's own <meta> declares (normalised), if any."""
    for source in (content_type.encode("latin-1", "replace"), data[:4096]):
        match = _CHARSET.search(source)
        if match:
            name = match.group(1).decode("ascii", "replace").lower()
            try:
                codecs.lookup(name)
            except LookupError:
                continue
            return _SUPERSET.get(name, name)
    return None


def _single_byte(name: str) -> bool:
    """A single-byte codec decodes any bytes, so declaring one for a Chinese page proves nothing."""
    return codecs.lookup(name).name in _SINGLE_BYTE or codecs.lookup(name).name.startswith(
        ("iso8859", "cp125")
    )


_SINGLE_BYTE = frozenset(
    {"latin-1", "iso8859-1", "ascii", "cp1252", "mac-roman", "koi8-r", "ptcp154", "cp437"}
)


def decode_page(data: bytes, content_type: str = "") -> str:
    """DATA as text (see the module docstring for the order); undecodable bytes replaced."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= max(1, len(lenient) // 200):  # UTF-8 with a stray byte stays UTF-8
        return lenient
    declared = declared_charset(data, content_type)
    if declared and declared not in ("utf-8", "utf8") and not _single_byte(declared):
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    for name in ("gb18030", "big5hkscs"):
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    return data.decode("gb18030", errors="replace")
