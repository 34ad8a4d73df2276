"""Indicator features: precise patterns for unlawful recruitment and brokering, each with its legal basis.

Every indicator reads the folded ad text (store.text.fold_text, lower-cased) and returns a number in
[0, 1]. The legal basis is what an inspector cites; keep it exact. The forced-labour indicators live in
risk_model.forced_labour; ages and pay are read by risk_model.text_facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from risk_model import forced_labour as forced
from risk_model.forced_labour import CONTRACT_LAW_9
from risk_model.text_facts import (
    CLAUSE,
    affirmed,
    applicant_age_floors,
    arabic_ages,
    monthly_pay_floors,
    refused,
)
from store.pii import mobile_numbers

EMPLOYMENT_PROMOTION_41 = "就业促进法第四十一条（职业中介不得收取押金、扣押证件）"
CHILD_LABOUR = "禁止使用童工规定第二条（不得招用不满16周岁的未成年人）；劳动法第十五条"
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


_FEES = (
    r"押金|保证金|服装费|工装费|工服费|体检费|培训费|报名费|介绍费|中介费|建档费|资料费|上岗费|面试费|服务费"
)
_FEE = re.compile(_FEES)
# Negations that turn a fee word into a promise ("免体检费", "不收任何押金、服装费", "培训费公司承担",
# "房屋押金公司可先垫付(不从工资扣)"); a list of fees shares its negation.
_NEG_BEFORE = re.compile(
    rf"(免|不收|无需|无|不需|不交|不用|零|没有|拒绝|报销|承担|包)[^，。；！,.;!]{{0,3}}(({_FEES})[、和及与/])*$"
)
_NEG_AFTER = re.compile(
    r"^[^，。；！,.;!]{0,4}(全免|免|报销|承担|公司出|公司付|退还全部|垫付(?![^。;不]{0,10}工资里?扣))"
)
# Training loans (招转培): the applicant signs a loan or instalment plan for a course sold as a job.
_LOAN = re.compile(
    r"招转培|培训贷|贷款培训|学费贷|分期付学费|0元入学|零元入学|0首付|零首付"
    rf"|(学费|培训费用?|课程费用?){CLAUSE}{{0,6}}(分期|贷款|垫付)|分期(贷款|合同|还款)"
)
_UNDER_16_WORDS = re.compile(r"童工|未满16|不满16|未满十六|不满十六|初中未毕业|初中在读|在读初中")
# Work that needs no skill, as the ads put it ("学历不限" alone is not it: a 月嫂 needs no degree).
_UNSKILLED = re.compile(
    r"经验不限|无需经验|无经验|不看经验|不要经验|零基础|普工|小白|无需技术"
    r"|只需一部手机|动动手指|在家就能做"
)
HIGH_PAY = 10_000.0  # yuan a month: about twice unskilled factory pay (普工 4,500-6,500 in Jiangsu)
# A WeChat or QQ ID, also behind a disguised marker or "the same as the phone" (store.pii finds mobiles).
_WECHAT_ID = re.compile(
    r"(微信|威信|薇信|v信|v)同号|(微信|威信|薇信|v信|vx|wx|加薇|➕v|加v|微讯|薇讯)号?\s*:?\s*[a-z][a-z0-9_-]{5,19}"
    r"|(qq|扣扣)号?\s*:?\s*[1-9]\d{4,10}"
)
# An explicit request to take contact off the ad: ORFD guideline anomaly 10 ("提示加其他联系方式直接联系").
# "通过微信与客户沟通" (a sales duty) and "欢迎致电" (a phone call) are not such requests.
_PRIVATE_ONLY = re.compile(
    r"(直接|请|先|可|有意者|有意向|感兴趣|详情)加(我)?(微信|威信|薇信|v信|v|薇|qq|好友)(?!公众号)"
    r"|加(我)?(微信|v|薇|qq)(详聊|详谈|了解|咨询|报名|沟通|面试)"
    r"|私聊|私信我|微信(详聊|详谈|报名)|只(接受|收|加)微信|电话不接|不接陌生|不接受上门|来了再说"
)
_DIGIT_LIKE = re.compile(r"[0-9零〇一二三四五六七八九幺壹贰叁肆伍陆柒捌玖]")
# Somewhere to go: an address or venue line, or a street number.
_ADDRESS = re.compile(r"地址|地点|厂址|店址|(路|街|道|巷|园|区|中心|大厦|广场)\d{1,4}号")
# An employer named in the text: a registered form (…有限公司), an agency's trade name, or the way a
# company introduces itself ("X成立于2010年", "X坐落在…", "我公司(X)", "统一社会信用代码").
_COMPANY_NAMED = re.compile(
    r"有限公司|有限责任公司|股份公司|集团|分公司|工作室|事务所|婚介所|婚姻介绍所"
    r"|(?<=[\u4e00-\u9fff]{2})(?<!指定|正规|附近|当地|三甲|公立|我们|各大|大型)(大酒店|酒店|宾馆|饭店|医院|学校|超市)"
    r"(?!前台|服务员|管理|保洁|厨师|收银|保安|经理|行业)"
    r"|(?<=[\u4e00-\u9fff]{2})(人力资源|人力|劳务派遣|劳务|人才服务)(?!资源部|团队|协议|合同|报酬|费|工|中介)"
    r"|成立于\d{4}年|\d{4}年成立|坐落在|公司简介|我公司\(|统一社会信用代码|人服证字"
)
# An agency says so, or names itself so ("鑫达人力", "苏州鑫达劳务"); "人力资源部" and "劳务协议" do not.
_AGENCY = re.compile(
    r"中介(?!费)|劳务派遣|人力资源(?!部)|劳务公司|职介|代招|招聘代理|派遣|输出劳务|人才服务|输送(员工|工人|人员)"
    r"|(?<=[\u4e00-\u9fff]{2})(人力|(?<!建筑)劳务)(?!资源部|协议|合同|报酬|费|工|成本)"
)
_LICENCE = re.compile(r"许可证|许可号|人力资源服务许可|劳务派遣经营许可|人服证字")
_BRIDE_COUNTRIES = (
    "越南|缅甸|老挝|柬埔寨|巴基斯坦|尼泊尔|孟加拉|印尼|印度尼西亚|朝鲜|菲律宾|泰国|乌克兰|俄罗斯|白俄罗斯"
)
_BRIDE_ORIGIN = re.compile(
    rf"({_BRIDE_COUNTRIES}|外籍|外国|跨国|涉外)[^,。;]{{0,2}}(新娘|媳妇|老婆|姑娘|女孩|美女|婚姻|婚介|相亲|婚恋)"
)
_BRIDE = r"(新娘|姑娘|女孩子?|美女|媳妇|少女|老婆|女方|妹子)"
_BRIDE_AGE = re.compile(
    rf"(\d{{2}})\s*(?:-\s*\d{{2}}\s*)?周?岁{CLAUSE}{{0,6}}{_BRIDE}"
    rf"|{_BRIDE}[^;。\d]{{0,6}}?(\d{{2}})\s*(?:-|~|至|到)?\s*(?:\d{{2}})?\s*周?岁"
)
_MARRIAGE_CONTEXT = re.compile(r"新娘|嫁|娶|媳妇|老婆|彩礼|婆家|相亲|订婚|领证|婚介|红娘|征婚|结婚|婚姻")
_GUARANTEED = re.compile(
    r"包成功|包娶|包结婚|包领证|包脱单|包到结婚|保证成功|百分百成功|100%成功|包过|包入职|包分配|包退换|包找回"
    r"|不成功(不收|全额|退)|娶不到[^,;。\s]{0,3}不收|娶到为止|保证[^,;。\s]{0,6}(订婚|结婚|领证)"
)
_VIRGIN = re.compile(r"处女|黄花闺女|未婚处")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(万|w|千|k|元)")
_FEE_WORD = re.compile(r"费|押金|保证金|礼金|彩礼|收取|交(?!通|流)|缴|付(?!出)|价|定金|全包")
# A sum that is pay, not a fee: "6000-12000元/月", "保底工资4500元".
_PAY_AROUND = re.compile(r"薪|工资|收入|待遇|提成|保底|奖金|月入")
_PER_PERIOD = re.compile(r"\s*(元)?\s*/\s*(月|年|天|日|小时|单)")  # used with .match(text, end)
LARGE_FEE = 10_000.0  # yuan: bride prices and broker fees; a lawful agency's yearly membership is less
_LURE = re.compile(
    r"在家|轻松|日结|日赚|月入过万|躺赚|宝妈|打字员|刷单|无需任何|做自己的老板|高薪|赚钱|时间自由|不限时间"
)
_UNIT = {"万": 10_000.0, "w": 10_000.0, "k": 1_000.0, "千": 1_000.0, "元": 1.0, None: 1.0}


def _amount(number: str, unit: str | None) -> float:
    return float(number) * _UNIT.get(unit, 1.0)


def charges_fee(text: str, _company: str) -> float:
    """A fee or deposit word that is not negated (免/不收/报销) in its clause."""
    for match in _FEE.finditer(text):
        before, after = text[max(0, match.start() - 16) : match.start()], text[match.end() : match.end() + 20]
        if not _NEG_BEFORE.search(before) and not _NEG_AFTER.search(after):
            return 1.0
    return 0.0


def minimum_age_under_16(text: str, _company: str) -> float:
    """An accepted age below 16 (十四岁, 年龄:14-18, 14、15岁), or an under-16 phrase not refused."""
    if any(not refused(text, m.end()) for m in affirmed(_UNDER_16_WORDS, text)):
        return 1.0
    return 1.0 if any(age < 16 for age in applicant_age_floors(text)) else 0.0


def pay_far_above_norm(text: str, _company: str) -> float:
    """Work needing no skill at 10,000+ yuan a month (月薪过万, 13500-27000元/月, 日结500+: x 21.75)."""
    if not _UNSKILLED.search(text):
        return 0.0
    return 1.0 if any(pay >= HIGH_PAY for pay in monthly_pay_floors(text)) else 0.0


def contact_off_platform(text: str, _company: str) -> float:
    """Contact only by phone or WeChat: a personal contact and no address, or 'add WeChat / ask privately'.

    An address to apply at is another way in, so a phone number beside an address is not enough; the
    ORFD guideline's strongest fake sign is the explicit request to contact privately.
    """
    if _PRIVATE_ONLY.search(text):
        return 1.0
    if _ADDRESS.search(text):
        return 0.0
    if _WECHAT_ID.search(text):
        return 1.0
    if len(_DIGIT_LIKE.findall(text)) < 11:  # too few digits for a mobile number: skip the scan
        return 0.0
    return 1.0 if mobile_numbers(text) else 0.0


def no_company_named(text: str, company: str) -> float:
    """No employer is named: no company field and no organisation name or self-introduction in the text."""
    return 0.0 if company or _COMPANY_NAMED.search(text) else 1.0


def claims_agency(text: str, company: str) -> float:
    """Presents itself as an agency, dispatcher or HR service."""
    return 1.0 if _AGENCY.search(text) or _AGENCY.search(company) else 0.0


def agency_without_licence_shown(text: str, company: str) -> float:
    """Claims to be an agency but shows no licence number."""
    return claims_agency(text, company) * (0.0 if _LICENCE.search(text) else 1.0)


def bride_under_20(text: str, _company: str) -> float:
    """Offers a bride younger than the legal marriage age of 20 (新娘,16-20岁; 农村姑娘17岁; 十七岁女孩)."""
    if "岁" not in text or not _MARRIAGE_CONTEXT.search(text):
        return 0.0
    text = arabic_ages(text)
    ages = [int(m.group(1) or m.group(4)) for m in _BRIDE_AGE.finditer(text)]
    return 1.0 if any(10 <= age < 20 for age in ages) else 0.0


def large_fee(text: str, _company: str) -> float:
    """A fee, price or bride price of 10,000 yuan or more (a fee word within 6 characters of the sum)."""
    for match in _AMOUNT.finditer(text):
        if _amount(match.group(1), match.group(2)) < LARGE_FEE or _PER_PERIOD.match(text, match.end()):
            continue
        if _PAY_AROUND.search(text, max(0, match.start() - 8), match.start()):
            continue
        if _FEE_WORD.search(text, max(0, match.start() - 6), match.end() + 6):
            return 1.0
    return 0.0


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
        Indicator(
            "training_loan", "招转培或培训贷（学费分期、贷款）", EMPLOYMENT_PROMOTION_41, _pattern(_LOAN)
        ),
        Indicator("id_card_kept", "扣押身份证或证件", CONTRACT_LAW_9, forced.id_card_kept),
        Indicator(
            "wages_withheld",
            "押工资、年底才结工资或押金从工资扣",
            forced.WAGES_ON_TIME,
            forced.wages_withheld,
        ),
        Indicator(
            "no_freedom_to_leave",
            "限制离开（封闭管理、不准外出、没收手机、未满期不得离厂）",
            forced.FORCED_LABOUR,
            forced.no_freedom_to_leave,
        ),
        Indicator(
            "debt_bondage",
            "以债务束缚（垫付路费从工资扣、还清才能走）",
            forced.DEBT_BONDAGE,
            forced.debt_bondage,
        ),
        Indicator(
            "recruits_intellectually_disabled",
            "招收智力障碍者，或由他人带来、代领工资的残疾人",
            forced.DISABLED_WORKERS,
            forced.recruits_intellectually_disabled,
        ),
        Indicator("minimum_age_under_16", "招用不满16周岁", CHILD_LABOUR, minimum_age_under_16),
        Indicator("pay_far_above_norm", "无技能岗位承诺月薪1万以上", TRUTHFUL_ADS, pay_far_above_norm),
        Indicator(
            "contact_off_platform",
            "只留个人电话或微信/QQ（无地址），或要求私下加微信联系",
            TRUTHFUL_ADS,
            contact_off_platform,
        ),
        Indicator("no_company_named", "未写明用人单位", TRUTHFUL_ADS, no_company_named),
        Indicator("claims_agency", "自称中介、劳务派遣或人力资源公司", AGENCY_LICENCE, claims_agency),
        Indicator(
            "agency_without_licence", "自称中介但未展示许可证", AGENCY_LICENCE, agency_without_licence_shown
        ),
        Indicator(
            "cross_border_bride",
            "跨境新娘（越南/缅甸/老挝/柬埔寨/巴基斯坦等）",
            TRAFFICKING,
            _pattern(_BRIDE_ORIGIN),
        ),
        Indicator("bride_under_20", "新娘年龄不满20周岁", MARRIAGE_AGE, bride_under_20),
        Indicator(
            "guaranteed_success",
            "保证成功（包成功/包娶/包退换/包入职）",
            MARRIAGE_SALE,
            _pattern(_GUARANTEED),
        ),
        Indicator("virgin", "以处女为卖点", MARRIAGE_SALE, _pattern(_VIRGIN)),
        Indicator("large_fee", "费用、价款或彩礼1万元以上", MARRIAGE_SALE, large_fee),
        Indicator("lure_words", "诱导性用语（在家/轻松/日结/高薪）", TRUTHFUL_ADS, _pattern(_LURE)),
        Indicator("hype", "大量感叹号煽动", TRUTHFUL_ADS, hype),
    )


def indicator_values(ad_text: str, company: str) -> list[float]:
    """Values of every indicator for one folded, lower-cased ad text and company name."""
    return [indicator.compute(ad_text, company) for indicator in indicators()]
