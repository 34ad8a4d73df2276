"""Folding with an offset map: spans found in folded text quote the characters as written."""

from __future__ import annotations

import pytest

from zhtext.fold import fold, fold_mapped


@pytest.mark.parametrize("text", ["１５歲　也可", "年齡：１４－１８歲", "  招工\n\n十五歲  ", "ＡＢＣ㈠"])
def test_fold_mapped_folds_like_fold(text: str) -> None:
    assert fold_mapped(text).text == fold(text)
    assert fold_mapped(text, lower=True).text == fold(text).lower()


def test_a_span_ending_before_a_space_does_not_swallow_it() -> None:
    folded = fold_mapped("初中生　也可")
    assert folded.text == "初中生 也可"
    assert folded.span(0, 3).text == "初中生"
    assert folded.span(3, 4).text == "　"
    assert folded.span(4, 6).text == "也可"


def test_a_run_of_whitespace_is_one_folded_space_quoting_the_run_start() -> None:
    folded = fold_mapped("月薪\n\n 5000")
    assert folded.text == "月薪 5000"
    assert folded.span(2, 7).text == "\n\n 5000"
