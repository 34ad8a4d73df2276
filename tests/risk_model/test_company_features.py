"""Registry features of a company, computed once per company (risk_model.features.structured)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from risk_model.data.examples import RECORD_FIELDS
from risk_model.features.structured import (
    COMPANY_FIELDS,
    COMPANY_ONLY,
    company_values,
    structured_features,
    structured_values,
)

_VALUES = st.sampled_from(
    [
        "",
        "0",
        "苏州某某人力资源有限公司",
        "职业中介活动；劳务派遣；人力资源服务",
        "销售：日用品、五金",
        "存续",
        "吊销",
        "100万元人民币",
        "5000",
        "91320500MA1XXXXX0X",
        "2010-05-01",
        "2021",
        "国有企业",
        "100-499人",
        "1000人以上",
        "本公司成立于2008年，招聘普工，底薪3000，提成高",
        "招才猫",
        "苏州市工业园区星湖街1号",
        "orfd",
        "15岁以上可来，包吃住，月入过万",
    ]
)


def test_the_company_features_and_fields_are_the_models() -> None:
    names = [f.name for f in structured_features()]
    assert set(names) >= COMPANY_ONLY and len(COMPANY_ONLY) == 19
    assert set(COMPANY_FIELDS) <= set(RECORD_FIELDS)


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({key: _VALUES for key in RECORD_FIELDS}))
def test_cached_company_features_are_each_features_own_value(record: dict[str, str]) -> None:
    """structured_values takes the company features from company_values (one partial record per company:
    a feature reading any other field would raise KeyError there); every value is the feature's own."""
    company_values.cache_clear()
    expected = [feature.compute(record) for feature in structured_features()]
    assert structured_values(record) == expected
    assert structured_values(record) == expected  # the second time from the cache
