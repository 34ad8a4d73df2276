"""The context view: an ad's sentences that state no violation (what the n-gram and registry blocks read)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from risk_model.features.context import context_lines, kept_lines

_TEXT = st.text(alphabet=st.sampled_from(list("招工包吃住。!?;\n ,押身份证年满16岁ab")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_an_ad_with_nothing_cut_keeps_every_sentence_as_the_cutting_loop_does(text: str) -> None:
    beyond = [(len(text) + 5, len(text) + 6)]  # a cut no sentence touches: the general loop runs
    assert kept_lines(text, []) == kept_lines(text, beyond)
    assert len(kept_lines(text, [])) == text.count("\n") + 1


def test_a_sentence_stating_a_violation_is_left_out_of_its_field() -> None:
    joined = "招聘普工。身份证由公司保管,包吃住\n月薪五千"
    lines = context_lines(joined)
    assert lines == ("招聘普工", "月薪五千")
    assert kept_lines("招聘普工。包吃住", [(5, 7)]) == ("招聘普工",)


def test_clearing_the_text_caches_leaves_no_text_behind() -> None:
    """bench/score.py starts each pass cold: every per-text cache is emptied, so a stream shorter than a
    cache is not scored from the previous pass's results."""
    from risk_model.features import _fold_cached, clear_text_caches, fold_record
    from risk_model.features.context import context_lines
    from risk_model.features.indicators import LEGAL_SPANS_CACHE, legal_spans
    from risk_model.features.structured import company_values, credit_code_valid

    caches = (_fold_cached, LEGAL_SPANS_CACHE, context_lines, credit_code_valid, company_values)
    folded = fold_record({"title": "招聘普工", "body": "包吃住，15岁以上可来", "credit_code": "x"})
    joined = "\n".join(value for value in folded.values() if value)
    legal_spans(joined), context_lines(joined), credit_code_valid("91320000MA1X00000X")
    company_values(("某某有限公司",) + ("",) * 12)
    assert all(cache.cache_info().currsize > 0 for cache in caches)
    clear_text_caches()
    assert [cache.cache_info().currsize for cache in caches] == [0, 0, 0, 0, 0]
