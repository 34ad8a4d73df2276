"""The unified social credit code check agrees with python-stdnum's, on valid, broken and odd codes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc

from risk_model.features.structured import credit_code_valid

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def test_published_and_broken_codes() -> None:
    assert credit_code_valid("91110108MA01G0FB09")
    assert credit_code_valid("91110108ma01g0fb09")  # records are folded to lower case
    assert credit_code_valid("9111 0108-MA01G0FB09")
    assert not credit_code_valid("91110108MA01G0FB08")  # wrong check character
    assert not credit_code_valid("9111010IMA01G0FB09")  # a letter among the first eight
    assert not credit_code_valid("")
    assert not credit_code_valid("91110108MA01G0FB0")  # seventeen characters


@st.composite
def _codes(draw: st.DrawFn) -> str:
    body = draw(st.text(alphabet=_ALPHABET, min_size=17, max_size=17))
    if draw(st.booleans()):
        body = draw(st.text(alphabet="0123456789", min_size=8, max_size=8)) + body[8:]
    check = _ALPHABET[
        (31 - sum(_ALPHABET.index(c) * w for c, w in zip(body, uscc_weights(), strict=True))) % 31
    ]
    code = body + draw(st.sampled_from([check, *draw(st.lists(st.sampled_from(_ALPHABET), max_size=1))]))
    noise = draw(st.sampled_from(["", " ", "-", "I", "O", "Ｚ", "１", "\n", "a"]))
    at = draw(st.integers(0, len(code)))
    code = code[:at] + noise + code[at:] if draw(st.booleans()) else code
    return code.lower() if draw(st.booleans()) else code


def uscc_weights() -> tuple[int, ...]:
    return (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(_codes(), st.text(max_size=20)))
def test_agrees_with_stdnum(code: str) -> None:
    assert credit_code_valid(code) == bool(code and uscc.is_valid(code)), code
