"""Fee facts in job ads, as spans on folded, lower-cased text: fees asked of applicants, training loans,
and whether an ad is about work and written by someone who places workers.

A fee stays quiet when it is denied ("不收押金", "体检费报销"), paid for clients or by the employer, or part of
a warning ("谨防黑中介收押金").
"""

from __future__ import annotations

import re

from zhtext.law.context import CLAUSE, affirmed, sentence_around, warned
from zhtext.scan import any_word, led
from zhtext.spans import Span

C = CLAUSE

_FEES = (
    r"押金|保证金|服装费|工装费|工服费|工作服费|体检费|培训费|报名费|介绍费|中介费|建档费|资料费|上岗费|面试费|服务费"
    r"|信息费|定金|订金|挂靠费|办卡费|工牌费|厂牌费|考证费|手续费|管理费|入职费|进厂费|押证费|岗位费|推荐费|保险费"
    r"|内推费|辛苦费|好处费|人头费|进群费|入群费|会员费"
)
_FEE = re.compile(_FEES)
_NEG_BEFORE = re.compile(
    rf"(免|不收|无需|无(?!犯罪|经验|学历|不良|要求|限制)|不需|不交|不用|不要|零|没有|拒绝|报销|承担|包|不得|严禁|谨防|不会|绝不|从不)"
    rf"[^，。；！,.;!\s]{{0,8}}(({_FEES}|(任何|一切|所有|其他)?费用)[、和及与/,])*$"
)
_NEG_AFTER = re.compile(
    r"^[^，。；！,.;!]{0,5}(垫付(?![^。;不]{0,10}工资里?扣)|全免|免|报销|承担|公司出|公司付|厂里出|公司负责|由公司|由厂|由雇主|雇主支付|雇主承担|用人单位支付|企业支付|厂方支付|全退|(?<![\d.])0元|零元|一律不收|不收)"
)
_PAY_TO_START = led(
    r"(交|付|缴|给)(\d{2,5}|\d{1,4}万|[一二两三四五六七八九十百千万]{1,5})(元|块|块钱)?[^,;!?。\s]{0,4}"
    r"(包|(就|即可|便)(?=[^,;!?。\s]{0,4}(安排|进厂|上班|入职|上岗|录用|面试|包))|安排|进厂|上班|入职|上岗)"
    # paid for a promised way in (交两千保证你进厂); not a 保证金, not a sum the employer gives
    r"|(交|付|缴)(\d{2,5}|\d{1,4}万|[一二两三四五六七八九十百千万]{1,5})(元|块|块钱)?[^,;!?。\s]{0,2}保证(?!金)"
    r"|(先|需|须|要|得)(交|付|缴)[^,;!?。\s]{0,6}(元|块|钱|费|押金)"
    r"|(转|交|付)(\d{2,4}|[一二两三四五六七八九十百]{1,4})(元|块)?(进群|入群|拉你进群|拉群)",
)
# A fee taken once the job is found ("介绍成功收两千"): gated on its own, 收 is in most ads (收入).
# The worker pays first and is paid back with a commission (刷单): 先垫付后返佣. Read where 垫 and 返 stand.
_ADVANCED_BY_WORKER = led(
    r"(先|需|要)(自己)?垫(付|钱|资金)[^。;!?]{0,8}?(再|后|然后)?(返佣|返款|返现|返利|返还本金|返本金|返还|佣金)"
)
_PAID_ON_SUCCESS = led(
    r"(介绍成功|成功后|入职后|上班后)[^,;!?。\s]{0,6}收(\d{2,5}|[一二两三四五六七八九十百千]{1,5})(元|块)?",
)
_LOAN = led(
    r"招转培|培训贷|贷款培训|学费贷|分期付学费|0元入学|零元入学|0首付|零首付|刷脸贷|以你的名义|用你的(身份证|名义)"
    rf"|(学费|培训费用?|课程费用?){C}{{0,6}}(分期|贷款|垫付)|分期(贷款|合同|还款)"
    r"|(办|签|申请)(贷款|网贷|分期|信用卡)[^,;!?。]{0,6}(入职|上岗|培训|安排工作)"
    # a loan for the course, repaid out of the promised job's pay: 贷款学技术,学成包分配,以后用工资还
    r"|贷款(学|读|上|报)(技术|手艺|技能|课|培训|班)|(贷款|分期)[^;!?。]{0,16}(用|从|拿)工资(来)?(还|扣|抵)",
)

# Gates: a pattern runs only when one of its words is in the text.
_PAY_WORDS = any_word("交", "付", "缴", "给", "转")
_SUCCESS_WORDS = any_word("介绍成功", "成功后", "入职后", "上班后")
_LOAN_WORDS = any_word("贷", "分期", "首付", "入学", "招转培", "名义", "信用卡")


# Who pays: the fee is asked of the applicant ("入职交押金", "报名费200", "体检费自理"), not handled for
# clients (a letting agent's 收取押金, a property's 管理费, "服务费享受员工折扣").
_PAID_BY_APPLICANT = led(
    r"交|缴|付|收|需|须|要|自理|自付|自费|先|扣|入职|报名|报到|上岗|进厂|面试|应聘|求职|\d|[一二两三四五六七八九十百千]+(元|块)",
)
_CLIENTS = re.compile(
    r"客户|业主|租客|租户|房东|买家|买房|租房|房源|顾客|物业|商户|学员|患者|会员|折扣|贷款客户"
)
# The fee is the work itself: a cashier or property clerk who collects or keeps the accounts of fees
# ("负责门店管理费、水电费的管理", "催缴租金、管理费").
_FEE_IS_THE_DUTY = re.compile(r"(?<!由)负责(?!人|收|交)|催缴|催收|代收|核算|对账")


