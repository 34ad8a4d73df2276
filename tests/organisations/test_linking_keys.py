"""Name normalisation and listing keys: what makes two listings comparable."""

from __future__ import annotations

import pytest

from organisations.linking.keys import (
    keys_from_fields,
    normalise_credit_code,
    normalise_licence,
    normalise_phone,
)
from organisations.linking.names import name_key, normalise_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("苏州鑫达人力资源有限公司", "鑫达#人力"),
        ("鑫达劳务派遣", "鑫达#人力"),
        ("鑫达人力（苏州）", "鑫达#人力"),
        ("吴中鑫达人力资源", "鑫达#人力"),
        ("江苏省苏州市吴中区鑫達人力資源有限公司", "鑫达#人力"),  # traditional script, stacked regions
        ("ＡＢＣ人力资源有限公司", "abc#人力"),  # full-width letters
        ("南京鑫达精密五金科技有限公司", "鑫达精密五金科技"),  # an employer keeps its trade words
        ("中国平安人寿保险股份有限公司上海分公司", "平安人寿保险"),  # a branch folds to its parent
        ("苏州佳缘婚姻介绍服务有限公司", "佳缘#婚介"),
        ("佳缘红娘", "佳缘#婚介"),
    ],
)
def test_normalise_name(name: str, expected: str) -> None:
    assert normalise_name(name) == expected


@pytest.mark.parametrize(
    "name", ["某大型电子厂", "个人直招", "王经理", "阿王姐", "王红娘", "人力资源有限公司", "", None]
)
def test_generic_names_have_no_key(name: str | None) -> None:
    assert name_key(name) is None


def test_identifier_normalisation() -> None:
    assert normalise_credit_code(" 91110105777657423０ ") == "911101057776574230"
    assert normalise_credit_code("911101057776574231") is None  # wrong check character
    assert normalise_licence("（苏）人服证字〔2015〕第05010001号") == "苏人服证字201505010001"
    assert normalise_phone("+86 138-1234-5678") == "13812345678"
    assert normalise_phone("400-800-1234") is None  # shared hotline, never one actor's own
    assert normalise_phone("0512-6688 1234") == "051266881234"


def test_keys_from_text_find_what_the_crawler_missed() -> None:
    body = "联系：王经理 138 1234 5678，微信：hr_suzhou88。统一社会信用代码：911101057776574230 许可证（苏）人服证字〔2015〕第05010001号"
    keys = keys_from_fields(7, employer_name="苏州鑫达人力", city_code="320500", texts=[body])
    assert keys.phones == {"13812345678"}
    assert keys.wechat_ids == {"hr_suzhou88"}
    assert keys.credit_codes == {"911101057776574230"}
    assert keys.licences == {"苏人服证字201505010001"}
    assert keys.name == "鑫达#人力"


def test_contacts_json_is_read() -> None:
    keys = keys_from_fields(
        1, employer_name=None, city_code=None, contacts={"phones": ["13912345678"], "wechat": "AbC_123456"}
    )
    assert keys.phones == {"13912345678"}
    assert keys.wechat_ids == {"abc_123456"}


def test_text_is_read_only_when_contacts_are_empty() -> None:
    body = "电话 一三八一二三四五六七八"  # obfuscated: Chinese numerals
    assert keys_from_fields(1, employer_name=None, city_code=None, texts=[body]).phones == {"13812345678"}
    filled = keys_from_fields(
        1, employer_name=None, city_code=None, contacts={"qq": ["123456"]}, texts=[body]
    )
    assert filled.phones == frozenset() and filled.wechat_ids == {"qq:123456"}
