"""Forced-labour indicators: ID cards kept, wages withheld, no freedom to leave, debt, disabled workers.

These are the signals the child_labour risk type covers besides under-16s (the project issue: "the
signals of exploiting intellectually disabled workers and of forced labour"). Each reads folded,
lower-cased ad text and stays quiet when the phrase is denied ("不压工资", "严禁扣押身份证") or is a
routine rule ("上班期间不得外出", "无残疾").
"""

from __future__ import annotations

import re

from risk_model.text_facts import AFFIRMED, CLAUSE, affirmed, sentence_around

C = CLAUSE
A = AFFIRMED  # a gap that may not hold a negation
_KEEPER = r"(押在|押(?!金)|扣押|扣留|上交|交由|交给|统一保管|由公司保管|代为保管|保管|收走|没收)"
_ID_KEPT = re.compile(
    rf"(扣押?|押(?!金)|上交|交由公司|统一保管|代为保管|没收|收走|扣留)[^,;。\s]{{0,3}}(身份证|证件|户口本)"
    rf"|(身份证|证件|户口本)(原件)?[^,;。\s复不无没非勿]{{0,8}}?{_KEEPER}"
    r"|交(身份证|证件)原件[^。;]{0,14}(保管|押|扣)"
)
_OWN_KEEPING = re.compile(r"自己|本人|自行|当场|核对|复印|归还后|退还给")

_MONTHS = r"(两|三|四|五|六|半年|一年|[2-9]|1[0-2])"
_WAGES_HELD = re.compile(
    rf"(押(?!金)|压(?!力)|扣押|扣留|暂扣|拖欠|克扣){A}{{0,5}}工资"
    rf"|工资{A}{{0,2}}(押(?!金)|压(?!力)|暂扣|扣押|扣留)"
    rf"|工资{A}{{0,3}}(年底|年终|年末|过年|春节前?|回家时|离职时|离厂时|合同期满|干满|做满){C}{{0,6}}"
    r"(结算|结清|发放|发|结|支付)"
    r"|(押金|保证金)[^,;!?。\s不]{0,6}从工资[^,;!?。\s不]{0,2}(扣|抵)"
    rf"|工资卡{C}{{0,8}}(保管|上交|押|代管)"
    rf"|(平时|每月|每个月)(只|仅)(发|给){C}{{0,6}}生活费"
    rf"|工资{C}{{0,2}}{_MONTHS}个?月?一(结|发)"
    rf"|(做满|干满){_MONTHS}{C}{{0,4}}(才|再)(发|结){C}{{0,4}}工资"
)

_LEAVE = r"(离厂|离开(?!工位|岗位|座位|机台|现场|车间)|外出|出厂|出门)"
_NO_LEAVE = re.compile(
    rf"(不得|不能|不准|不许|不允许|禁止|严禁|不可以?)(随意|随便|私自|擅自|自行|自由|单独)?{_LEAVE}"
    r"|(不准|不许|不让|不给)(离职|辞职)|封闭式?管理"
    rf"|(没收|收走|扣留|扣下)[^,;。\s]{{0,3}}手机|手机{C}{{0,8}}(没收|收走|扣留)"
    r"|(不准|不许|不让)(请假)?回家"
    rf"|(外出|出门|离厂|出厂){C}{{0,2}}(需|要|须|必须){C}{{0,6}}(同意|批准|陪同|跟随|跟着|带领|带着)"
    rf"|(做满|干满|未满|不满){C}{{0,6}}(才能|才可以|方可|前不能|前不得|不得|不能|不准|不让|不许){C}{{0,2}}"
    r"(离职|辞职|离厂|走人|走|离开)"
)
# "上班期间不得外出", "工作时间不得擅自离开" are work discipline, not confinement.
_WORK_HOURS = re.compile(rf"(上班|工作|值班|当班|班中|工作时间|上岗){C}{{0,4}}$")

_RELEASE = (
    r"(才能|才可以|才准|才放|方可|之前不能|前不能|之前不得|前不得|之前不准|前不准|前不许|不能|不得|不准|不许)"
)
_DEBT = re.compile(
    rf"(没有?|未)?(还清|还完|扣完|扣清|抵清|还上|扣够){C}{{0,6}}{_RELEASE}{C}{{0,2}}(走|离职|离开|离厂|辞职|回家)"
    r"|(先借|预借|安家费)[^;!?。不]{0,12}(干活|做工|打工|上班|工资)[^,;!?。\s不]{0,3}(还|抵|扣)"
    r"|(垫付|先垫|先出|记账|赊账|挂账)[^;!?。不]{0,12}?(从|在)?(以后|今后|之后|后面|日后)?的?工资(里|中)?"
    r"[^,;!?。\s不]{0,2}(扣|抵|还)"
    rf"|(借款|欠款|债务?|欠的钱|欠账){C}{{0,4}}(抵|顶){C}{{0,2}}工资"
    r"|以工(抵|还|偿)(债|款|账)|工资抵(债|账|欠款|借款)|先借后还|打工还(债|钱|账)"
)

