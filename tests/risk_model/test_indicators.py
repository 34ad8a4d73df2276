"""Indicators fire on the unlawful wording and stay quiet on negations and lawful ads."""

from __future__ import annotations

import pytest

from risk_model.features import ad_text, fold_record
from risk_model.features.indicators import indicator_values, indicators


def values(body: str, company: str = "") -> dict[str, float]:
    record = fold_record({"body": body, "company_name": company})
    return dict(
        zip(
            [i.name for i in indicators()],
            indicator_values(ad_text(record), record["company_name"]),
            strict=True,
        )
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("charges_fee", "入职需交押金500元"),
        ("charges_fee", "上岗前交服装费"),
        ("training_loan", "招转培，先培训后上岗"),
        ("documents_kept", "身份证统一保管"),
        ("minimum_age_under_16", "年龄14-18岁"),
        ("minimum_age_under_16", "年满15周岁即可"),
        ("pay_far_above_norm", "普工，经验不限，月薪20000元"),
        ("contact_off_platform", "有意者加微信详谈"),
        ("contact_off_platform", "电话13812345678"),
        ("claims_agency", "本公司为正规劳务派遣"),
        ("cross_border_bride", "越南新娘快速成婚"),
        ("bride_under_20", "18岁姑娘温柔贤惠,彩礼面议"),
        ("guaranteed_success", "包成功包娶"),
        ("virgin", "保证处女"),
        ("large_fee", "服务费6万全包"),
        ("large_fee", "一口价5万元,包成功"),
        # Forced labour: wages withheld, no freedom to leave, debt, disabled workers.
        ("wages_withheld", "工资押一个月,做满半年结清"),
        ("wages_withheld", "新员工压半个月工资"),
        ("wages_withheld", "每月7号发工资,压7天工资,离厂结清"),
        ("wages_withheld", "工资年底一次性结清,平时只发生活费"),
        ("wages_withheld", "押金从工资里扣"),
        ("wages_withheld", "工资卡由公司统一保管"),
        ("wages_withheld", "每月只发500元生活费"),
        ("no_freedom_to_leave", "厂区封闭式管理"),
        ("no_freedom_to_leave", "宿舍不准外出"),
        ("no_freedom_to_leave", "进厂没收手机"),
        ("no_freedom_to_leave", "不得擅自离厂"),
        ("no_freedom_to_leave", "外出需组长批准"),
        ("no_freedom_to_leave", "干不满三个月不让走"),
        ("debt_bondage", "欠款还清才能走"),
        ("debt_bondage", "借款抵工资"),
        ("debt_bondage", "路费先借后还"),
        ("debt_bondage", "路费公司垫付,从第一个月工资扣"),
        ("debt_bondage", "中介费没还清之前不能辞职"),
        ("debt_bondage", "以工抵债"),
        ("recruits_vulnerable", "招收智障人员,包吃住"),
        ("recruits_vulnerable", "智力障碍的也可以,有人带过来就行"),
        ("recruits_vulnerable", "弱智也收,管吃管住"),
        ("recruits_vulnerable", "脑子不太灵活的也可以"),
        ("recruits_vulnerable", "残疾人由家属带过来,工资由家属代领"),
        ("documents_kept", "身份证押在公司,做满退还"),
        ("documents_kept", "报到需交身份证原件,由宿管统一保管"),
        # The wording of real and synthetic ads the old patterns missed.
        ("minimum_age_under_16", "年龄十四岁"),
        ("minimum_age_under_16", "年龄:14-18"),
        ("minimum_age_under_16", "十四五岁的学生也收"),
        ("minimum_age_under_16", "14、15岁的小孩也可以"),
        ("pay_far_above_norm", "待遇:13500-27000元/月,无需经验"),
        ("pay_far_above_norm", "月薪过万,不看经验"),
        ("pay_far_above_norm", "普工,薪资:日结500-800"),
        ("pay_far_above_norm", "经验不限,综合收入:月入1-3万"),
        ("contact_off_platform", "有意者私聊"),
        ("contact_off_platform", "详情加我微信"),
        ("contact_off_platform", "王先生 微信:zp_job12345"),
        ("cross_border_bride", "巴基斯坦新娘,全程一条龙"),
        ("cross_border_bride", "娶尼泊尔老婆"),
        ("bride_under_20", "越南新娘,16-20岁,年轻漂亮"),
        ("bride_under_20", "农村姑娘17岁 找婆家"),
        ("bride_under_20", "十七岁女孩,想嫁本地人"),
        ("guaranteed_success", "可包退换,跑了包找回"),
        ("guaranteed_success", "签约即保证三个月内订婚"),
        ("training_loan", "学费0首付,培训期间签分期合同"),
        ("training_loan", "培训费用可申请分期贷款"),
        ("no_company_named", "急招普工,包吃住,电话13812345678"),
        ("claims_agency", "鑫达人力长期招工"),
        ("claims_agency", "本人长期做劳务中介"),
    ],
)
def test_indicator_fires(name: str, text: str) -> None:
    assert values(text)[name] == 1.0


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("charges_fee", "免体检费，不收任何押金"),
        ("charges_fee", "培训费公司承担"),
        ("minimum_age_under_16", "年龄18-45岁"),
        ("pay_far_above_norm", "会计，本科，月薪20000元"),
        ("bride_under_20", "25岁姑娘"),
        ("large_fee", "服务费500元"),
        ("large_fee", "会员费1980元/年"),
        ("large_fee", "6000-12000元/月,交通补助"),
        # Lawful wage, leave, debt and disability wording stays quiet.
        ("wages_withheld", "工资按月发放"),
        ("wages_withheld", "每月10号前发工资,不压工资"),
        ("wages_withheld", "本公司不会出现拖欠、不发工资类似情况"),
        ("wages_withheld", "辞工当天结清全部工资(不压工资)"),
        ("wages_withheld", "工作压力小,工资高"),
        ("wages_withheld", "可预支工资"),
        ("no_freedom_to_leave", "可随时离职"),
        ("no_freedom_to_leave", "离职需提前30天书面申请"),
        ("no_freedom_to_leave", "上班期间不得擅自外出"),
        ("no_freedom_to_leave", "工作时间不得擅自离岗"),
        ("no_freedom_to_leave", "宿舍进出自由,无需外出跑业务"),
        ("debt_bondage", "路费报销"),
        ("debt_bondage", "车费公司垫付,不从工资扣"),
        ("debt_bondage", "新员工可预支生活费,发工资时扣回"),
        ("recruits_vulnerable", "身体健康,无残疾"),
        ("recruits_vulnerable", "头脑清晰,有肢体残疾也可以"),
        ("recruits_vulnerable", "欢迎残疾人朋友应聘,包吃住"),
        ("recruits_vulnerable", "特教老师,负责智障儿童的教学"),
        ("recruits_vulnerable", "智力障碍者勿扰"),
        ("recruits_vulnerable", "反应慢者勿扰"),
        ("documents_kept", "带自己身份证(绝不押证件)"),
        ("documents_kept", "找工作只要交钱或扣押证件都不靠谱"),
        ("documents_kept", "不以任何名义扣押您的身份证"),
        ("documents_kept", "身份证自己保管"),
        ("documents_kept", "请携带身份证原件到公司面试"),
        ("minimum_age_under_16", "严禁使用童工"),
        ("minimum_age_under_16", "不招童工"),
        ("minimum_age_under_16", "未满16周岁勿扰"),
        ("minimum_age_under_16", "课程顾问(青少儿6~18岁)"),
        ("minimum_age_under_16", "辅导6-12岁学生"),
        ("minimum_age_under_16", "年龄45岁以下"),
        ("pay_far_above_norm", "日结300元,无需经验"),
        ("pay_far_above_norm", "月嫂,学历不限,月薪12000"),
        ("pay_far_above_norm", "普工,经验不限,年收入10万"),
        ("contact_off_platform", "电话13812345678,地址:苏州市吴中区东吴路8号"),
        ("contact_off_platform", "通过qq、微信与客户沟通"),
        ("contact_off_platform", "欢迎致电人事部"),
        ("contact_off_platform", "人事部 0512-66668888"),
        ("bride_under_20", "招聘女孩,18-25岁,做前台"),
        ("bride_under_20", "新娘25岁,温柔贤惠"),
        ("bride_under_20", "寻20-30岁女孩结婚"),
        ("training_loan", "带薪培训,先培训后上岗"),
        ("training_loan", "岗前培训合格后安排上岗"),
        ("charges_fee", "本岗位不收取任何押金、服装费"),
        ("charges_fee", "房屋押金公司可先垫付(不从工资扣)"),
        ("no_company_named", "苏州鑫达电子有限公司招聘普工"),
        ("no_company_named", "鑫达人力长期招工"),
        ("no_company_named", "鑫达精密五金成立于2010年,诚聘普工"),
        ("claims_agency", "签订劳务协议"),
        ("claims_agency", "人力资源部负责招聘"),
        ("claims_agency", "苏州汇智建筑劳务有限公司招钢筋工"),
    ],
)
def test_indicator_quiet(name: str, text: str) -> None:
    assert values(text)[name] == 0.0


