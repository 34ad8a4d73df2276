"""Indicator features: precise patterns for unlawful recruitment and brokering, each with its legal basis.

Every indicator reads the folded ad text (store.text.fold_text, lower-cased) and returns a number in
[0, 1]. The legal basis is what an inspector cites; keep it exact.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

CONTRACT_LAW_9 = "劳动合同法第九条（不得扣押证件、不得收取财物）"
EMPLOYMENT_PROMOTION_41 = "就业促进法第四十一条（职业中介不得收取押金、扣押证件）"
CHILD_LABOUR = "禁止使用童工规定第二条（不得招用不满16周岁的未成年人）"
AGENCY_LICENCE = "就业促进法第四十条；人力资源市场暂行条例第十八条（职业中介须取得许可）"
TRUTHFUL_ADS = "人力资源市场暂行条例第二十四条（招聘信息应当真实、合法）"
MARRIAGE_AGE = "民法典第1047条（女不得早于二十周岁结婚）"
MARRIAGE_SALE = "民法典第1042条（禁止买卖婚姻、借婚姻索取财物）"
TRAFFICKING = "刑法第240条；反拐行动计划（跨境拐卖妇女）"


@dataclass(frozen=True)
class Indicator:
    """One named indicator: how it is computed, what it means, and the law it points to."""

    name: str
    meaning: str
    legal_basis: str
    compute: Callable[[str, str], float]  # (folded ad text, folded company name) -> value


# Negations that turn a fee word into a promise ("免体检费", "不收任何押金", "培训费公司承担").
_NEG_BEFORE = re.compile(r"(免|不收|无需|无|不需|不交|不用|零|没有|拒绝|报销|承担|包)[^，。；！,.;!]{0,3}$")
_NEG_AFTER = re.compile(r"^[^，。；！,.;!]{0,4}(全免|免|报销|承担|公司出|公司付|退还全部)")
_FEE = re.compile(
    r"押金|保证金|服装费|工装费|体检费|培训费|报名费|介绍费|中介费|建档费|资料费|上岗费|面试费|服务费"
)
_LOAN = re.compile(
    r"招转培|培训贷|贷款培训|学费贷|分期付学费|先培训后上岗|培训合格后(上岗|安排)|0元入学|零元入学"
)
_ID_KEPT = re.compile(
    r"(扣押?|押|上交|交由公司|统一保管|代为保管)[^，。；,.;]{0,3}(身份证|证件)"
    r"|(身份证|证件)(原件)?[^，。；,.;复]{0,3}(押|扣|上交|统一保管|由公司保管|代为保管)"
)
_AGE_RANGE = re.compile(r"(\d{1,2})\s*(?:周?岁)?\s*(?:-|~|至|到|—|－)\s*(\d{1,2})\s*周?岁")
_AGE_FLOOR = re.compile(r"(?:年满|年龄)\s*(\d{1,2})\s*周?岁(?:以上)?|(\d{1,2})\s*周?岁以上")
_UNDER_16_WORDS = re.compile(r"童工|未满16|不满16|未满十六|初中未毕业|小学毕业")
_MONTHLY = re.compile(r"(月薪|月入|月收入|工资|底薪|薪资)[^，。；,.;]{0,6}?(\d+(?:\.\d+)?)\s*(万|w|k|千|元)?")
_UNSKILLED = re.compile(r"学历不限|经验不限|无需经验|无经验|零基础|普工|小白|不限学历|无需技术")
_CONTACT = re.compile(
    r"加微信|加微|微信号|微信[:：]|vx|wx|qq|加薇|薇信|威信|微讯|薇讯|电联|致电|拨打|手机号|联系电话|电话[:：]|1[3-9]\d{9}"
)
_COMPANY_WORDS = re.compile(r"公司|有限|集团|厂|店|中心|医院|学校|酒店|工作室")
_AGENCY = re.compile(r"中介|劳务派遣|人力资源|劳务公司|职介|代招|招聘代理|派遣|输出劳务")
_LICENCE = re.compile(r"许可证|许可号|人力资源服务许可|劳务派遣经营许可")
_BRIDE_ORIGIN = re.compile(
    r"(越南|缅甸|老挝|柬埔寨|乌克兰|俄罗斯|外籍|外国|跨国|涉外)[^，。；,.;]{0,2}(新娘|媳妇|老婆|姑娘|女孩|美女|婚姻|婚介|相亲)"
)
_BRIDE_AGE = re.compile(r"(\d{2})\s*(?:岁|周岁)[^，。；,.;]{0,6}(新娘|姑娘|女孩|美女|媳妇|少女)")
_GUARANTEED = re.compile(
    r"包成功|包娶|包结婚|包领证|保证成功|百分百成功|100%成功|包过|包入职|包分配|不成功退款|包到家"
)
_VIRGIN = re.compile(r"处女|黄花闺女|未婚处")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(万|w|千|k|元)")
_FEE_WORD = re.compile(r"费|押金|保证金|礼金|彩礼|收取|交|缴|付")
_LURE = re.compile(
    r"在家|轻松|日结|日赚|月入过万|躺赚|宝妈|打字员|刷单|无需任何|做自己的老板|高薪|赚钱|时间自由|不限时间"
)
_UNIT = {"万": 10_000.0, "w": 10_000.0, "k": 1_000.0, "千": 1_000.0, "元": 1.0, None: 1.0}


def _amount(number: str, unit: str | None) -> float:
    return float(number) * _UNIT.get(unit, 1.0)


def charges_fee(text: str, _company: str) -> float:
    """A fee or deposit word that is not negated (免/不收/报销) in its clause."""
    for match in _FEE.finditer(text):
        before, after = text[max(0, match.start() - 8) : match.start()], text[match.end() : match.end() + 8]
        if not _NEG_BEFORE.search(before) and not _NEG_AFTER.search(after):
            return 1.0
    return 0.0


def _ages(text: str) -> list[int]:
    if "岁" not in text:  # cheap gate: the age patterns all need it
        return []
    ages = [int(m.group(1)) for m in _AGE_RANGE.finditer(text)]
    ages += [int(m.group(1) or m.group(2)) for m in _AGE_FLOOR.finditer(text)]
    return [a for a in ages if 5 <= a <= 70]


def minimum_age_under_16(text: str, _company: str) -> float:
    """An age floor below 16 in an age requirement, or an explicit under-16 phrase."""
    return 1.0 if _UNDER_16_WORDS.search(text) or any(a < 16 for a in _ages(text)) else 0.0


def _monthly_pay(text: str) -> float:
    best = 0.0
    for match in _MONTHLY.finditer(text):
        value = _amount(match.group(2), match.group(3))
        if match.group(3) is None and value < 100:  # "5" alone is not a wage
            continue
        best = max(best, value)
    return best


def pay_far_above_norm(text: str, _company: str) -> float:
    """Monthly pay promised at 15,000+ yuan for work that needs no skill or experience."""
    return 1.0 if _UNSKILLED.search(text) and _monthly_pay(text) >= 15_000 else 0.0


def contact_off_platform(text: str, _company: str) -> float:
    """Asks applicants to phone or add WeChat/QQ directly (the ORFD guideline's strongest fake sign)."""
    return 1.0 if _CONTACT.search(text) else 0.0


def no_company_named(text: str, company: str) -> float:
    """No employer is named anywhere."""
    return 0.0 if company or _COMPANY_WORDS.search(text) else 1.0


def claims_agency(text: str, company: str) -> float:
    """Presents itself as an agency, dispatcher or HR service."""
    return 1.0 if _AGENCY.search(text) or _AGENCY.search(company) else 0.0


def agency_without_licence_shown(text: str, company: str) -> float:
    """Claims to be an agency but shows no licence number."""
    return claims_agency(text, company) * (0.0 if _LICENCE.search(text) else 1.0)


def bride_under_20(text: str, _company: str) -> float:
    """Offers a bride younger than the legal marriage age of 20."""
    if "岁" not in text:
        return 0.0
    return 1.0 if any(int(m.group(1)) < 20 for m in _BRIDE_AGE.finditer(text)) else 0.0


def large_fee(text: str, _company: str) -> float:
    """A fee, deposit or bride price of 1,000 yuan or more (a fee word within 6 characters of the sum)."""
    for match in _AMOUNT.finditer(text):
        if _amount(match.group(1), match.group(2)) < 1_000:
            continue
        if _FEE_WORD.search(text, max(0, match.start() - 6), match.end() + 6):
            return 1.0
    return 0.0


def id_card_kept(text: str, _company: str) -> float:
    """Keeps applicants' ID cards or certificates."""
    return 1.0 if ("身份证" in text or "证件" in text) and _ID_KEPT.search(text) else 0.0


def hype(text: str, _company: str) -> float:
    """Exclamation-heavy, pleading copy (ORFD anomaly 12): share of 5+ exclamation marks."""
    return min(text.count("!") / 5.0, 1.0)


def _pattern(regex: re.Pattern[str]) -> Callable[[str, str], float]:
    return lambda text, _company: 1.0 if regex.search(text) else 0.0


@lru_cache(maxsize=1)
def indicators() -> tuple[Indicator, ...]:
    """All indicators, in the fixed column order the models use."""
    return (
        Indicator(
            "charges_fee", "向求职者收取押金或费用（押金/服装费/体检费/培训费）", CONTRACT_LAW_9, charges_fee
        ),
        Indicator("training_loan", "招转培或培训贷", EMPLOYMENT_PROMOTION_41, _pattern(_LOAN)),
        Indicator("id_card_kept", "扣押身份证或证件", CONTRACT_LAW_9, id_card_kept),
        Indicator("minimum_age_under_16", "招用不满16周岁", CHILD_LABOUR, minimum_age_under_16),
        Indicator("pay_far_above_norm", "无技能岗位承诺月薪1.5万以上", TRUTHFUL_ADS, pay_far_above_norm),
        Indicator("contact_off_platform", "要求电话或微信/QQ私下联系", TRUTHFUL_ADS, contact_off_platform),
        Indicator("no_company_named", "未写明用人单位", TRUTHFUL_ADS, no_company_named),
        Indicator("claims_agency", "自称中介、劳务派遣或人力资源公司", AGENCY_LICENCE, claims_agency),
        Indicator(
            "agency_without_licence", "自称中介但未展示许可证", AGENCY_LICENCE, agency_without_licence_shown
        ),
        Indicator(
            "cross_border_bride", "跨境新娘（越南/缅甸/老挝/柬埔寨等）", TRAFFICKING, _pattern(_BRIDE_ORIGIN)
        ),
        Indicator("bride_under_20", "新娘年龄不满20周岁", MARRIAGE_AGE, bride_under_20),
        Indicator(
            "guaranteed_success", "保证成功（包成功/包娶/包入职）", MARRIAGE_SALE, _pattern(_GUARANTEED)
        ),
        Indicator("virgin", "以处女为卖点", MARRIAGE_SALE, _pattern(_VIRGIN)),
        Indicator("large_fee", "费用、押金或彩礼1000元以上", MARRIAGE_SALE, large_fee),
        Indicator("lure_words", "诱导性用语（在家/轻松/日结/高薪）", TRUTHFUL_ADS, _pattern(_LURE)),
        Indicator("hype", "大量感叹号煽动", TRUTHFUL_ADS, hype),
    )


def indicator_values(ad_text: str, company: str) -> list[float]:
    """Values of every indicator for one folded, lower-cased ad text and company name."""
    return [indicator.compute(ad_text, company) for indicator in indicators()]