_INTELLECT = re.compile(
    r"智障|智力障碍|智力残疾|智力低下|智力缺陷|弱智|傻子|呆傻|憨傻|精神残疾"
    rf"|智力{C}{{0,2}}(差|低|不好|不行|不太好|有问题|问题|欠缺)"
    rf"|脑子{C}{{0,3}}(不太?|有点|不怎么)(灵活|好使|灵光|清楚|正常|聪明)"
    r"|(反应|头脑|脑筋|脑子)[^,;!?。\s不]{0,2}(慢|迟钝|不灵)"
)
_ACCEPTED = re.compile(
    r"招|接收|收留|都收|也收|都要|也要|欢迎|也可以|也行|都可以|都行|可以|没关系|不要紧|不影响|包吃|管吃|有人带|带过来|送过来|接送"
    r"|代领|能干活"
)
_REFUSED = re.compile(r"勿扰|不要(?!紧)|不收|谢绝|除外|不招|不考虑|恕不|免谈|者勿")
_CARE_WORK = re.compile(r"儿童|孩子|学生|康复|特教|特殊教育|护理|照顾|照料|陪护|患者|病人|教学|老师|托养")
_DISABLED_HANDED_OVER = re.compile(
    r"残疾[^。;]{0,20}(有人带|带过来|送过来|统一接送|代领工资|工资(由|给|交)(家属|家人|介绍人|带队))"
)

# Words every pattern of an indicator needs: a cheap test before the regular expressions.
_LEAVE_WORDS = ("离", "外出", "出厂", "出门", "辞职", "封闭", "手机", "回家", "做满", "干满", "未满", "不满")
_DEBT_WORDS = ("还", "扣完", "扣清", "扣够", "抵", "垫", "先出", "记账", "赊账", "挂账", "借", "欠", "债")
_DISABILITY_WORDS = ("智", "傻", "呆", "脑子", "反应", "头脑", "脑筋", "残疾")

CONTRACT_LAW_9 = "劳动合同法第九条（不得扣押证件、不得收取财物）"
WAGES_ON_TIME = (
    "劳动合同法第三十条（及时足额支付劳动报酬）；劳动法第五十条、工资支付暂行规定第七条"
    "（工资至少每月支付一次，不得克扣或者无故拖欠）；劳动合同法第九条（押金）"
)
FORCED_LABOUR = (
    "刑法第二百四十四条（强迫劳动罪：限制人身自由强迫劳动，及为其招募、运送人员）；"
    "劳动法第三十二条、第九十六条（非法限制人身自由强迫劳动）"
)
DEBT_BONDAGE = (
    "刑法第二百四十四条（强迫劳动罪）；工资支付暂行规定第十五条（不得克扣工资）；"
    "劳动合同法第三十七条（劳动者提前三十日书面通知即可解除合同）"
)
DISABLED_WORKERS = (
    "残疾人保障法第四十条（不得以暴力、威胁或者非法限制人身自由的手段强迫残疾人劳动）、第三十八条"
    "（劳动报酬不得歧视）；刑法第二百四十四条（强迫劳动罪）"
)


def id_card_kept(text: str, _company: str) -> float:
    """Keeps applicants' ID cards or certificates (not "携带身份证原件", "身份证自己保管", "不扣押证件")."""
    if "身份证" not in text and "证件" not in text and "户口本" not in text:
        return 0.0
    return 1.0 if any(not _OWN_KEEPING.search(m.group()) for m in affirmed(_ID_KEPT, text)) else 0.0


def wages_withheld(text: str, _company: str) -> float:
    """Wages held back: a month's pay kept ("押一个月工资"), paid only at year end, deposit taken from pay."""
    if "工资" not in text and "生活费" not in text:
        return 0.0
    return 1.0 if next(affirmed(_WAGES_HELD, text), None) else 0.0


def no_freedom_to_leave(text: str, _company: str) -> float:
    """Workers may not leave: confined site, no going out, phones taken, no quitting before a term."""
    if not any(word in text for word in _LEAVE_WORDS):
        return 0.0
    for match in affirmed(_NO_LEAVE, text):
        if not _WORK_HOURS.search(text, max(0, match.start() - 8), match.start()):
            return 1.0
    return 0.0


def debt_bondage(text: str, _company: str) -> float:
    """Work against a debt: fares or fees advanced and taken from pay, no leaving until it is repaid."""
    if not any(word in text for word in _DEBT_WORDS):
        return 0.0
    return 1.0 if next(affirmed(_DEBT, text), None) else 0.0


def recruits_intellectually_disabled(text: str, _company: str) -> float:
    """Recruits people with intellectual disabilities, or disabled people handed over by a third party.

    A lawful ad welcoming disabled applicants ("有肢体残疾也可以") or refusing them ("无残疾") stays
    quiet, as does care or teaching work for disabled people ("照顾智障儿童").
    """
    if not any(word in text for word in _DISABILITY_WORDS):
        return 0.0
    for match in affirmed(_INTELLECT, text):
        around = sentence_around(text, match.start(), match.end())
        if _ACCEPTED.search(around) and not _REFUSED.search(around) and not _CARE_WORK.search(around):
            return 1.0
    return 1.0 if "残疾" in text and next(affirmed(_DISABLED_HANDED_OVER, text), None) else 0.0
