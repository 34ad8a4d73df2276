"""Marriage-broker facts: cross-border bride trade, brides under 20, guarantees, selling a marriage.

Spans on folded, lower-cased text (zhtext.fold).
"""

from __future__ import annotations

import re

from zhtext.law.context import CLAUSE, Gated, affirmed
from zhtext.numerals import cn_to_range
from zhtext.scan import any_word, led
from zhtext.spans import Span

_COUNTRIES = (
    "越南|缅甸|老挝|柬埔寨|巴基斯坦|尼泊尔|孟加拉|印尼|印度尼西亚|朝鲜|菲律宾|泰国|乌克兰|俄罗斯|白俄罗斯|蒙古|哈萨克"
    "|东南亚|越|缅|老挝|柬|河内|胡志明|海防|金边|仰光|曼德勒|万象|伊斯兰堡|加德满都"
    "|粤南|月南|越喃|(?<![a-z])yn(?![a-z])"  # written to slip past filters
)
_BRIDE_WORDS = r"(新娘|媳妇儿?|老婆|lp|姻缘|良缘|姑娘|女孩子?|美女|妹子|妹妹|妹|女人|女子|少女|女方|婚姻|婚介|相亲|婚恋|嫁|娶|闪婚|对象|佳丽)"
_CROSS_BORDER = led(
    rf"({_COUNTRIES}|外籍|外国|跨国|涉外|境外|异国)[^,。;!?]{{0,4}}{_BRIDE_WORDS}"
    rf"|(娶|找|介绍|带|领)[^,。;!?]{{0,3}}({_COUNTRIES}|外籍|外国|境外)[^,。;!?]{{0,3}}(新娘|媳妇|老婆|姑娘|女孩|妹子|美女)?"
    r"|(越南|缅甸|老挝|柬埔寨)(妹|女|新娘|媳妇|姑娘|老婆|lp)"
    rf"|(妹妹|姑娘|女孩|妹子|美女)[^。;!?]{{0,10}}({_COUNTRIES})(那边|那里)?(的|来的|过来的|人)"
    rf"|({_COUNTRIES})[^。;!?]{{0,12}}(货源|看人|挑人|现货|随时可以看|包?带回|到手|到家|来一批|一批|新到)"
    rf"|({_COUNTRIES})的?(渠道|路子|门路|资源)[^。;!?]{{0,12}}{_BRIDE_WORDS}"
    rf"|(老婆|媳妇|新娘|对象)[^。;!?]{{0,6}}({_COUNTRIES})(的|人|籍|姑娘|妹)"
    r"|洋媳妇|外国媳妇|外国老婆|外籍老婆|跨国相亲团|出国相亲|出国看人|出国找老婆|涉外婚介",
)
_COUNTRY_GATE = led(rf"{_COUNTRIES}|外籍|外国|跨国|涉外|境外|异国|出国")
# Brokering is for profit (涉外婚姻介绍 as a business is banned): a price, a fee, or an offer to be contacted.
# A couple's own story or a registration guide names a foreign spouse with none of these.
_OFFERED = led(
    r"\d+(\.\d+)?\s*(万|w|k|千|元|块)|[一二两三四五六七八九十]+(万|千)|费|价|全包|包办|一条龙|手续|礼金|彩礼"
    r"|一站式|(可|任|随便|随意|随你)挑选|现有(\d+|[一二两三四五六七八九十几多]+)(多)?(个|位|名)|私我|私信|私聊|加我|联系|咨询|报名|名额|微信|威信|薇|vx|v信|qq|扣扣|电话|有意|想要|需要的|有需要|看人|挑人|带回|带队|转给"
    r"|快速|速配|速成|包(?!括)|保证|成功率|上门|资源|货源|娶|安排|想去的|位置|私(?=$|[,。!\s])|贵(一点|一些|些|点)|便宜|尾款|定金|渠道|路子|门路|聊聊"
)
# A translator or a registration office that says it brokers nothing.
_NO_BROKERING = re.compile(
    r"(不做|不提供|不从事|不搞)(涉外|外籍|跨国|国际)?(婚姻)?(介绍|婚介)|不介绍对象|没有中介|没找中介|没通过中介|自由恋爱|自己谈的"
)
_NEWS = re.compile(
    r"警惕|谨防|骗局|诈骗|提醒|依法|登记服务|指南|民政局|公安|打击|查处|被骗|案件|判处|(?<!相亲)旅游|签证办理"
    r"|登记机关|登记处|须知|民政部门|民政厅"
)
_GUARANTEED = led(
    r"包成功|包说成|包谈成|包娶|包结婚|包领证|包脱单|包到结婚|包到手|保证成功|百分百成功|100%成功|包过|包退换|包找回|包换人|包补|包赔"
    r"|(不成功|不成|成不了|没成)[^,;。\s]{0,2}(不收|全额|退|包退|不要钱)|娶不到[^,;。\s]{0,3}(不收|退)|娶到为止|保证[^,;。\s]{0,6}(订婚|结婚|领证|娶到|成功)"
    r"|(跑了|逃跑|跑掉|跑路|离开)[^,;。\s]{0,4}(包补|包赔|包找|负责找回|再送|补一个|换一个|免费补)"
    r"|((\d+|[一二两三四五六七八九十]{1,3})(天|个月|周)|(?<![上下前后这那])半个?月)[^,;。\s]{0,3}(领证|结婚|带回家|娶回家|接回家)"
    r"|人(不到|没到)[^,;。\s]{0,3}(不收|不付|不交)[^,;。\s]{0,2}(尾款|余款|钱)|(人到|见到人|见人)[^,;。\s]{0,3}(再付|再给|付|结清)[^,;。\s]{0,2}(尾款|余款|剩下)"
    r"|保证[^,;。\s]{0,6}牵手|包找到|包你满意|(人)?(直接)?送到家|包到家|保证[^,;。\s]{0,10}(确定关系|见到|找到)|看不(中|上)[^,;。\s]{0,6}(免费|再换|再去)|(当天|当场|现场|立即|马上)[^,;。\s]{0,4}(带走|领走|带回家|娶回家|跟你走|跟你回家)",
)
_VIRGIN = re.compile(r"处女|黄花闺女|未婚处|原装|没谈过恋爱的?姑娘|纯洁少女")
_BUYING = led(
    r"买(个|一个)?(媳妇|老婆|新娘)|卖(媳妇|老婆|女儿)|(媳妇|老婆|新娘)[^,;。\s]{0,4}(价格|明码标价|报价|多少钱)"
    r"|看人团|(不满意|不喜欢|看不上|不中意)[^,;。\s]{0,3}(可以|可|能|就|随便)?换(人|一个)?|满意(当场|当天|现场)(定|带走|领走)"
    r"|(随便|任意|任|随你)挑|挑(了|中)(个|一个)[^,;。\s]{0,6}(岁|的)"
    r"|(看中|看上|相中|选中)(了)?(哪个|哪一个|的)?[^,;。\s]{0,4}(付款|交钱|打钱|定金|打在公屏|拍板|带走|领走)"
    r"|定金[^,;。\s]{0,4}锁人|锁人|(选|挑)一个|退回来了|空出来了|(谁要|(?<!需)(?<!想)要的)[^,;。\s]{0,3}(赶紧|抓紧|私|联系|早点说|快说|吱声)"
    r"|(看|挑)(二三十|几十|十几|[二三四五六七八九十]+)个"
    r"|(姑娘|妹子|女孩|美女|新娘)[^,;。\s]{0,2}(还有|还剩|就剩|只剩)[^,;。\s]{0,2}(个|位)",
)
# A woman sold, in the ways the third hand-written set showed (tests/zhtext/test_written_as_people_write.py):
# each part is tried only when one of its words is in the post, so most job ads pay for none of them.
_SOLD = Gated(
    (  # priced by age: 年纪小的贵一点, 十八的那个稍微贵一点
        (
            "的贵",
            "贵一",
            "贵点",
            "贵些",
            "稍贵",
            "稍微贵",
            "要贵",
            "越贵",
            "价钱高",
            "价高",
            "加钱",
            "多收",
            "另加",
        ),
        r"(年纪|岁数|年龄)?(小|轻)的[^,;。\s]{0,4}(贵|价钱?高|加钱|多收|另加)"
        r"|(?<![\d一二三四五六七八九十])(1\d|十[一二三四五六七八九])的(那个)?[^,;。\s]{0,3}(贵|价钱?高|加钱|多收|另加)"
        r"|越(小|年轻)越贵",
    ),
    (  # handed over for a sum: 六万就跟你过日子, 五万拿走
        ("跟你", "跟着你", "拿走", "带走", "领走", "领回家", "带回家"),
        r"(\d|[一二两三四五六七八九十])\s*(万|w)[^,;。\s]{0,3}(就)?(跟你|跟着你)(过日子|走|回家)"
        r"|(\d|[一二两三四五六七八九十])\s*(万|w)[^,;。\s]{0,2}(拿走|带走|领走|领回家|带回家)",
    ),
    (
        ("看中", "看上", "相中", "选中", "挑中"),
        r"(看中|看上|相中|选中|挑中)(了)?(哪个|哪一个|谁)(就)?(带|领|娶)(哪个|谁|走|回)",
    ),
    (("直接带走", "直接领走"), r"人[^,;。\s]{0,4}直接(带走|领走)"),
    (("锁住", "锁定"), r"(把人|人)[^,;。\s]{0,3}锁(住|定)"),
    (
        ("不会跑", "跑不了", "跑不掉"),
        r"(姑娘|女的|妹子|媳妇|老婆|女人|lp)[^。;!?]{0,12}(不会跑|跑不了|跑不掉)",
    ),
    (
        ("不想要了", "不要了", "转让", "出手"),
        r"(不想要了|不要了)[^。;!?]{0,6}(转给|转让|出给)|(老婆|媳妇|lp)[^,;。\s]{0,6}(转让|出手)",
    ),
    (  # the broker collects or shares the bride price (借婚姻索取财物)
        ("彩礼", "礼金", "媒人", "红娘"),
        r"彩礼[^。;!?]{0,6}(我|我们|中介|媒人|介绍人|红娘)(这边|这里)?(统一|先|代)?(收|代收|保管)"
        r"|(我|我们|中介|媒人|介绍人|红娘)(留|抽|拿|提|扣)([一二三四五六七八九两]|\d)成"
        r"|(彩礼|礼金)[^。;!?]{0,16}(我们|我|中介|平台)(再|另|额外|还)(收|加收|要)[^,;。]{0,4}(服务费|介绍费|中介费|手续费)"
        r"|彩礼[^。;!?]{0,4}(大家|一起|平|对半|五五)分",
    ),
    (  # a fake marriage for the bride price (骗婚)
        ("真结婚", "真的结婚", "真嫁", "假结婚", "找机会"),
        r"(不用|不需要|不是)真(的)?(结婚|嫁)|假结婚|找机会(走人|跑|溜)",
    ),
)
_AGE = re.compile(
    r"(?:二十|20)(?:岁|周岁)?(?:以下|不到|未满)"  # first: "二十岁以下" is under 20, not 20
    r"|(\d{2}|十[一二三四五六七八九]|[一二]十[一二三四五六七八九]?|十[一二三四五六七八九][一二三四五六七八九])\s*(?:-\d{2})?\s*周?岁"
    r"|(?:刚满|才满|年方|芳龄|刚刚)(\d{2}|十[一二三四五六七八九]|[一二]十[一二三四五六七八九]?)"
    r"|(?:(?<=有)|(?<=个)|(?<=個)|(?<=年纪小的)|(?<=最小的)|(?:姑娘|妹子|女孩|新娘|媳妇)[,:]?)"
    r"(1\d|十[一二三四五六七八九][一二三四五六七八九]?)(?=的|也有|,|岁)"
    # 今年刚17, 才十八: an age without 岁 (not 才10万, 刚15天)
    r"|(?:今年|刚|才)(?:刚|才|满)?(1\d|十[一二三四五六七八九])(?=$|[,。!?;\s的也就还])"
)
_BRIDE = re.compile(
    r"新娘|姑娘|女孩子?|美女|媳妇|少女|老婆|女方|妹子|妹妹|闺女|女儿|(挑|相中|看中|选)了?(个|一个)|嫁"
    r"|好看|漂亮|水灵|懂事|听话|老实|朴实|本分|能吃苦"
)
_MARRIAGE = re.compile(
    r"新娘|嫁|娶|媳妇|老婆|彩礼|礼金|婆家|相亲|订婚|领证|婚介|红娘|征婚|结婚|婚姻|闪婚|对象|单身|脱单|女方|男方"
)
_AMOUNT = led(
    r"(\d+(?:\.\d+)?)\s*(万|w|千|k|元)|([一二两三四五六七八九十]{1,3})(万|千)",
)
_FEE_WORD = re.compile(
    r"(?<!免)(?<!加班)(?<!高温)(?<!过节)(?<!降温)(?<!经)费|押金|保证金|礼金|彩礼|收取|交(?!通|流)|缴|付(?!出)|价|定金|全包|包办|打包|一口价|花了|只要|仅需"
    r"|总共|一共|共计|合计|到手|带回|下来|一条龙|就行"
)
# "彩礼手续一共十个": 个 for 万 after a total or a bride price.
_TENS_OF_THOUSANDS = led(
    r"(?<=总共|一共|共计|全包|彩礼|礼金|手续)[^,;。\s\d]{0,2}?(\d{1,2}|[一二两三四五六七八九十]{1,3})个(?!月|人|名|小时|工作日|女|姑娘|妹)"
)
_PAY_RANGE = re.compile(r"\s*(-|~|至|到)\s*\d|·?\d{2}薪")
_PAY_RANGE_END = re.compile(r"\d(\.\d+)?\s*(k|w|千|万)?\s*(-|~|至)\s*$")
_PAY_AROUND = re.compile(r"薪|工资|收入|待遇|提成|保底|奖金|月入|年入")
_UNIT = {"万": 10_000.0, "w": 10_000.0, "k": 1_000.0, "千": 1_000.0, "元": 1.0}


