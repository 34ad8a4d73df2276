"""Saved pages decoded for display the way the crawler read them (issue 13: GBK pages shown as mojibake)."""

from __future__ import annotations

import gzip

import pytest

from inspection.web.render.evidence import raw_page_text
from zhtext.decode import declared_charset, decode_page

TEXT = "招聘普工，包吃住，电话13812345678，苏州乾旺電子"


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (TEXT.encode("utf-8"), "text/html; charset=gbk"),  # UTF-8 that lies about being GBK
        (TEXT.encode("gbk", errors="ignore"), "text/html; charset=iso-8859-1"),  # GBK that says Latin-1
        (TEXT.encode("gb18030"), ""),  # nothing declared
        (("<meta charset='gb2312'>" + TEXT).encode("gb18030"), "text/html"),
    ],
)
def test_pages_read_as_written(data: bytes, content_type: str) -> None:
    assert "招聘普工" in decode_page(data, content_type)
    assert "招聘普工" in raw_page_text(gzip.compress(data), content_type)


def test_big5_pages_and_declarations() -> None:
    page = ('<meta charset="big5">' + "招聘廚師").encode("big5")
    assert "招聘廚師" in decode_page(page)
    assert declared_charset(b"", "text/html; charset=GBK") == "gb18030"
    assert declared_charset(b"", "text/html; charset=no-such") is None


def test_garbage_never_raises() -> None:
    assert isinstance(decode_page(bytes(range(256)) * 4, "text/html; charset=utf-8"), str)
