"""The unified social credit code check (python-stdnum's) on the forms ads and folded records use."""

from __future__ import annotations

from risk_model.features.structured import credit_code_valid


def test_published_and_broken_codes() -> None:
    assert credit_code_valid("91110108MA01G0FB09")
    assert credit_code_valid("91110108ma01g0fb09")  # records are folded to lower case
    assert credit_code_valid("9111 0108-MA01G0FB09")
    assert not credit_code_valid("91110108MA01G0FB08")  # wrong check character
    assert not credit_code_valid("9111010IMA01G0FB09")  # a letter among the first eight
    assert not credit_code_valid("")
    assert not credit_code_valid("91110108MA01G0FB0")  # seventeen characters