def _number(numeral: str) -> int | None:
    """12 -> 12, 十六 -> 16, 十七八 / 七八 -> 17 / 7 (the lower of a pair); None for no number (十十六)."""
    if numeral.isdigit():
        return int(numeral)
    pair = cn_to_range(numeral)
    return None if pair is None else pair[0]


def cross_border_brides(text: str) -> list[Span]:
    """Foreign brides offered (越南新娘, 娶缅甸老婆, 外籍媳妇), not news, warnings or registration guides."""
    if not _COUNTRY_GATE.search(text) or not _OFFERED.search(text) or _NO_BROKERING.search(text):
        return []
    out = []
    for match in affirmed(_CROSS_BORDER, text):
        window = text[max(0, match.start() - 30) : match.end() + 30]
        if not _NEWS.search(window):
            out.append(Span(match.start(), match.end(), match.group()))
    return out


def brides_under_20(text: str) -> list[Span]:
    """A bride's age under the legal marriage age of 20 near a bride word, in a marriage context."""
    if not _MARRIAGE.search(text):
        return []
    out = []
    for match in _AGE.finditer(text):
        numeral = match.group(1) or match.group(2) or match.group(3) or match.group(4)
        age = _number(numeral) if numeral else 19  # 二十岁以下, 二十不到
        if age is None:
            continue
        window = text[max(0, match.start() - 10) : match.end() + 10]
        if 10 <= age < 20 and _BRIDE.search(window) and not _NEWS.search(window):
            out.append(Span(match.start(), match.end(), match.group()))
    return out


