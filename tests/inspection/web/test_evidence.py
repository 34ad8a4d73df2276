"""Hostile text helpers: tags stripped, everything escaped, only our own <mark> added."""

from __future__ import annotations

import gzip
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from inspection.web.i18n import reason_text
from inspection.web.render.evidence import (
    evidence_html,
    highlight,
    marked_text,
    plain_text,
    raw_page_text,
    risky_phrases,
)

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


def _span(text: str, part: str, *, field: str = "body", kind: str = "indicator", shift: int = 0) -> dict:
    start = text.index(part) + shift
    spans = [{"field": field, "start": start, "end": start + len(part), "text": part}]
    return {"feature": "minimum_age_under_16", "kind": kind, "value": 1.0, "weight": 2.0, "spans": spans}


def test_spans_mark_exactly_their_characters_not_every_occurrence() -> None:
    text = "14岁学徒，另招14岁以上"
    entry = _span(text, "14岁")  # the first occurrence only
    assert str(marked_text(text, [entry], "body")) == '<mark class="risk">14岁</mark>学徒，另招14岁以上'
    assert str(marked_text(text, [entry], "title")) == text  # a span of another field marks nothing here


def test_spans_survive_stripped_tags_and_skip_masked_text() -> None:
    body = "<p>招<b>14岁</b>学徒</p>电话13912345678"
    entry = _span(body, "14岁")  # offsets in the stored body, which the page shows without its tags
    phone = _span(body, "13912345678", kind="rule")
    shown = "招14岁学徒电话139****5678"
    assert (
        str(marked_text(shown, [entry, phone], "body"))
        == '招<mark class="risk">14岁</mark>学徒电话139****5678'
    )
    assert str(evidence_html(body, [entry])) == '招<mark class="risk">14岁</mark>学徒电话13912345678'


def test_spans_and_phrases_merge_without_nesting() -> None:
    text = "押金500元包吃住"
    entries = [
        _span(text, "押金500元", kind="rule"),
        _span(text, "500元包吃"),
        {"feature": "押金 | 吃住", "kind": "phrase", "weight": 1.0},
        {
            "feature": "bad",
            "kind": "rule",
            "spans": [{"field": "body", "start": "x", "end": 2, "text": "押"}],
        },
    ]
    html = str(marked_text(text, entries, "body"))
    assert html == '<mark class="risk">押金500元包吃</mark>住'  # the phrase 吃住 overlaps a span: dropped


def test_hostile_spans_are_escaped() -> None:
    text = '招童工<script>alert("x")</script>'
    entry = _span(text, '<script>alert("x")</script>', kind="rule")
    html = str(marked_text(text, [entry], "body"))
    assert html == '招童工<mark class="risk">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</mark>'


@settings(max_examples=200, derandomize=True, database=None)
@given(st.text(), st.integers(-5, 30), st.integers(0, 30), st.text(max_size=6))
def test_marked_text_never_lets_markup_through(text: str, start: int, length: int, part: str) -> None:
    span = {"field": "body", "start": start, "end": start + length, "text": part}
    entries = [{"kind": "rule", "spans": [span]}, {"kind": "phrase", "feature": part, "weight": 1}]
    html = OUR_TAGS.sub("", str(marked_text(text, entries, "body")))
    assert "<" not in html and ">" not in html and '"' not in html


def test_reasons_in_chinese_with_meaning_first() -> None:
    assert (
        reason_text({"feature": "rule_documents_kept", "kind": "rule", "meaning": "扣押证件"}, "zh")
        == "扣押证件"
    )
    assert reason_text({"feature": "id_card_kept", "kind": "indicator"}, "zh") == "扣押身份证或证件"
    assert reason_text({"feature": "id_card_kept", "kind": "indicator"}, "en") == "ID card or documents kept"
    assert reason_text({"feature": "押金 | 金5", "kind": "phrase"}, "zh") == "文本片段「押金」「金5」"
    assert (
        reason_text({"feature": "licence_missing", "kind": "registry", "meaning": "无许可证"}, "zh")
        == "无许可证"
    )
    assert reason_text({"feature": "new_thing", "kind": "indicator"}, "zh") == "new_thing"


def test_raw_page_text_survives_bad_bytes() -> None:
    assert (
        raw_page_text(gzip.compress("页面\xff".encode("utf-8", "surrogatepass") + b"\xff"))
        == "页面\xff\ufffd"
    )
    assert raw_page_text(b"not gzip") == "not gzip"
