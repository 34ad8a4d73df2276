"""Legal signals can only raise risk; missing evidence alone never opens a task (issue 12, item 4).

The sentences below are written from the legal definitions, not from the indicators' patterns; each
states one violation. Hypothesis appends any of them to any ad and checks that no risk type's
probability falls.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from risk_model.data.examples import RISK_TYPES
from risk_model.ops.scoring import score_records
from store.settings import Settings
from tests.risk_model.ops_support import pretrained_bundle

VIOLATIONS = (
    "入职须交押金500元。",
    "报名先交介绍费300元，包进厂。",
    "身份证统一交公司保管。",
    "护照由带队统一收走保管。",
    "工资年底统一结算，平时只发生活费。",
    "工资由带班统一代领。",
    "宿舍晚上锁门，手机统一上交。",
    "路费公司先垫付，从第一个月工资里扣。",
    "智力有点问题的也可以，有人带过来。",
    "十四岁以上即可。",
    "初中在读的学生也要。",
    "越南新娘，包成功，跑了包补。",
    "十七岁姑娘，想找婆家。",
    "学费可办分期贷款，培训后安排工作。",
)
ADS = (
    "苏州工业园区电子厂招聘普工，长白班，月薪5000-6500元，缴纳五险一金，包吃住。",
    "南京某物流公司招聘分拣员，要求18-45周岁，工作地点江宁区，有意者到公司面试。",
    "急招服务员 包吃住 月休四天 电话13812345678",
    "本公司为持证人力资源服务机构（许可证编号320500000123），不收取求职者任何费用。",
    "无锡家政公司招住家保姆，照顾3岁宝宝，要求30-50岁，有健康证。",
    "诚信婚介所，已登记注册，会员费1980元/年，不承诺成功。",
    "",
)


@pytest.fixture(scope="module")
def bundle():  # type: ignore[no-untyped-def]
    return pretrained_bundle()


def _probabilities(bundle, body: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    scored = score_records(bundle, "job", [{"title": "招聘", "body": body}], RISK_TYPES)[0]
    return {risk: p for risk, (p, _) in scored.items()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ad=st.sampled_from(ADS), sentence=st.sampled_from(VIOLATIONS), at_end=st.booleans())
def test_adding_a_violation_never_lowers_any_risk(bundle, ad: str, sentence: str, at_end: bool) -> None:  # type: ignore[no-untyped-def]
    before = _probabilities(bundle, ad)
    joined = (ad + ("\n" if ad else "") + sentence) if at_end else (sentence + "\n" + ad)
    after = _probabilities(bundle, joined)
    for risk in RISK_TYPES:
        assert after[risk] >= before[risk] - 1e-9, (risk, ad, sentence, before[risk], after[risk])


@pytest.mark.parametrize("body", ["", "招工", "电话13812345678", "面议"])
def test_missing_evidence_alone_opens_no_task(bundle, body: str) -> None:  # type: ignore[no-untyped-def]
    task_settings = Settings()
    for risk, probability in _probabilities(bundle, body).items():
        assert probability < float(getattr(task_settings, f"task_threshold_{risk}")), (risk, body)


def test_the_learned_weights_keep_the_law_signs(bundle) -> None:  # type: ignore[no-untyped-def]
    from risk_model.model.pipeline import coefficient_bounds

    for risk, model in bundle.models.items():
        coef = model.base.named_steps["clf"].coef_[0]
        for column, low, high in coefficient_bounds(risk):
            assert low - 1e-12 <= coef[column] <= high + 1e-12, (risk, column)


def test_missing_evidence_says_nothing_of_a_marriage_broker() -> None:
    """Missing evidence may lower an agency's risk (≤ 0) but is pinned at 0 for marriage brokers."""
    from risk_model.model.pipeline import coefficient_bounds

    agency = {column: (low, high) for column, low, high in coefficient_bounds("illegal_agency")}
    marriage = {column: (low, high) for column, low, high in coefficient_bounds("illegal_marriage_broker")}
    lowered = [column for column, (low, high) in agency.items() if low == float("-inf") and high == 0.0]
    assert len(lowered) >= 10 and all(marriage[column] == (0.0, 0.0) for column in lowered)
