"""Forced-labour facts in job ads, as spans on folded, lower-cased text.

Each finder stays quiet when the phrase is denied ("不扣押证件", "严禁压工资"), refused, part of a
warning or news ("谨防黑中介收押金"), or a routine rule ("上班期间不得外出", "身份证复印件").
"""

from __future__ import annotations

import re

from zhtext.law.context import AFFIRMED, CLAUSE, Gated, affirmed, asked, asked_unanswered, sentence_around
from zhtext.scan import any_word, led
from zhtext.spans import Span

C = CLAUSE
A = AFFIRMED
_DOC = r"(身份证|证件|护照|户口本|户口簿|毕业证|学历证|驾驶证|驾照|暂住证|居住证|港澳通行证)"
_KEEPER = (
    r"(押在|押到|押给|押(?!金)|扣押|扣留|扣下|上交|上缴|交由|交给|交到|交公司|交厂里|统一保管|统一管理|统一收"
    r"|由公司保管|由厂里保管|代为保管|代保管|代管|保管|收走|收缴|收上来|没收|留在公司|留公司|留厂|放在公司|放公司"
    r"|放厂里|放在厂里|放老板|拿走|拿着|扣着|押着|收着|放我这|放我们这|交上来|交出来|上缴|交给老板|由老板"
    r"|帮你收|替你收|帮你保管|替你保管|我们收好|我们保管|我们收着|放他那|放她那|放他们那"
    r"|统一交[^,;!?。\s]{0,4}(保管|管理|收着))"  # 护照落地后统一交项目部保管
)
_DOCS_KEPT = led(
    rf"(扣押?|押(?!金)|上交|上缴|交由公司|交给(公司|厂里|老板|带班|领班|工头|中介|我们)|统一保管|统一收|代为?保管"
    rf"|代管|没收|收走|收缴|扣留|扣下){C}{{0,4}}?{_DOC}"
    rf"|{_DOC}(原件)?[^,;。\s复不无没非勿]{{0,8}}?{_KEEPER}"
    rf"|{_DOC}[^,;。\s复不无没非勿]{{0,8}}?(统一)?由{C}{{0,6}}(保管|收着|代管|管理|收走)"
    rf"|(交|押|留)(身份证|证件|护照)(原件)?{C}{{0,10}}(保管|押|扣|才能|才可|方可|入职|上班|进厂)"
    rf"|(入职|进厂|上班|报到){C}{{0,4}}(押|交)(身份证|证件|护照)(原件)?(?!复印|号|信息|照片|核对|查验|验证)",
)
# The applicant keeps the document, or only a copy or a check is meant.
_OWN_KEEPING = re.compile(r"自己|本人|自行|当场|核对|复印|归还后|退还给|查验|验证|拍照|扫描|登记后")
_COPY_AFTER = re.compile(r"(正反面)?的?(复印|影印|扫描|复件|照片|电子版|拍照|号)")  # 上交身份证复印件: a copy

