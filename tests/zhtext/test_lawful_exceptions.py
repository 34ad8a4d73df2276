"""The law's own exceptions left alone, and the handovers people write around a clause.

Written for this suite from the law, not taken from any evaluation set:
- 禁止使用童工规定 第13条: arts and sports units may take children under 16 with a guardian's consent;
- 残疾人就业条例: employing disabled people under a contract, with social insurance and pay into their own
  account, is what the law asks for, not exploitation;
- a minor named beside a wedding is a bride (a marriage broker's fact), not a child worker;
- and the ways a document handover or wages held to the end are written with words in between.
"""

from __future__ import annotations

import pytest

from tests.zhtext.readings import fired
from zhtext.ages import under_16_hires
from zhtext.fold import fold
from zhtext.law.context import is_report


@pytest.mark.parametrize(
    ("text", "indicator", "quoted"),
    [
        (
            "中东工地招瓦工，护照到了以后统一交项目部保管，合同两年",
            "documents_kept",
            "护照到了以后统一交项目部保管",
        ),
        ("外派焊工月薪两万五，工资回国后统一结算", "wages_withheld", "工资回国后统一结算"),
        ("入职须上交身份证原件，干满一年归还", "documents_kept", "上交身份证"),
        ("奶茶店招小帮手，13岁以上小朋友都行，按小时算钱", "minimum_age_under_16", "13岁以上"),
        # the number first, the "not yet" after it
        ("我们帮你找工作，你16岁不到也没关系，先来再说", "minimum_age_under_16", "16岁不到"),
        ("餐馆洗碗，十五周岁未满的也收，管饭", "minimum_age_under_16", "十五周岁未满"),
        ("老乡的儿子14岁，跟着来厂里干活，一天八十", "minimum_age_under_16", "14岁"),
        # an arts unit without a guardian's consent is no exception
        ("剧组招群演，14岁的也要，一天两百，不用家长来", "minimum_age_under_16", "14岁"),
        ("剧组招群演，14岁的也要，不用家长同意", "minimum_age_under_16", "14岁"),
        ("童模12岁以上都行，家长不用陪同", "minimum_age_under_16", "12岁以上"),
        # a disabled person's pay handed to others is exploitation, whatever the contract says
        ("招智障人员干杂活，工资由介绍人代领，包吃住", "recruits_vulnerable", "智障"),
    ],
)
def test_the_violation_is_found(text: str, indicator: str, quoted: str) -> None:
    assert any(quoted in span for span in fired(text).get(indicator, [])), fired(text)


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        (
            "少儿模特招募：6-12岁，须监护人陪同并签字同意，每次拍摄不超过两小时，不影响上课",
            "minimum_age_under_16",
        ),
        ("体校招收12-14岁运动员苗子，家长书面同意，文化课正常上", "minimum_age_under_16"),
        (
            "福利企业招聘智力残疾员工做手工包装，签劳动合同，缴纳社保，工资按月发到本人银行卡",
            "recruits_vulnerable",
        ),
        ("姑娘未成年，先办酒后领证，彩礼好说", "minimum_age_under_16"),
        ("护照复印件交项目部备案，原件本人保管", "documents_kept"),
        # a copy or a number handed in is no document kept
        ("保安公司招保安，需上交身份证复印件及无犯罪证明", "documents_kept"),
        ("报到当天上交身份证正反面复印件两份、一寸照片", "documents_kept"),
        ("入职上交身份证号和银行卡号，用于发工资", "documents_kept"),
        ("工资每月10号发放，回国探亲另有补贴", "wages_withheld"),
        # a lump sum the worker may choose instead of monthly pay holds nothing back
        ("外派电工，工资回国时可以选择一次性结清或按月发", "wages_withheld"),
        ("工资可自行选择年底一次性结清，也可以按月打到家里", "wages_withheld"),
        ("周末绘画班，6岁以上小朋友都可以参加", "minimum_age_under_16"),
    ],
)
def test_the_lawful_case_is_left_alone(text: str, indicator: str) -> None:
    assert not fired(text).get(indicator), fired(text)


