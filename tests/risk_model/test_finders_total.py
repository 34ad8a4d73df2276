"""Crawled text is hostile: every finder answers any text with spans of that text, never an error.

One ad that raised inside a finder would fail the whole scoring batch it came in (a KeyError on 十十六 did).
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from risk_model.features.indicators import indicator_values, legal_spans

_PIECES = (
    *"0123456789一二两三四五六七八九十百千万亿零几来个岁周满未以下上含-~至到,。;!? ",
    *("万元", "彩礼", "一共", "新娘", "越南", "押金", "工资", "年底", "身份证", "扣", "押", "交", "费"),
    *("不", "没有", "刚满", "初中生", "小学生", "出生", "后", "w", "k", "元/月", "包", "跑了", "私我"),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
@example("彩礼十十六万")
@example("未 满 十 六 周 岁 的 也 可 以 来 工 资 年 底 给 家 属")
def test_any_text_gives_spans_of_itself(text: str) -> None:
    for spans in legal_spans(text).values():
        for span in spans:
            assert 0 <= span.start <= span.end <= len(text) and text[span.start : span.end] == span.text
    assert all(value >= 0 for value in indicator_values(text, ""))