_MONTHS = r"(半个?|一|两|二|三|四|五|六|七|八|九|十|[1-9]|1[0-2]|15|20|30|半)"
_WAGES_HELD = Gated(
    (
        ("押", "压", "扣", "拖欠"),
        rf"(押(?!金)|(?<!抗)压(?!力|缩|铸|能)|扣押|扣留|暂扣|拖欠|克扣|扣发){A}{{0,6}}(工资|工钱|薪水|薪资)",
    ),
    (  # or the time held back after the pay's terms, in the next clause: 工资月结,压半个月
        ("押", "压", "扣", "留存"),
        rf"(工资|工钱|薪水)(先)?{A}{{0,2}}(押(?!金)|压(?!力)|暂扣|扣押|扣留|留存)|(工资|工钱|薪水|薪资)[^;!?。\n不无没勿非]"
        r"{0,10}?(押|压)(半个?|\d{1,2}个?|[一两二三四五六七八九十]{1,2}个?)(月|天|周|星期)",
    ),
    # the pay itself kept for the worker (工资由公司代为保管): not a payslip or a pay card (read below)
    (
        ("保管", "代管"),
        r"(工资|工钱|薪水|薪资)(?![条表单册卡折明细数据资料档案信息])(先|暂时|一律|统一|都)?(由|交|交给|给|放在?)?"
        r"(公司|厂里|厂方|工厂|老板|单位|带班|领班|工头|中介|我们|财务)(代为保管|代保管|代管|统一保管|保管)",
    ),
    (
        (
            "年底",
            "年终",
            "年末",
            "过年",
            "春节",
            "回家时",
            "离职时",
            "离厂时",
            "期满",
            "干满",
            "做满",
            "完工",
            "结束",
            "干完",
            "回国",
        ),
        rf"(工资|工钱|薪水|薪资){A}{{0,4}}(年底|年终|年末|过年|春节|回家时|回国后?|回国时|离职时|离厂时|合同期满|干满|做满|完工"
        rf"|项目结束|工程结束|活干完|干完|期满){C}{{0,6}}(统一|一次性|一起|才)?(结算|结清|发放|发|结|支付|算)",
    ),
    (
        ("押金", "保证金"),
        r"(押金|保证金)[^,;!?。\s不]{0,6}从(第一个月|首月|头个月)?工资[^,;!?。\s不]{0,2}(扣|抵)",
    ),
    (
        ("卡", "折"),
        rf"(工资卡|银行卡|工资折)(?!{C}{{0,10}}(自己|本人|自行|亲自|员工自|个人))(?!{C}{{0,6}}(我妈|老婆|媳妇|家里))"
        rf"{C}{{0,10}}(保管|上交|押|代管|代为|统一办理并|交给|收走|掌管)",
    ),
    (
        ("生活费", "零花钱", "饭钱"),
        rf"(平时|每月|每个月|每周|月月)(只|仅)?(发|给|预支|借支){C}{{0,4}}(生活费|零花钱|饭钱)|只(发|给){C}{{0,4}}生活费",
    ),
    (
        ("年底", "年终", "过年", "春节", "回家"),
        r"(年底|年终|过年|春节|回家)(时)?(一起|一次性|统一|再)(拿|给|付清|结清|结|算|发)(钱|工钱|工资)?",
    ),
    (
        (
            "到岸",
            "靠岸",
            "下船",
            *("来再", "来才", "来后", "来以后"),  # 回来再, 出来以后再 ...
        ),
        r"(钱|工资|工钱)(要)?(等)?(到岸|靠岸|下船|回来|出来)(以后|后)?(再|才)(给|发|结|算)",
    ),
    (
        ("平时", "干完", "欠着"),
        r"平时(不发|不给)(钱|工资|工钱)|干完(活|工程|项目)?(再|才)(给|发|结)(钱|工资|工钱)|工资先欠着|工钱先欠着",
    ),
    (("月一",), rf"(工资|工钱){C}{{0,2}}{_MONTHS}个?月一(结|发|算)"),
    (("年一",), rf"(工资|工钱){C}{{0,2}}(一|1)年一(结|发|算|付)"),
    (("满", "够"), rf"(做满|干满|做够|干够){_MONTHS}{C}{{0,6}}(才|再|方)(发|结|给|算){C}{{0,4}}(工资|工钱)?"),
    (
        ("中途", "提前", "未满期", "不满期", "没干满", "没做满"),
        r"(中途|提前|未满期|不满期|没干满|没做满)(离职|辞职|走|离开|离厂)[^,;!?。\s]{0,6}(工资)?"
        r"(不发|不结|没有|全扣|扣除|作废|不给)",
    ),
    (
        ("试用期", "学徒期", "实习期"),
        r"(试用期|学徒期|实习期)(内|期间)?[^,;!?。\s]{0,4}(不发|没有|不给|无)(放)?(工资|工钱|报酬)",
    ),
    (
        ("放弃", "白干"),
        r"(离职|辞职|走了?)[^,;!?。\s]{0,4}(视为|算)?(自动)?放弃(全部)?(工资|工钱)|(中途|提前)(走了?|离开|离职)(就)?白干",
    ),
)
_GANG = (
    r"(带班|领班|领队|工头|包工头|班长|队长|中介|介绍人|带队|组长|线长|老乡|师傅|家属|家人|监护人|负责人|老板个人"
    r"|老板的?卡)"
)
_WAGES_TO_OTHERS = led(
    rf"(工资|工钱|薪水|劳务费)(统一)?(由|给|交|打给|发给|打到|发到|转给|交给|直接给|直接打给|打|打进|转到|存到){C}{{0,2}}{_GANG}"
    rf"{C}{{0,6}}?(代领|领取|领|代发|发放|转发|保管|卡上|卡里|手里|统一发|统一领|结算|发)?"
    rf"|({_GANG}|我们|我|他们|他)(统一)?(代领|代收|领走|收走|统一领|统一领取|代为领取|代管)(工资|工钱|薪水|劳务费)?"
    rf"|(工资|工钱|薪水)({_GANG}|我们|我|他们)(统一)?(代领|代收|领走|收走|统一领|代为领取|代管)"
    rf"|(工资|工钱|钱){C}{{0,4}}(直接)?(打给|发给|交给|转给|给)(我|我们|他|她)(?!们?自己|本人)"
    rf"|(工资|工钱|钱){C}{{0,4}}(直接)?打(到|进)?(我|我们|他|她)(的)?卡"
    rf"|(工资|工钱|钱){C}{{0,4}}(直接)?(打给|发给|交给|转给|给|寄给)(他|她)?(的)?(爹妈|父母|爸妈|家里|家属|家人)"
    rf"|(一年|每年|每月|一个月|年底|过年)(给|打给|寄给)(他|她)?(的)?(爹妈|父母|爸妈|家里|家属|家人)",
)
_GANG_WORDS = (
    *("带班", "领班", "领队", "工头", "班长", "队长", "中介", "介绍人", "带队"),
    *("组长", "线长", "老乡", "师傅", "家属", "家人", "监护人", "负责人", "老板"),
    *("我", "他", "她", "爹妈", "父母", "爸妈", "家里"),
)

