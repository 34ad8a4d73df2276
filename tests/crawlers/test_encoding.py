"""Encodings: forced wins, declarations are checked against the bytes, detection fills the gaps."""

from __future__ import annotations

import pytest

from crawlers.fetch.encoding import choose_encoding
from tests.conftest import needs_real_data
from tests.crawlers.helpers import HTML

TEXT = "<html><body><h1>招聘普工 月薪5000元 包吃住 联系电话13812345678</h1><p>南京市江宁区</p></body></html>"


def test_gbk_without_declaration_is_detected() -> None:
    body = (TEXT * 3).encode("gbk")
    encoding = choose_encoding(body, None)
    assert body.decode(encoding) == TEXT * 3


def test_declared_gbk_reads_gb18030_characters() -> None:
    body = ('<meta charset="gbk"><p>𠮷 镕 ' + TEXT + "</p>").encode("gb18030")
    assert choose_encoding(body, None) == "gb18030"


def test_utf8_bytes_declared_iso_8859_1_are_read_as_utf8() -> None:
    body = ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">' + TEXT).encode()
    assert choose_encoding(body, "text/html; charset=iso-8859-1") == "utf-8"


def test_gbk_bytes_declared_utf8_are_detected() -> None:
    body = ('<meta charset="utf-8">' + TEXT * 5).encode("gbk")
    assert body.decode(choose_encoding(body, "text/html; charset=utf-8")).endswith(TEXT)


def test_forced_encoding_wins_over_everything() -> None:
    body = TEXT.encode("gbk")
    assert choose_encoding(body, "text/html; charset=utf-8", forced="gbk") == "gb18030"


def test_bom_wins_over_a_wrong_declaration() -> None:
    body = b"\xef\xbb\xbf" + TEXT.encode()
    assert choose_encoding(body, "text/html; charset=gbk") == "utf-8"


@pytest.mark.realdata
@needs_real_data(HTML, "real pages folder")
def test_real_zhaopin_page_whose_meta_lies() -> None:
    body = (HTML / "zhaopin_charset_mismatch" / "search_meta_iso8859_body_utf8.html").read_bytes()
    encoding = choose_encoding(body, "text/html; charset=iso-8859-1")
    assert encoding == "utf-8"
    assert "招聘（求职）尽在智联招聘" in body.decode(encoding)


@pytest.mark.realdata
@needs_real_data(HTML, "real pages folder")
def test_real_51job_gbk_page() -> None:
    body = (HTML / "51job_search_gbk" / "51job.html").read_bytes()
    encoding = choose_encoding(body, "text/html")
    assert encoding == "gb18030"
    assert "前程无忧" in body.decode(encoding)


def test_utf8_bytes_declared_gbk_are_read_as_utf8() -> None:
    # Two-character runs: 3 UTF-8 bytes each, so every run has an even length and decodes as GB18030 too.
    text = '<html><head><meta charset="gbk"></head><body><h1>招聘 普工 月薪 面议</h1></body></html>'
    body = text.encode()
    assert body.decode("gb18030") != text  # the bytes are valid (mojibake) GB18030
    assert choose_encoding(body, "text/html; charset=gbk") == "utf-8"
    assert choose_encoding(body, None) == "utf-8"


@pytest.mark.parametrize("content_type", [None, "text/html", "text/html; charset=iso-8859-1"])
def test_a_short_utf8_page_with_one_bad_byte_stays_utf8(content_type: str | None) -> None:
    body = "<p>招聘普工，月薪5000</p>".encode() + b"\xff" + "<p>包吃住</p>".encode()
    encoding = choose_encoding(body, content_type)
    assert encoding == "utf-8"
    assert "包吃住" in body.decode(encoding, errors="replace")


def test_detection_never_picks_an_exotic_single_byte_codec() -> None:
    # Short pages with one stray byte used to come out as cp932, cp037, ptcp154, mac-iceland ...
    for text in ("招聘", "月薪5000元", "包吃住", "电话13812345678", "<p>招聘普工</p>", "急招"):
        for cut in range(3):
            utf8 = text.encode()
            at = len(utf8) * cut // 3
            body = utf8[:at] + b"\x80" + utf8[at:]
            assert choose_encoding(body, None) in {"utf-8", "gb18030", "big5"}, body
