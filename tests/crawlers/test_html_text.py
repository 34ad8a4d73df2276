"""html_to_text reads clean markup from lxml's tree: the text must equal BeautifulSoup's, character for character."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup

from crawlers.demo_web import DemoWeb
from crawlers.extract.html_text import (
    _BLOCK_START,
    _INVISIBLE,
    FIELD_LIMIT,
    MARKUP_LIMIT,
    _clean_text,
    _lines,
    html_to_text,
)
from crawlers.fetch.encoding import choose_encoding
from tests.conftest import needs_real_data
from tests.crawlers.helpers import HTML

_JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
# Whole pages are compared as fragments without the doctype and </html> (which send them to BeautifulSoup).
_PAGE_ENDS = re.compile(r"<!DOCTYPE[^>]*>|</html\s*>", re.IGNORECASE)
TRICKY = [
    "<p>a<b>x</b> <i>y</i></p>",
    "<b>x</b>\x0c<i>y</i>",
    "<pre> \x0c </pre>x",
    "\ufeff<p>a</p>",
    "<p>漢<rt>kan</rt>b<rp>(</rp></p>",
    "a<!--c-->b<?pi x?>c",
    "<script>a</script>b<noscript><p>n</p></noscript>c<template>t</template>d",
    "<textarea>  </textarea> z",
    "x\r\ny\rz",
    "<div>a<div>b</span></p>c",
    "<<p>>",
    "<p>a</p></body> tail<p>b",
    "<p>a</p></html> tail<p>b",
    "a\ufeff\t<!DOCTYPE html>\x0cb",
    "&nbsp;&amp;&#x41;&bogus;",
]
_MARKUP_ATOMS = (
    "<p> </p> <div> </div> <br> <b> </b> <td> </td> <tr> <table> </table> <li> <ul> </ul> <script> "
    "</script> <style> </style> <!-- --> <pre> </pre> <rt> </rt> <head> <body> </body> <title> </title> "
    "<textarea> </textarea> <noscript> </noscript> <template> </template> 文字 abc &amp; &nbsp; & < > "
    "<?x?> <!DOCTYPE> <h2> </h2> <a> </a> <span> </span> <select> <option> <svg> </svg> <html> </html> <p"
)
_ATOMS = [*_MARKUP_ATOMS.split(" "), " ", "\n", "\r\n", "\x0c", "\t", "\u3000", "\ufeff"]


def soup_text(html: str) -> str:
    """html_to_text as it was: BeautifulSoup for every fragment."""
    soup = BeautifulSoup(_BLOCK_START.sub(r"\n\g<0>", html[:MARKUP_LIMIT]), "lxml")
    for tag in soup(_INVISIBLE):
        tag.decompose()
    return _lines(soup.get_text())[:FIELD_LIMIT]


def demo_fragments() -> Iterator[str]:
    """Every page of the demo sites (as a fragment) and every JSON-LD description on them."""
    web = DemoWeb(seed=2014, n_job=120, n_marriage=20)
    web.prerender()
    for page in web.renderer.cache.values():
        text = page.body.decode(choose_encoding(page.body, page.content_type, None), "replace")
        yield _PAGE_ENDS.sub("", text)
        for block in _JSONLD.findall(text):
            data = json.loads(block, strict=False)
            if isinstance(data, dict) and data.get("description"):
                yield str(data["description"])


def assert_same(fragments: Iterator[str]) -> int:
    """Compare both readings; the number of fragments lxml read (the rest went to BeautifulSoup)."""
    read = 0
    for html in fragments:
        assert html_to_text(html) == soup_text(html), html[:300]
        read += _clean_text(_BLOCK_START.sub(r"\n\g<0>", html[:MARKUP_LIMIT])) is not None
    return read


def test_demo_pages_and_descriptions_read_as_beautifulsoup_reads_them() -> None:
    fragments = list(demo_fragments())
    assert len(fragments) > 200
    assert assert_same(iter(fragments)) == len(fragments)  # all clean: none needed BeautifulSoup


@pytest.mark.realdata
@needs_real_data(HTML, "real pages folder")
def test_real_saved_pages_read_as_beautifulsoup_reads_them() -> None:
    pages = sorted(HTML.glob("*/*.html"))
    assert pages
    texts = [p.read_bytes() for p in pages]
    assert_same(_PAGE_ENDS.sub("", b.decode(choose_encoding(b, None, None), "replace")) for b in texts)


def test_tricky_markup_reads_as_beautifulsoup_reads_it() -> None:
    assert_same(iter(TRICKY))


def test_random_tag_soup_reads_as_beautifulsoup_reads_it() -> None:
    rng = random.Random(15)
    assert_same("".join(rng.choices(_ATOMS, k=rng.randint(1, 25))) for _ in range(3000))


_PLAIN = [*"招聘普工包吃住月薪元，。！abc12:;.", " ", "\n", "\t", "\u3000", "\xa0", "\u2028", "\x85"]
_ODD = ["\r", "\r\n", "\x0b", "\x0c", "\x00", "\x1c", "\x7f", "\ufeff", "&amp;", "&", "<br>", ">", "<"]


def test_plain_text_is_read_without_a_parser_exactly_as_parsed() -> None:
    rng = random.Random(16)
    plain = ["".join(rng.choices(_PLAIN, k=rng.randint(0, 80))) for _ in range(2000)]
    odd = ["".join(rng.choices(_PLAIN + _ODD, k=rng.randint(0, 40))) for _ in range(2000)]
    assert_same(iter(plain + odd))