# The fee goes to the worker ("底薪3000加管理费", "另加服务费提成") or is paid by the company for the worker
# ("公司为员工缴保险费"), or the medical is paid where it is done ("体检费由医院收取", "到医院自行体检").
_PAID_TO_WORKER = re.compile(r"(加|另加|外加|提成|补贴|补助|奖金)$")
_PAID_BY_EMPLOYER = re.compile(rf"(公司|单位|企业|厂里|厂方|工厂|老板)为{C}{{0,10}}(缴|交|购买|买|支付|办理)")
_PAID_AT_CLINIC = re.compile(r"医院|体检中心|医疗机构|卫生院|疾控")
# A medical at the applicant's own cost ("体检费自理", "体检费用50元自备") is paid where it is done, not to the
# recruiter: no 财物 is collected (就业服务与就业管理规定第十四条). It is a fee charged when the recruiter
# takes the money or does the medical itself ("到我处体检", "报名时交体检费", "体检费由我司代收").
_SELF_PAID = re.compile(r"自理|自付|自费|自备|自己(出|付|承担)")
_PAID_TO_RECRUITER = re.compile(r"我处|本处|我司|我公司|本公司|我们|交给|交到|转给|代收|报名时|先交")
_FEE_LIST_LINK = re.compile(rf"[、/和及与,]\(?({_FEES})")


def _fee_list(text: str, start: int, end: int) -> tuple[int, int]:
    """The extent of an enumeration of fees around one ("押金、服装费、报名费、体检费等"): a warning
    before or after the list covers every fee in it."""
    while match := _FEE_LIST_LINK.match(text, end, end + 8):
        end = match.end()
    while start > 0:
        match = re.search(rf"({_FEES})[、/和及与,]\(?$", text[max(0, start - 8) : start])
        if match is None:
            break
        start -= len(match.group())
    return start, end


def _medical_paid_where_done(text: str, match: re.Match[str]) -> bool:
    """A medical fee paid at the clinic or at the applicant's own cost, with no sign the recruiter takes it."""
    sentence = sentence_around(text, match.start(), match.end(), 16, 16)
    if _PAID_TO_RECRUITER.search(sentence):
        return False
    return bool(_PAID_AT_CLINIC.search(sentence) or _SELF_PAID.search(sentence))


def fees_charged(text: str) -> list[Span]:
    """A fee or deposit asked of the applicant that is not negated (免/不收/报销/公司承担)."""
    out = []
    for match in _FEE.finditer(text):
        before, after = text[max(0, match.start() - 16) : match.start()], text[match.end() : match.end() + 20]
        if _NEG_BEFORE.search(before) or _NEG_AFTER.search(after) or _PAID_TO_WORKER.search(before):
            continue
        clause = sentence_around(text, match.start(), match.end(), 10, 10)
        if (
            _CLIENTS.search(clause)
            or _FEE_IS_THE_DUTY.search(before)
            or not _PAID_BY_APPLICANT.search(clause)
        ):
            continue  # a deposit the worker collects from clients, or a fee word with no one paying it
        if _PAID_BY_EMPLOYER.search(before) or (
            match.group() == "体检费" and _medical_paid_where_done(text, match)
        ):
            continue
        if not warned(text, *_fee_list(text, match.start(), match.end())):
            out.append(Span(match.start(), match.end(), match.group()))
    if _PAY_WORDS.search(text):
        out += [Span(m.start(), m.end(), m.group()) for m in affirmed(_PAY_TO_START, text)]
    if _SUCCESS_WORDS.search(text):
        out += [Span(m.start(), m.end(), m.group()) for m in affirmed(_PAID_ON_SUCCESS, text)]
    if "垫" in text and "返" in text:
        out += [Span(m.start(), m.end(), m.group()) for m in affirmed(_ADVANCED_BY_WORKER, text)]
    return out


def training_loans(text: str) -> list[Span]:
    """招转培: a course or loan in the applicant's name sold as a job."""
    if not _LOAN_WORDS.search(text):
        return []
    return [Span(m.start(), m.end(), m.group()) for m in affirmed(_LOAN, text)]


_JOB_CONTEXT = re.compile(
    r"招聘|招工|招人|普工|进厂|岗位|入职|应聘|求职|打工|上岗|上班|用工|工价|时薪|月薪|底薪|包吃住|学徒|暑假工|临时工"
)


_MARRIAGE_CONTEXT = re.compile(
    r"婚|相亲|新娘|红娘|嫁|娶|媳妇|老婆|脱单|对象|会员|交友|女方|男方|礼金|彩礼|看人团|涉外|妹妹|姑娘|姻缘"
)


# Someone placing workers rather than employing them: an agency, a gang master, a private recruiter.
_INTERMEDIARY = re.compile(
    r"中介|劳务|人力|派遣|代招|职介|介绍|带队|带班|领队|工头|本人|个人|手上有|资源|老乡|挂靠|返费|包进厂|包分配|推荐"
)


def intermediary(text: str) -> bool:
    """TEXT is written by someone who places workers (a fee then is an agency's fee)."""
    return bool(_INTERMEDIARY.search(text))


def job_context(text: str) -> bool:
    """TEXT is about work (a fee then is asked of a job seeker): job words, or no marriage or dating words."""
    return bool(_JOB_CONTEXT.search(text)) or not _MARRIAGE_CONTEXT.search(text)