_LEAVE = (
    r"(离厂|离开(?!工位|岗位|座位|机台|现场|车间)|外出|出厂|出门|出去|出来|上街|回家|离岗外出|出宿舍|离开厂区"
    r"|出[^,;。\s门]{1,3}门)"
)
_NO_LEAVE = Gated(
    (
        ("不得", "不能", "不准", "不许", "不允许", "禁止", "严禁", "不可", "不让"),
        rf"(不得|不能|不准|不许|不允许|禁止|严禁|不可以?|不让)(随意|随便|私自|擅自|自行|自由|单独|私下)?{_LEAVE}"
        r"|(不准|不许|不让|不给|不能)(离职|辞职|请假|走人)|(不准|不许|不让|不能)(用|使用|带|玩|拿)手机"
        r"|(来了|进厂|进了厂|进来|进去)[^,;。\s]{0,3}(不能|不准|不许|不让)走(?!动|路|神|开|廊)"
        r"|(不准|不许|不让|不能)(和|跟|与)(外面|外人|家里|家人|别人)(联系|打电话|说话|接触)",
    ),
    (("封闭",), r"(?<!无尘)(?<!车间)(?<!厂房)封闭式?(管理|住宿|生活|化管理)"),
    (
        ("手机",),
        rf"(没收|收走|扣留|扣下|上交|统一保管|收缴|上缴|交出)[^,;。\s]{{0,3}}手机"
        rf"|手机{C}{{0,8}}(没收|收走|扣留|上交|统一保管|收缴|统一管理|交给|交由|交(到)?(前台|老板|主管|领班|带班|保安|公司))",
    ),
    (
        ("外出", "出门", "离厂", "出厂", "出去", "上街"),
        rf"(外出|出门|离厂|出厂|出去|上街){C}{{0,2}}(需|要|须|必须|得){C}{{0,6}}(同意|批准|陪同|跟随|跟着|带领|带着|报备|请示)"
        r"|(每月|每周|每个月)?(仅限|只能|只准|仅能|最多)外出(一|1|两|2)次",
    ),
    (
        ("满",),
        rf"(做满|干满|未满|不满|没干满|没做满){C}{{0,6}}(才能|才可以|才准|才(?=放)|方可|前不能|前不得|不得|不能|不准|不让|不许)"
        rf"{C}{{0,2}}(离职|辞职|离厂|走人|走|离开|回家|放人|放你走)",
    ),
    (
        ("锁",),
        r"(宿舍|厂门|大门|门)(晚上|夜里|下班后|24小时)?(上锁|锁门|锁上|反锁)|(关|锁)在(厂|宿舍|屋|房间|工地)",
    ),
    (("关在",), r"关在(厂|宿舍|屋|房间|工地)"),
    (
        ("看管", "看守", "看着", "盯着", "看住", "管着", "跑不"),
        r"(专人|有人|保安|打手)(看管|看守|看着|盯着)|(看着|看住|盯着|管着)[^,;。\s]{0,2}不(让)?(乱)?跑|跑不(了|掉|出去)",
    ),
    (("出不",), r"(进去|进来|来了|进了厂|进厂)[^,;。\s]{0,3}出不(来|去)"),
    (
        ("靠岸", "下船", "出海"),
        r"(一年|半年|几个月|[一二两三四五六七八九十\d]+个月)(都|也)?不(靠岸|下船|回来|上岸)",
    ),
    (("打骂", "殴打", "挨打", "自由"), r"打骂|殴打|挨打|限制(人身)?自由|人身自由(受限|限制)"),
    (("陪同", "跟着", "带着"), r"(由|须|需|要)(主管|组长|带班|班长|老板|管理员|保安)(陪同|跟着|带着)"),
)
# "上班期间不得外出" is work discipline; a clean room or a school's boarding rules are not confinement.
_WORK_HOURS = re.compile(rf"(上班|工作|值班|当班|班中|工作时间|上岗|生产|作业){C}{{0,4}}$")
_NOT_CONFINEMENT = re.compile(
    r"无尘|洁净|车间|厂房|学校|学生|校园|寄宿|小区|园区|疫情|军训|幼儿园|养老院|老人"
)