def test_full_width_and_traditional_text_is_folded_first() -> None:
    assert values("越南新娘，服務費６萬")["large_fee"] == 1.0


def test_agency_without_licence_only_when_no_licence_is_shown() -> None:
    assert values("职业中介，代招普工")["agency_without_licence"] == 1.0
    assert values("职业中介，人力资源服务许可证编号123")["agency_without_licence"] == 0.0


def test_every_unlawful_indicator_cites_a_law() -> None:
    assert all(i.legal_basis for i in indicators())
    basis = {i.name: i.legal_basis for i in indicators()}
    assert "劳动合同法第九条" in basis["documents_kept"]
    assert "禁止使用童工规定" in basis["minimum_age_under_16"]
    assert "劳动合同法第三十条" in basis["wages_withheld"] and "劳动合同法第九条" in basis["wages_withheld"]
    assert (
        "刑法第二百四十四条" in basis["no_freedom_to_leave"]
        and "劳动法第三十二条" in basis["no_freedom_to_leave"]
    )
    assert "刑法第二百四十四条" in basis["debt_bondage"]
    assert "残疾人保障法第四十条" in basis["recruits_vulnerable"]


def test_names_are_unique_and_explain_themselves() -> None:
    names = [i.name for i in indicators()]
    assert len(names) == len(set(names))
    assert all(i.meaning for i in indicators())


@pytest.mark.parametrize("text", ["  ABC\t 12 ", "８０００元／月", "機構 中介", "a\x1fb", ""])
def test_fold_value_matches_store_fold_text(text: str) -> None:
    from risk_model.features import fold_value
    from store.text import fold_text

    assert fold_value(text) == fold_text(text).lower()
