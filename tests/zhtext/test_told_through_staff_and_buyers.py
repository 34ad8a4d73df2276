"""Readings from the seventh writer's development half (twentieth session), in wordings of my own.

Each reading is written from the law, beside the lawful post that shares its words:
- a matchmaker's own staff posing as members to sell memberships (婚托: 婚姻介绍 by deceit), a term of
  marriage promised for a fee, a buyer's budget for a woman (买卖婚姻, 民法典第1042条);
- a pupil of a school grade taken for work, or one "a year short of sixteen" (禁止使用童工规定);
- wages kept "for" the worker and a loan signed on the way in (刑法第244条, 工资支付暂行规定);
- a job seeker paying first for a commission back (the 刷单 scam: a fee charged to a job seeker);
- warnings, answers and web novels that name these practices without doing them (read as reports);
- goods brought home from a country, and two families' own bride price.
"""

from __future__ import annotations

import pytest

from tests.zhtext.readings import fired, violations
from zhtext.fold import fold
from zhtext.law.context import is_report


@pytest.mark.parametrize(
    ("text", "indicator", "quoted"),
    [
        # 婚托: the woman goes on only if the client pays, staff run women's accounts, the agency's own women
        (
            "周先生,小敏对您印象很好,但她只接受钻石会员的约会,今天办卡立减三千",
            "bride_buying",
            "只接受钻石会员的约会",
        ),
        ("晓晓说和你聊得来,不过她讲了要升级vip才能继续见面", "bride_buying", "升级vip才能继续见面"),
        ("客服岗:用公司给的女会员账号陪男士聊天,引导办理套餐,提成高", "bride_buying", "女会员账号"),
        ("相亲活动安排我们公司内部的女嘉宾到场,气氛组", "bride_buying", "公司内部的女嘉宾"),
        # a term of marriage promised for a fee
        ("婚介张姐,签约后保证半年内让您娶到老婆,费用两万八", "guaranteed_success", "保证半年内让您娶到"),
        ("专业婚恋服务,承诺两年之内结婚,先交定金", "guaranteed_success", "承诺两年之内结婚"),
        ("会员套餐九万九,女方婚后离开的,免费再配一位", "guaranteed_success", "离开的,免费再配"),
        # a buyer's budget for a woman
        ("离异带娃想娶个外地的,预算六万左右,能办的私聊,事成有重谢", "bride_buying", "娶个外地的,预算六万"),
        # under sixteen, said by grade or by what is missing
        ("奶茶店暑假缺人,初一初二的也可以,一天六十", "minimum_age_under_16", "初一初二的"),
        ("厂里招学徒,差两个月满16的也收,包吃住", "minimum_age_under_16", "差两个月满16"),
        ("问:我差一岁满十六能进厂吗\n答复:收的,明天来报到", "minimum_age_under_16", "差一岁满十六"),
        # wages kept, a loan on the way in
        ("新人前两个月的工钱由厂里统一保管,干满一年再给", "wages_withheld", "工钱由厂里统一保管"),
        ("进厂先签一份借款协议,没干满两年走人的要还款", "debt_bondage", "签一份借款协议"),
        ("进厂先签一份借款协议,没干满两年走人的要还款", "debt_bondage", "没干满两年走人的要还款"),
        # a job seeker pays first
        ("手机兼职,动动手指就能赚,先垫钱后返利,当天结", "charges_fee", "先垫钱后返利"),
    ],
)
def test_a_violation_told_in_other_words(text: str, indicator: str, quoted: str) -> None:
    found = fired(text)
    assert any(quoted in span for span in found.get(indicator, [])), found


@pytest.mark.parametrize(
    "text",
    [
        # a dating platform's own settings and a member's choice
        "本平台女士可设置只接受实名会员的邀约,保护隐私",
        "开通会员可无限畅聊,平台不设红娘收费,不承诺脱单",
        # a wedding budget, a family's bride price
        "想找个靠谱的婚庆公司,预算五万左右,求推荐",
        "我妈说彩礼要二十万,他爸妈来提亲时说只能出十五万,姐妹们怎么看",
        # a pupil's lunar date, a payslip, a worker's own card, an honest loan
        "正月初二的也行,初三我们就回城了",
        "工资条由财务统一保管,员工可随时查询",
        "工资卡自己保管,公司每月15号按时发放",
        "买车签了借款协议,每月还款两千",
        # goods from a country
        "媳妇从越南娘家带回来的腰果,一家人都爱吃",
        "越南带回来的咖啡,朋友圈代购,十包起卖",
        # a job seeker's own advance refused
        "本公司招聘客服,不需要垫付任何费用,谨防刷单骗局",
        # fruit from over the border, sold live
        "老挝新到一批金枕榴莲,今晚直播特价",
        # two families settling their own bride price, the wedding's costs apart
        "彩礼我爸妈给了十六万,酒席费用另算,我们这里算正常吗",
        "两家人联系后商量好了,彩礼十二万,三金女方说不要了",
        "老家结婚彩礼一般二十万左右,家里说办理完登记再给",
        # pupils in a contest, with no word of work
        "初一到初三的学生都可以参加征文比赛,报名截至月底",
        "问:娶了个越南媳妇?不是,别乱说,我老婆是广西的",
    ],
)
def test_lawful_posts_that_share_the_words(text: str) -> None:
    assert not violations(text), fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "人社提醒:求职遇到收押金、扣身份证的要警惕,请拨打12333",
        "花钱买老婆的早就该管了,支持严打",
        "【年代+重生】十七岁那年,她被换亲嫁到山里,这一世她要改写命运",
        "这种扣身份证的黑厂早就该管了",
    ],
)
def test_warnings_answers_and_novels_are_reports(text: str) -> None:
    assert is_report(fold(text).lower())
    assert not violations(text), fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "问:14岁能去饭店洗碗吗?\n答:不能,用人单位不得招用未满16周岁的人,招用要受处罚",
        "15岁想暑假打工,能去奶茶店吗?",
        "我初三毕业,15岁,想出去打工赚学费,哪里正规",
    ],
)
def test_a_young_person_asking_is_no_hire(text: str) -> None:
    assert "minimum_age_under_16" not in fired(text)


@pytest.mark.parametrize(
    "text",
    [
        # one report word in an ad is not a report: its violations still count
        "招普工,身份证押在公司,违者将受处罚",
        "越南新娘,包成功,找个女主人过日子,私聊",
        "招小说写手,日结,初二初三的也行",
        # a border trader who also offers brides, spelled to slip past filters
        "做边贸十几年,红木咖啡腰果都做,也介绍yue南新niang,手续齐全,看中当场办",
    ],
)
def test_one_report_word_does_not_hide_an_ad(text: str) -> None:
    assert not is_report(fold(text).lower())
    assert violations(text), fired(text)