_RELEASE = (
    r"(才能|才可以|才准|才放|方可|之前不能|前不能|之前不得|前不得|之前不准|前不准|前不许|不能|不得|不准|不许)"
)
_DEBT = led(
    rf"(没有?|未)?(还清|还完|扣完|扣清|抵清|还上|扣够|还够){C}{{0,6}}{_RELEASE}{C}{{0,2}}(走|离职|离开|离厂|辞职|回家)"
    r"|(先借|预借|借给|借钱|借款|安家费)[^;!?。不]{0,12}(干活|做工|打工|上班|工资|工钱)[^,;!?。\s不]{0,3}(还|抵|扣)"
    r"|(垫付|先垫|垫|先出|先付|记账|赊账|挂账|借支)[^;!?。不]{0,14}?(从|在|用)?(以后|今后|之后|后面|日后|每月|第一个月|首月)?"
    r"的?(工资|工钱)(里|中|内)?[^,;!?。\s不]{0,3}(扣|抵|还)"
    rf"|(借款|欠款|债务?|欠的钱|欠账|欠公司|欠老板){C}{{0,6}}(抵|顶|扣){C}{{0,2}}(工资|工钱)"
    r"|(欠|借)了?(公司|老板|厂里)的?钱[^;!?。不]{0,6}(用|拿)(工资|工钱)(来)?(抵|还|扣|顶)"
    r"|(离职|辞职|不干了?|中途走|提前走)[^。;!?]{0,8}(交|赔|付|扣)[^。;!?]{0,4}(违约金|赔偿金|罚款)"
    r"|(违约金|赔偿金)[^。;!?]{0,6}(\d{3,}|[一二两三四五六七八九十百千万]{2,})"
    r"|(先|来了|到了|入职|进厂)[^,;!?。\s]{0,3}(打|写|签)(个|一张)?借条"
    r"|(提前|中途|没干满|没做满)[^,;!?。\s]{0,4}?(走|离开|离职|辞职)(?![^,;!?。\s]{0,6}(房贷|车贷|信用卡|花呗|借呗|网贷|贷款))"
    r"[^,;!?。\s]{0,6}(要|得|就要|就得)?(还钱|还债|赔钱|还借款|偿还|还款)"
    # a loan signed on the way in: 入职需签订借款协议
    r"|(入职|进厂|上班(?!族)|报到|上岗)[^,;!?。\s]{0,4}(签|签订|签署|写|打)(一份|个)?(借款|借贷|欠款)(协议|合同|单|条)"
    r"|以工(抵|还|偿)(债|款|账)|工资抵(债|账|欠款|借款)|先借后还|(打工|干活|做工)(还|抵)(债|钱|账)"
    r"|(路费|车费|车票|机票|中介费|介绍费|服务费|体检费|服装费)[^;!?。不]{0,10}(从|在)?(以后|之后|第一个月|首月)?"
    r"的?(工资|工钱)(里|中|内)?[^,;!?。\s不]{0,2}(扣|抵|还)",
)

