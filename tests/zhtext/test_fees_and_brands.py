"""Fees asked of the applicant and brands borrowed by middlemen, read as real 58.com-style ads write them.

The traps are the shapes that fooled the finders on real ads: fee words in a warning list, fees paid to
the worker or by the company, a medical paid at the hospital, brands named as products or fruit.
"""

from __future__ import annotations

import pytest

from risk_model.features.indicators import legal_spans
from tests.zhtext.readings import fired
from zhtext.fold import fold
from zhtext.law.agency import brand_used_by_middleman
from zhtext.law.fees import fees_charged


def fees(text: str) -> list[str]:
    return [span.text for span in fees_charged(fold(text).lower())]


def brands(text: str, company: str) -> list[str]:
    return [span.text for span in brand_used_by_middleman(fold(text).lower(), fold(company).lower())]


@pytest.mark.parametrize(
    "text",
    [
        "公司郑重提示：以各种理由收取非正规费用（押金、服装费、报名费、体检费、要求购买充值卡等）均有骗子嫌疑。",
        "本招聘不收取任何费用，若有员工收取押金等一切不合理费用欢迎向本公司举报！",
        "入职不收员工任何费用（收取押金及任何费用的请谨慎）",
        "表现优秀者可升班长，底薪3000以上加管理费，月入4000至6000",
        "福利：公司为正式员工每年缴保险费（意外20万、寿险10万）",
        "面试带毕业证，体检费用50元（由体检医院现场收取）",
        "正规招聘，不收取求职者任何费用、押金，如有意向请直接致电报名。",
        "员工凭厂证只需象征性地支付一元挂号费就可免费看一般常见病，医药费用全部由公司承担",
        "岗位职责：6、负责门店管理费、水电费、办公费用的管理，及租金发票的递交",
        "负责和督促本部门员工及时催缴租金、管理费及水电费用；负责租户的进场接待",
        "报到须携带的物品：3）体检费用50元自备，企业统一体检。",
        "进厂体检费自理，其余不再收取任何费用",
    ],
)
def test_warnings_pay_to_the_worker_and_the_hospital_are_no_fee_charged(text: str) -> None:
    assert fees(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("入职需交押金500元，服装费100元", "押金"),
        ("报名费200元，交钱当天安排进厂", "报名费"),
        ("体检费自理，到我处统一办理", "体检费"),
        ("押金、服装费入职时交给带班", "押金"),
        ("交五百就行了马上上班", "交五百就"),
        ("交三百即可入职", "交三百即可入职"),
        ("体检费自理，交给带班统一办理", "体检费"),
        ("报名时交体检费120元", "体检费"),
    ],
)
def test_a_fee_asked_of_the_applicant_is_found(text: str, expected: str) -> None:
    assert expected in fees(text)


@pytest.mark.parametrize(
    "text",
    [
        "主要工作：生产苹果、小米、魅族的配件，耳机，数据线",
        "年终抽奖，奖品有现金和最新版本苹果手机",
        "食堂伙食好，饭后有水果：苹果，桔子，香蕉",
    ],
)
def test_brands_named_as_products_prizes_or_fruit_are_not_borrowed(text: str) -> None:
    assert brands(text, "鑫达劳务派遣有限公司") == []


@pytest.mark.parametrize(
    "text", ["富士康月薪7000坐班，包吃住", "集合免费送富士康，面试包进", "华为正式开招普工技工"]
)
def test_a_brand_recruited_for_by_a_labour_company_is_found(text: str) -> None:
    assert brands(text, "鑫达人力资源管理有限公司")


def test_a_fee_after_a_clean_record_requirement_is_still_charged() -> None:
    # "无犯罪记录" negates the record, not the fee that follows in the next clause.
    assert fees("要求：男 20-50岁 无犯罪记录 入职交服装费380元（离职不退）") == ["服装费"]


def test_a_job_seekers_question_about_an_under_16_age_is_no_hire() -> None:
    from zhtext.ages import under_16_hires

    assert not under_16_hires(fold("回复：15岁能不能去你们厂").lower())
    assert under_16_hires(fold("招临时工 15岁以上就可以，包吃住").lower())


def test_marriage_guarantees_and_large_sums_need_a_marriage_context() -> None:
    from zhtext.law.marriage import guarantees, large_sums

    ad = fold("相亲大会 报名费28800元/人，交费即保证当场牵手，当天即可带走").lower()
    assert [s.text for s in guarantees(ad)] == ["保证当场牵手", "当天即可带走"]
    assert large_sums(ad)
    assert not large_sums(fold("缅甸翡翠原石直播，这块冰种全包价8万，七天无理由退款").lower())


def test_a_fee_for_a_place_through_connections() -> None:
    """A sum paid for a promised way in (交两千保证你进去) is a fee and a placement sold; a promise of what
    happens after joining is neither."""

    def spans(text: str) -> dict[str, list[str]]:
        return {k: [s.text for s in v] for k, v in legal_spans(fold(text).lower()).items() if v}

    found = spans("跟人事熟，交一千五保证你能进厂，进不去全额退款")
    assert found.get("charges_fee") and found.get("guaranteed_placement"), found
    assert not spans("正规直招不收费，保证你进厂后有师傅带").get("guaranteed_placement")


# 招转培 in plain words: the course paid with a loan or by instalments, repaid out of the promised job's pay.
# A lender's own job ad and an ad that refuses loans stay quiet.
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("贷款学技术,学成包分配,以后用工资还", True),
        ("学费可以分期,入职后从工资里扣", True),
        ("先交首付,剩下的分期,上班后拿工资来还", True),
        ("贷款专员,底薪3000,工资月结", False),
        ("银行招聘贷款客户经理,五险一金", False),
        ("不用贷款,不用分期,工资月结", False),
    ],
)
def test_a_course_paid_by_a_loan_repaid_from_pay_is_a_training_loan(text: str, found: bool) -> None:
    assert ("training_loan" in fired(text)) is found, fired(text)
