"""Credit codes (check character validated) and HR licence numbers in canonical form."""

from __future__ import annotations

import pytest

from organisations.identifiers import claims_licence, find_credit_codes, find_hr_licences

VALID_CODE = "91110000600037341L"  # stdnum's own example
VALID_CODE_2 = "91320594MA1MXXXX03"


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        (f"统一社会信用代码：{VALID_CODE}", [VALID_CODE]),
        (f"信用代码{VALID_CODE.lower()}，注册号{VALID_CODE_2}", [VALID_CODE, VALID_CODE_2]),
        (f"{VALID_CODE} 重复 {VALID_CODE}", [VALID_CODE]),
        ("91110000600037341M", []),  # wrong check character
        ("91110000600037341LX", []),  # part of a longer token
        ("身份证320102199001011232", []),
        ("电话13812345678，月薪3000-5000元", []),
        ("", []),
    ],
)
def test_find_credit_codes(text: str, codes: list[str]) -> None:
    assert find_credit_codes(text) == codes


@pytest.mark.parametrize(
    ("text", "licences"),
    [
        ("人力资源服务许可证编号：320102201801", ["320102201801"]),
        ("(苏)人服证字[2019]第0105000123号", ["苏人服证字[2019]第0105000123号"]),
        ("苏人服证字〔2020〕第320500000012号", ["苏人服证字[2020]第320500000012号"]),
        ("（苏）人服证字［2019］第 0105000123 号", ["苏人服证字[2019]第0105000123号"]),
        ("【苏】人服证字【2019】第0105000123号", ["苏人服证字[2019]第0105000123号"]),
        ("人力资源服务许可证：苏人服证字〔2020〕第320500000012号", ["苏人服证字[2020]第320500000012号"]),
        ("劳务派遣经营许可证编号:32010020190012", ["32010020190012"]),
        ("《劳务派遣经营许可证》号码 320100-2019-0012", ["320100-2019-0012"]),
        ("许可证编号：320102201801", []),  # which licence is not said
        ("人力资源服务许可证编号：待办理", []),
        ("持证上岗，月薪3000-5000元", []),
    ],
)
def test_find_hr_licences(text: str, licences: list[str]) -> None:
    assert find_hr_licences(text) == licences


def test_same_licence_in_two_spellings_is_reported_once() -> None:
    text = "(苏)人服证字[2019]第0105000123号。许可证：苏人服证字〔2019〕第0105000123号"
    assert find_hr_licences(text) == ["苏人服证字[2019]第0105000123号"]


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("本公司持有人力资源服务许可证，正规中介", True),
        ("拥有劳务派遣资质", True),
        ("劳务派遣经营许可证编号:32010020190012", True),
        ("苏人服证字〔2020〕第320500000012号", True),
        ("正规持证中介，不收任何费用", True),
        ("持证上岗，叉车证优先", False),
        ("食品经营许可证齐全", False),
        ("", False),
    ],
)
def test_claims_licence(text: str, claims: bool) -> None:
    assert claims_licence(text) is claims