_INTELLECT = led(
    r"智障|智力障碍|智力残疾|智力低下|智力缺陷|弱智|傻子|呆傻|憨傻|精神残疾|脑瘫|低能|痴呆|脑子有病|二傻|傻的|憨憨|憨子"
    r"|傻(一)?(点|些)(的)?(没事|没关系|不要紧|也|都)"
    r"|脑子有(点)?问题|精神(上)?(有点|有些)?问题|哑巴|聋哑(人)?(也|都)"
    rf"|智力{C}{{0,2}}(差|低|不好|不行|不太好|有问题|问题|欠缺|一般)"
    rf"|脑子{C}{{0,3}}(不太?|有点|不怎么|没那么)(灵活|好使|灵光|清楚|正常|聪明|够用)"
    r"|(反应|头脑|脑筋|脑子)[^,;!?。\s不]{0,2}(慢|迟钝|不灵)",
)
_HOMELESS = led(
    r"流浪(汉|人员|者|人|的)|乞讨(人员|者)|无家可归|身份不明|(没有?|无)(身份证|证件)[^,;!?。]{0,4}(也|都)(可以|行|收|要|能)"
    r"|黑户(也|都)?(可以|收|要)",
)
# Plain words for the homeless (没家的, 要饭的): a recruit only where the sentence speaks of work (a shelter
# or a charity meal says them too).
_HOMELESS_PLAIN = led(r"(?<!有)没(有)?家的|没地方去的|(要饭|讨饭)的|街上(那种|的)?(流浪|要饭|讨饭)")
_WORK = re.compile(
    r"干活|上班|工资|工钱|招|力气活|窑|工地|厂|搬|一个给你|一个人我给你|一个人给你|人头",
)
_ACCEPTED = re.compile(
    r"招|接收|收留|都收|也收|都要|也要|欢迎|也可以|也行|都可以|都行|可以|没关系|不要紧|不影响|包吃|管吃|有人带|带过来"
    r"|送过来|接送|代领|能干活|能干|会干活|有力气|力气活|出力|搬|带走|领走|送到|没事|弄过来|弄来|给我弄|都给我"
)
_REFUSED = re.compile(r"勿扰|不要(?!紧)|不收|谢绝|除外|不招|不考虑|恕不|免谈|者勿")
_CARE_WORK = re.compile(
    r"儿童|孩子|学生|康复|特教|特殊教育|护理|照顾|照料|陪护|患者|病人|教学|老师|托养|救助站|志愿者|关爱|帮扶|福利院"
)
# Disabled people employed as the law asks (残疾人就业条例): a welfare enterprise, or a contract with social
# insurance, or pay into the worker's own account. Exploitation says none of these.
_LAWFUL_EMPLOYMENT = re.compile(
    r"福利企业|劳动合同[^。;!?]{0,30}(社保|五险|保险)|(打入|发到|打到|转入)本人[^,;。]{0,2}(账户|银行卡|工资卡|卡)"
)
_DISABLED_HANDED_OVER = re.compile(
    r"残疾[^。;]{0,20}(有人带|带过来|送过来|统一接送|代领工资|工资(由|给|交)(家属|家人|介绍人|带队|工头|老板)"
    r"|家属[^。;]{0,4}交[^。;]{0,4}(介绍费|中介费)|工资[^。;]{0,6}(打给|给|交给)我)"
)


# Gates: each finder reads on only when one of its words is in the text (zhtext.scan.any_word).
_DOCUMENT_WORDS = any_word("身份证", "证件", "护照", "户口", "毕业证", "驾", "居住证", "暂住证", "通行证")
_WAGE_WORDS = any_word("工资", "工钱", "薪", "生活费", "银行卡", "零花钱", "饭钱")
_PAY_WORDS = any_word("工资", "工钱", "薪水", "劳务费", "钱")
_GANG_GATE = any_word(*_GANG_WORDS)
_DEBT_WORDS = any_word(
    "还", "扣", "抵", "垫", "先出", "先付", "记账", "赊账", "挂账", "借", "欠", "债", "预支"
)


def _kept(pattern: re.Pattern[str], text: str, exclude: re.Pattern[str]) -> list[Span]:
    return [
        Span(m.start(), m.end(), m.group())
        for m in affirmed(pattern, text)
        if not (
            exclude.search(m.group()) or _COPY_AFTER.match(text, m.end()) or asked_unanswered(text, m.end())
        )
    ]


def documents_kept(text: str) -> list[Span]:
    """ID cards, passports or certificates kept by the employer or agent (not copies, not checks)."""
    if not _DOCUMENT_WORDS.search(text):
        return []
    return _kept(_DOCS_KEPT, text, _OWN_KEEPING)


# Pay in one sum offered as the worker's choice beside monthly pay ("可以选择回国时一次性结清或按月发") holds
# nothing back.
_WORKER_CHOOSES = re.compile(
    r"(?<![不没无只])(可以?|能|自愿)(自行|自己)?选择[^。;!?]{0,12}(按月|每月|月结|月付)|(或|或者|也可以?)(按月|每月|月月|月结)"
)


