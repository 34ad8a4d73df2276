"""Evidence spans located on the fields as written, whether or not scoring hands RecordText the joined text.

Scoring passes the features' ad text (``fold`` of the fields) so that a record's fields are folded with
their maps only when a span is to be located; the spans must be those of the mapped fold all the same.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from risk_model.features import ad_text, fold_record
from risk_model.features.evidence import RecordText
from risk_model.features.indicators import _spanned, indicator_spans
from risk_model.ops.scoring import indicator_spans_json

# Violations and their traps, written as people write them: traditional and full-width characters, spaces,
# line breaks, a combining mark (where fold and fold_mapped part ways), an empty field.
_PIECES = (
    *(
        "招聘普工",
        "包吃住",
        "未滿十六周歲也可",
        "１５岁",
        "身份证由公司保管",
        "先交押金500元",
        "工资年底一次结清",
    ),
    *(
        "越南新娘",
        "包成功",
        "彩礼8万",
        "不收任何费用",
        "身份证复印件",
        "e\u0301",
        "ｗｘ：abc123",
        "\n",
        " ",
        "。",
    ),
    *("ｶﾞ", "か\u3099", "ΟΔΟΣ", "İ", "ﬁ", "㈠", "\x1c", "\x0b", "\x85", "\u2028", "\xa0", "\u3000", "A B"),
)
_FIELD = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join)


def _as_before(record: dict[str, str], name: str) -> list[dict[str, object]]:
    """What scoring located before: the mapped fold's joined text, read and located."""
    text = RecordText(record)
    return text.spans_json(indicator_spans(text.joined, name))


@settings(max_examples=200, deadline=None)
@given(title=_FIELD, body=_FIELD)
@example(title="普工", body="未滿十六周歲也可，身份证由公司保管")
@example(title="cafe\u0301", body="招聘普工 15岁也可 先交押金500元")
def test_spans_located_from_the_given_joined_text_are_the_mapped_folds(title: str, body: str) -> None:
    record = {"title": title, "body": body}
    joined = ad_text(fold_record(record))
    for name in sorted(_spanned()):
        assert indicator_spans_json(RecordText(record, joined), name) == _as_before(record, name)


def test_a_record_with_no_span_to_locate_is_not_folded_with_maps() -> None:
    record = {"title": "招聘普工", "body": "包吃住，月薪5000"}
    text = RecordText(record, ad_text(fold_record(record)))
    assert indicator_spans_json(text, "documents_kept") == []
    assert text._parts is None  # nothing located: the fields were folded once, for the features
    kept = {"title": "普工", "body": "身份證由公司保管"}
    located = indicator_spans_json(RecordText(kept, ad_text(fold_record(kept))), "documents_kept")
    assert located and {(s["field"], s["text"]) for s in located} <= {
        ("body", kept["body"][s["start"] : s["end"]]) for s in located
    }
    assert all("證" in s["text"] for s in located)  # quoted as written, not folded
