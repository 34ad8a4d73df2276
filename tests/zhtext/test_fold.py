"""Folding with an offset map: spans found in folded text quote the characters as written."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.text import bigrams, search_terms
from zhtext.fold import fold, fold_join, fold_mapped


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


# No combining marks: fold normalises the whole string, fold_mapped one character at a time.
_TEXTS = st.text(
    alphabet=st.sampled_from(list("ab AZ09 \t\n\u3000電話联系①⑩㈠１２ＡＢ，。（）臺灣乾坤İ🔥")), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.booleans())
def test_fold_mapped_folds_like_fold_and_maps_back(text: str, lower: bool) -> None:
    folded = fold_mapped(text, lower=lower)
    expected = fold(text)
    assert len(folded.text) == len(folded.origin)
    assert folded.text.lower() == expected.lower()
    assert list(folded.origin) == sorted(folded.origin)
    # t2s reads phrases (乾坤 stays, 乾 alone becomes 干), so a character is checked by its kind only.
    for char, at in zip(folded.text, folded.origin, strict=True):
        assert text[at].isspace() == (char == " "), (text, at)


# Full-width punctuation with what composes across characters under NFKC: combining marks after a
# letter (e + ́), half-width katakana and its voiced mark (ｶ + ﾞ -> ガ), a kana and the combining mark.
_COMPOSING = st.text(
    alphabet=st.sampled_from(
        list("ae 招工，：；（）！？～＋．－％／\u3000\xa0。、１Ａ㈠①ﬁ\u0301\u0308ｶﾞか\u3099臺İ\n")
    ),
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(_COMPOSING)
def test_the_fast_nfkc_is_unicodedatas(text: str) -> None:
    """normalize_nfkc swaps the common full-width punctuation first and then skips normal text; the
    result is unicodedata's NFKC of the whole text, compositions across characters included."""
    import unicodedata

    from zhtext.fold import _NFKC_TABLE, _swap_common_wide, normalize_nfkc

    assert normalize_nfkc(text) == unicodedata.normalize("NFKC", text)
    swapped = _swap_common_wide(text)
    if unicodedata.is_normalized("NFKC", swapped):  # fold_mapped takes it for the per-character NFKC
        assert swapped == text.translate(_NFKC_TABLE)


@settings(max_examples=300, deadline=None)
@given(_COMPOSING, st.booleans())
def test_fold_mapped_maps_every_character_back_when_characters_compose(text: str, lower: bool) -> None:
    folded = fold_mapped(text, lower=lower)
    assert len(folded.text) == len(folded.origin)
    assert list(folded.origin) == sorted(folded.origin)
    assert all(0 <= at < len(text) for at in folded.origin)


def test_the_identity_map_and_the_walk_agree_on_spaces() -> None:
    assert fold_mapped("电话 138").origin == (0, 1, 2, 3, 4, 5)
    assert fold_mapped("  电话\u3000\t138 ").origin == (2, 3, 4, 6, 7, 8)
    assert fold_mapped("①②").text == "12" and fold_mapped("⑩").origin == (0, 0)
    assert fold_mapped("電話：１３８").text == "电话:138"


_SPACED = st.text(
    alphabet=st.sampled_from(list("ab Z\n\t\r\x0c\x1c\u2028\u3000\u00a0文字體１③İΣ，")), max_size=30
)


@settings(max_examples=500)
@given(_SPACED, st.booleans())
def test_collapsing_spaces_gives_what_the_walk_gives(text: str, lower: bool) -> None:
    from zhtext.fold import _fold_walk, _nfkc

    walked = _fold_walk(text, [c if c.isascii() else _nfkc(c) for c in text], lower=lower)
    found = fold_mapped(text, lower=lower)
    if "\u03a3" not in text:  # a whole-string lower() differs from the walk's per character (final sigma)
        assert (found.text, found.origin) == (walked.text, walked.origin)


# Characters whose NFKC is several (… ㈠ ⑩ ½ ﬁ ㎡ ℃ ㍱, ¨ -> space + a combining mark) among spaces,
# traditional characters, and what the walk alone handles (t2s phrases, İ, Σ).
_EXPANDING = st.text(
    alphabet=st.sampled_from(list("ab Z\n\t\u3000文字體臺灣乾坤，。１…㈠⑩½ﬁ㎡℃㍱¨İΣ")), max_size=40
)