_GUARANTEE_WORDS = (
    *("保证", "成功", "娶", "跑", "逃", "领证", "结婚", "带回", "娶回", "接回", "不成", "成不了"),
    *(
        "包成功",
        "包娶",
        "包结婚",
        "包领证",
        "包脱单",
        "包到",
        "包过",
        "包退换",
        "包找",
        "包换人",
        "包补",
        "包赔",
    ),
    *("带走", "领走", "跟你走", "跟你回家", "送到家", "到家", "满意", "看不"),
    *("包说成", "包谈成", "尾款", "余款"),
)


_GUARANTEE_GATE = any_word(*_GUARANTEE_WORDS)


def guarantees(text: str) -> list[Span]:
    """Success promised (包成功, 娶不到退款, 跑了包补, 三个月领证): a marriage sold, not brokered."""
    if not _GUARANTEE_GATE.search(text):
        return []
    return [Span(m.start(), m.end(), m.group()) for m in affirmed(_GUARANTEED, text)]


_VIRGIN_WORDS = any_word("处", "黄花", "原装", "纯洁", "没谈过")


def virginity(text: str) -> list[Span]:
    """Virginity used as a selling point."""
    if not _VIRGIN_WORDS.search(text):
        return []
    marriage = bool(_MARRIAGE_WORDS.search(text))  # 原装腰果 is a product
    return [
        Span(m.start(), m.end(), m.group())
        for m in affirmed(_VIRGIN, text)
        if marriage or m.group() != "原装"
    ]