def wages_withheld(text: str) -> list[Span]:
    """Wages held back: a month's pay kept, paid only at year end, deposit taken from pay, pay card kept."""
    if not _WAGE_WORDS.search(text):
        return []
    return [
        Span(m.start(), m.end(), m.group())
        for m in affirmed(_WAGES_HELD, text)
        if not _WORKER_CHOOSES.search(sentence_around(text, m.start(), m.end()))
        and not asked_unanswered(text, m.end())  # a question, unanswered or answered no
    ]


def wages_to_others(text: str) -> list[Span]:
    """Wages paid to a gang master, a relative or an agent instead of the worker."""
    if not _PAY_WORDS.search(text) or not _GANG_GATE.search(text):
        return []
    return [
        Span(m.start(), m.end(), m.group())
        for m in affirmed(_WAGES_TO_OTHERS, text)
        if _COLLECTED.search(m.group()) or not _OWN_ACCOUNT.match(text, m.end(), m.end() + 16)
    ]


# Pay handed out into the worker's own account ("工资由班组长统一发放到个人银行卡") goes to nobody else,
# unless the gang master collects or keeps it first ("由工头统一领取,再打到个人卡上").
_OWN_ACCOUNT = re.compile(
    r"[^。;!?\n]{0,4}(个人|本人|自己|员工|工人)的?(名下)?的?(银行卡|工资卡|银行账户|账户|卡)"
)
_COLLECTED = re.compile(r"领|收|管|结算|扣")


_LEAVE_WORDS = (
    *("离", "外出", "出厂", "出门", "出去", "上街", "回家", "辞职", "请假", "走人"),
    *("封闭", "手机", "锁", "看管", "看守", "盯着", "自由", "做满", "干满", "未满"),
    *("不满", "没干满", "没做满", "出来", "跑", "靠岸", "下船", "出海"),
    *("不能走", "不准走", "不许走", "不让走"),  # 来了就不能走
    # the gates of _NO_LEAVE's parts that the words above do not cover (打骂, 有人看着 were never read)
    *("看着", "看住", "管着", "出不", "关在", "打骂", "殴打", "挨打", "陪同", "跟着", "带着"),
)


_LEAVE_GATE = any_word(*_LEAVE_WORDS)


# A worker asking whether a rule is confinement ("这算限制人身自由吗?"): the sentence is a question about it.
_ASKED_WHETHER = re.compile(r"(这算|算不算|这叫)[^。;!]{0,16}(吗|\?)")


def confinement(text: str) -> list[Span]:
    """Workers may not leave: locked dormitories, no going out, phones taken, no quitting before a term."""
    if not _LEAVE_GATE.search(text):
        return []
    out = []
    for match in affirmed(_NO_LEAVE, text):
        if _WORK_HOURS.search(text, max(0, match.start() - 8), match.start()):
            continue
        whether = _ASKED_WHETHER.search(sentence_around(text, match.start(), match.end(), 20, 24))
        if whether or asked(text, match.end()):
            continue
        if "封闭" in match.group() and _NOT_CONFINEMENT.search(
            sentence_around(text, match.start(), match.end())
        ):
            continue
        out.append(Span(match.start(), match.end(), match.group()))
    return out


def debt_bondage(text: str) -> list[Span]:
    """Work against a debt: fares or fees advanced and taken from pay, no leaving until it is repaid."""
    if not _DEBT_WORDS.search(text):
        return []
    return [Span(m.start(), m.end(), m.group()) for m in affirmed(_DEBT, text)]


def vulnerable_recruits(text: str) -> list[Span]:
    """Recruits intellectually disabled or homeless people, or disabled people handed over by others.

    Welcoming disabled applicants to ordinary work ("肢体残疾也可以") or refusing them stays quiet, as does
    care or teaching work for disabled people ("照顾智障儿童").
    """
    out = []
    for pattern in (_INTELLECT, _HOMELESS, _HOMELESS_PLAIN):
        for match in affirmed(pattern, text):
            around = sentence_around(text, match.start(), match.end(), 16, 18)
            if pattern is _HOMELESS_PLAIN and not _WORK.search(around):
                continue
            if _ACCEPTED.search(around) and not _REFUSED.search(around) and not _CARE_WORK.search(around):
                out.append(Span(match.start(), match.end(), match.group()))
    if out and _LAWFUL_EMPLOYMENT.search(text):  # asked only where a reading was found (rare): it scans long
        out = []
    if "残疾" in text:
        out += [Span(m.start(), m.end(), m.group()) for m in affirmed(_DISABLED_HANDED_OVER, text)]
    return out