def test_the_arts_exception_needs_both_the_arts_and_the_consent() -> None:
    assert under_16_hires(fold("招童模8-12岁，家长陪同").lower()) == []
    assert under_16_hires(fold("招洗碗工8-12岁，家长陪同").lower())
    assert under_16_hires(fold("招童模8-12岁，包吃住").lower())


# Cases a reviewer wrote against the first version of these exceptions.
@pytest.mark.parametrize(
    ("text", "indicator", "quoted"),
    [
        ("剧组招群演，14岁也可以，不需要家长同意", "minimum_age_under_16", "14岁"),
        ("演出服加工厂招工，14岁以上都要，父母同意就行", "minimum_age_under_16", "14岁以上"),
        ("招普工，15岁也可以，包吃住，结婚的安排夫妻房", "minimum_age_under_16", "15岁"),
        ("工资年底统一结清，不能选择按月领", "wages_withheld", "工资年底统一结清"),
        ("招智力残疾人，有人带过来，工资给带队的，签劳动合同买社保", "recruits_vulnerable", "残疾"),
    ],
)
def test_the_exception_does_not_hide_a_violation(text: str, indicator: str, quoted: str) -> None:
    assert any(quoted in span for span in fired(text).get(indicator, [])), fired(text)


@pytest.mark.parametrize(
    "text", ["春节放假安排：大年初一不上班，初二正常营业，招服务员", "补习班通知：初二不上课，初三照常"]
)
def test_new_year_days_and_no_class_are_no_pupils(text: str) -> None:
    assert not fired(text).get("minimum_age_under_16"), fired(text)


def test_an_ad_that_calls_a_practice_illegal_is_still_an_ad() -> None:
    assert not is_report(fold("正规劳务公司，依法签合同，收押金是违法的，我们只收服装费500").lower())


@pytest.mark.parametrize(
    "text",
    [
        "住家保姆，照顾两个小孩，一个8岁一个12岁，月薪六千",
        "招钟点工，接送孩子上下学，大的11岁小的7岁",
        "宠物寄养招兼职，主要照看一条13岁的老狗，日结",
        "猫咪10岁了，找人上门喂养两周",
        "女儿12岁，寻找周末钢琴陪练老师，南京鼓楼",
        "儿子今年15岁，上初三，想找个周末数学家教",
        "16岁不到的勿扰，招普工18-45岁",
    ],
)
def test_a_childs_or_animals_age_beside_the_work_is_no_hire(text: str) -> None:
    assert under_16_hires(fold(text).lower()) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # handed out into the worker's own account: nobody else gets the pay
        ("工资由班组长统一发放到个人银行卡，每月15号", False),
        ("工资由车间组长发到员工本人工资卡", False),
        # collected or kept by the gang master first, whatever happens to it after
        ("工资由工头统一领取，再打到个人卡上", True),
        ("工资交给带班统一保管，年底打到自己卡里", True),
        ("工资打到工头卡上，他再分给大家", True),
    ],
)
def test_pay_into_the_workers_own_account_is_not_paid_to_others(text: str, found: bool) -> None:
    assert ("wages_to_others" in fired(text)) is found, fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "我14岁那年出来打工，吃了很多苦，现在自己开厂，招普工18-45岁",
        "老板15岁的时候就出来闯了，招学徒16周岁以上",
    ],
)
def test_the_posters_own_childhood_is_no_hire(text: str) -> None:
    assert under_16_hires(fold(text).lower()) == []


# 劳动法 第15条 forbids hiring under 16, not pupils of 16 and over: a word for pupils (初中生) beside a floor of
# 16 or more the ad sets hires nobody under 16. The word alone, or beside a lower floor, still does.
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("初中生暑假工,满16周岁,需带身份证", False),
        ("高中生、初中生暑假工,18周岁以上", False),
        ("小孩也收,年满16周岁", False),
        ("初中生暑假工,日结100", True),
        ("初中生也收,十四岁以上", True),
    ],
)
def test_pupils_beside_a_floor_of_sixteen_are_no_child_hire(text: str, found: bool) -> None:
    assert bool(under_16_hires(fold(text).lower())) is found
