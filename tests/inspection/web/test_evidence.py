"""Hostile text helpers: tags stripped, everything escaped, only our own <mark> added."""

from __future__ import annotations

import gzip
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from inspection.web.evidence import evidence_html, highlight, plain_text, raw_page_text, risky_phrases

OUR_TAGS = re.compile(r'<mark class="risk">|</mark>')


def test_plain_text_drops_tags_and_script_content() -> None:
    text = plain_text("招工<script>alert(1)</script><b>急</b><img src=x onerror=alert(2)>&lt;b&gt;")
    assert text == "招工急<b>"  # entities decode to text, which highlight() escapes again


def test_risky_phrases_from_positive_phrase_contributions_only() -> None:
    explanation = [
        {"feature": "押金 | 金5", "kind": "phrase", "weight": 0.5},
        {"feature": "包吃", "kind": "phrase", "weight": -0.3},
        {"feature": "age_below_16", "kind": "indicator", "weight": 2.0},
        {"feature": "#123", "kind": "phrase", "weight": 1.0},
        "not a dict",
    ]
    assert sorted(risky_phrases(explanation)) == ["押金", "金5"]


def test_highlight_escapes_before_marking() -> None:
    html = str(highlight('童工<script>"&', ["童工", "<script>"]))
    assert html == '<mark class="risk">童工</mark><mark class="risk">&lt;script&gt;</mark>&#34;&amp;'


def test_evidence_html_marks_inside_cleaned_text() -> None:
    html = str(evidence_html("<p>招<i>童工</i></p>", [{"feature": "童工", "kind": "phrase", "weight": 1}]))
    assert html == '招<mark class="risk">童工</mark>'


@settings(max_examples=200, derandomize=True, database=None)
@given(st.text(), st.lists(st.text(min_size=1, max_size=5), max_size=5))
def test_highlight_never_lets_markup_through(text: str, phrases: list[str]) -> None:
    html = OUR_TAGS.sub("", str(highlight(text, phrases)))
    assert "<" not in html and ">" not in html and '"' not in html


def test_raw_page_text_survives_bad_bytes() -> None:
    assert (
        raw_page_text(gzip.compress("页面\xff".encode("utf-8", "surrogatepass") + b"\xff"))
        == "页面\xff\ufffd"
    )
    assert raw_page_text(b"not gzip") == "not gzip"