# Money before a date or a meeting in a marriage post: 借婚姻索取财物, or a 婚托's bait.
_PAY_TO_MEET = led(
    r"先(转|交|付|打)[^,;。\s]{0,8}(见面礼|见面费|诚意金|路费|红包)"
    r"|(见面礼|见面费|诚意金)[^,;。\s]{0,8}(才能|才|再)[^,;。\s]{0,2}(见面|见|约)"
    r"|(当天|当场)见面[^,;。\s]{0,2}(当天|当场)?(领证|结婚)"
)
_BUYING_WORDS = any_word(
    "买",
    "卖",
    "价",
    "多少钱",
    "换亲",
    "包办",
    "挑",
    "选妃",
    "看中",
    "相中",
    "带走",
    "领走",
    "带回",
    "换",
    "满意",
    "看上",
    "选中",
    "锁人",
    "选一个",
    "挑一个",
    "退回来",
    "空出来",
    "谁要",
    "要的",
    "看人",
    *(f"{look}{n}" for look in ("看", "挑") for n in "二三四五六七八九十几"),
    "还有",
    "还剩",
    "就剩",
    "只剩",
)


def bride_buying(text: str) -> list[Span]:
    """A wife priced or bought (买媳妇, 新娘明码标价), or money asked before a meeting in a marriage post."""
    found = _priced(text)
    if any(w in text for w in ("见面", "诚意金")) and _MARRIAGE_WORDS.search(text):
        found += [Span(m.start(), m.end(), m.group()) for m in affirmed(_PAY_TO_MEET, text)]
    return found