@settings(max_examples=500)
@given(_EXPANDING, st.booleans())
def test_text_with_expanding_characters_is_mapped_as_the_walk_maps_it(text: str, lower: bool) -> None:
    from zhtext.fold import _fold_walk, _nfkc

    pieces = [c if c.isascii() else _nfkc(c) for c in text]
    walked = _fold_walk(text, pieces, lower=lower)
    found = fold_mapped(text, lower=lower)
    expands = any(len(piece) != 1 for piece in pieces)
    if expands or "\u03a3" not in text:  # without expanding characters a sigma is lower-cased whole-string
        assert (found.text, found.origin) == (walked.text, walked.origin)


_WHITESPACE = [chr(code) for code in range(0x110000) if chr(code).isspace()]


def test_str_and_re_read_the_same_characters_as_whitespace() -> None:
    import re

    space = re.compile(r"\s")
    assert [c for c in map(chr, range(0x110000)) if space.match(c)] == _WHITESPACE


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from([*_WHITESPACE, "a", "文", "Σ", "\x00"]), max_size=12))
def test_tidying_whitespace_is_what_the_patterns_say(text: str) -> None:
    """str's split reads whitespace as re's \\s does: the C shortcuts decide what the patterns decided."""
    import re

    from zhtext.fold import _tidy, _untidy

    assert _tidy(text) == re.sub(r"\s+", " ", text).strip()
    assert _untidy(text) == bool(re.search(r"^\s|\s$|\s\s|[^\S ]", text))


def test_an_ellipsis_is_quoted_whole_and_the_text_around_it_as_written() -> None:
    from zhtext.fold import _NFKC_TABLE, _fold_expanded

    text = "工資日結…包吃住  ㈠押金"
    assert _fold_expanded(text, text.translate(_NFKC_TABLE), lower=True) == fold_mapped(text, lower=True)
    folded = fold_mapped(text, lower=True)
    assert folded.text == "工资日结...包吃住 (一)押金"
    assert folded.origin == (0, 1, 2, 3, 4, 4, 4, 5, 6, 7, 8, 10, 10, 10, 11, 12)
    assert folded.span(4, 7).text == "…"
    assert folded.span(7, 14).text == "包吃住  ㈠"


def test_text_already_in_nfkc_is_folded_without_a_walk_and_maps_the_same() -> None:
    import sys
    import unicodedata

    # fold_mapped skips the per-character NFKC when the whole text is NFKC: that relies on no single
    # character being NFKC-normalised as part of a string but not alone.
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        if unicodedata.is_normalized("NFKC", char):
            assert unicodedata.normalize("NFKC", char) == char, hex(code)
    for text in ("招聘普工 月薪5000\n包吃住", "電話 138", "  初中生  也可 "):
        assert unicodedata.is_normalized("NFKC", text)
        folded = fold_mapped(text)
        assert folded.text == fold(text) and len(folded.origin) == len(folded.text)


# Parts as a record's fields are: traditional phrases split anywhere (乾隆 / 乾 alone), combining marks and
# full-width forms at a part's edges, empty and blank parts.
_PARTS = st.lists(
    st.one_of(
        st.none(),
        st.text(
            alphabet=st.sampled_from(list("乾隆坤臺灣後髮麵 \t\n\u3000\u0301é１２ＡＢ，wx招童工中介")),
            max_size=12,
        ),
    ),
    max_size=4,
)


@settings(max_examples=400, deadline=None)
@given(_PARTS)
def test_folding_parts_one_by_one_is_folding_them_joined(parts: list[str | None]) -> None:
    present = [p for p in parts if p]
    assert fold_join(parts) == fold(" ".join(present)) == fold("\n".join(present))
    assert search_terms(*parts) == bigrams(" ".join(present))


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("ae AΣΟς 招工，：（）\u3000\xa0。１Ａ㈠ﬁ\u0301\u0308ｶﾞか\u3099臺乾İ\n\x1c")
        ),
        max_size=40,
    )
)
def test_texts_said_to_fold_alike_fold_alike(text: str) -> None:
    """folds_alike promises what scoring relies on to skip the mapped fold: the same lower-cased text."""
    from zhtext.fold import folds_alike

    if folds_alike(text):
        assert fold_mapped(text, lower=True).text == fold(text).lower()
