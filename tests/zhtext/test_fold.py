"""fold_mapped folds like fold and maps every folded character back to the character it came from."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zhtext.fold import fold, fold_mapped

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


def test_the_identity_map_and_the_walk_agree_on_spaces() -> None:
    assert fold_mapped("电话 138").origin == (0, 1, 2, 3, 4, 5)
    assert fold_mapped("  电话\u3000\t138 ").origin == (2, 3, 4, 6, 7, 8)
    assert fold_mapped("①②").text == "12" and fold_mapped("⑩").origin == (0, 0)
    assert fold_mapped("電話：１３８").text == "电话:138"