def _priced(text: str) -> list[Span]:
    found = [] if not _BUYING_WORDS.search(text) else list(affirmed(_BUYING, text))
    found += affirmed(_SOLD, text)
    found.sort(key=lambda m: (m.start(), -m.end()))
    return [Span(m.start(), m.end(), m.group()) for m in found]


_SHOP_WORDS = re.compile(r"直播|原石|翡翠|和田玉|拍下|下单|包邮|宝贝|链接|老铁|房源|首付|车型|商品|店铺")
_JOB_AD = re.compile(r"招聘|招工|岗位|职位|入职|月薪|底薪|上班|应聘|求职|培训|工资|普工|劳务")
_MARRIAGE_WORDS = re.compile(
    r"婚|相亲|新娘|红娘|嫁|娶|媳妇|老婆|脱单|彩礼|牵手|对象|交友|女方|男方|姑娘|女孩|佳丽|女嘉宾|征婚|少妇"
)


def large_sums(text: str, floor: float = 10_000.0) -> list[Span]:
    """A fee, price or bride price of FLOOR yuan or more (a fee word within 6 characters; pay excluded)."""
    marriage = bool(_MARRIAGE_WORDS.search(text))
    if not marriage and (_SHOP_WORDS.search(text) or _JOB_AD.search(text)):
        return []  # a price in a shop, a jade live stream or a job ad is not a bride price
    out = []
    for match in _AMOUNT.finditer(text):
        count = float(match.group(1)) if match.group(1) else _number(match.group(3))
        if count is None:
            continue
        value = count * _UNIT[match.group(2) or match.group(4)]
        if value < floor or re.match(r"\s*(元)?\s*/\s*(月|年|天|日|小时|单)", text[match.end() :]):
            continue
        if not marriage and (
            _PAY_RANGE.match(text, match.end())
            or _PAY_RANGE_END.search(text, max(0, match.start() - 8), match.start())
        ):
            continue  # a pay range with no word of marriage ("1-2万·13薪", "15k-25k") is a salary
        if _PAY_AROUND.search(text, max(0, match.start() - 8), match.start()):
            continue
        if _FEE_WORD.search(text, max(0, match.start() - 6), match.end() + 6):
            out.append(Span(match.start(), match.end(), match.group()))
    if marriage and "个" in text:
        for match in _TENS_OF_THOUSANDS.finditer(text):
            count = _number(match.group(1))
            if count is not None and count * 10_000.0 >= floor:
                out.append(Span(match.start(), match.end(), match.group()))
    return out


__all__ = [
    "CLAUSE",
    "bride_buying",
    "brides_under_20",
    "cross_border_brides",
    "guarantees",
    "large_sums",
    "virginity",
]
