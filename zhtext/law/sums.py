"""Sums of money in marriage posts: a fee, a price or a bride price of ten thousand yuan or more, in the
ways posters write them (八万八, 十二w, 六个w, 三五万, 三百万日元), not pay and not a shop's prices.

Spans on folded, lower-cased text (zhtext.fold).
"""

from __future__ import annotations

import re

from zhtext.numerals import cn_to_int, cn_to_range
from zhtext.scan import led
from zhtext.spans import Span

_AMOUNT = led(
    # 个 only before 万 or w: "六个w", "3个万"
    r"(\d+(?:\.\d+)?)\s*(?:个(?=万|w))?(万|w|千|k|元)|([一二两三四五六七八九十][一二两三四五六七八九十百]{0,3})(?:个(?=万|w))?(万|千|w)",
)
_FEE_WORD = re.compile(
    r"(?<!免)(?<!加班)(?<!高温)(?<!过节)(?<!降温)(?<!经)费|押金|保证金|礼金|彩礼|收取|交(?!通|流)|缴|付(?!出)|价|定金|全包|包办|打包|一口价|花了|只要|仅需"
    r"|诚意金|意向金|订金|打过来|打款|茶水|辛苦钱"
    r"|总共|一共|共计|合计|到手|带回|下来|一条龙|就行"
)
# "彩礼手续一共十个": 个 for 万 after a total or a bride price.
_TENS_OF_THOUSANDS = led(
    r"(?<=总共|一共|共计|全包|彩礼|礼金|手续)[^,;。\s\d]{0,2}?(\d{1,2}|[一二两三四五六七八九十]{1,3})个(?!月|人|名|小时|工作日|女|姑娘|妹|万|w)"
)
_PAY_RANGE = re.compile(r"\s*(-|~|至|到)\s*\d|·?\d{2}薪")
_PAY_RANGE_END = re.compile(r"\d(\.\d+)?\s*(k|w|千|万)?\s*(-|~|至)\s*$")
_PAY_AROUND = re.compile(r"薪|工资|收入|待遇|提成|保底|奖金|月入|年入")
_UNIT = {"万": 10_000.0, "w": 10_000.0, "k": 1_000.0, "千": 1_000.0, "元": 1.0}


def number(numeral: str) -> int | None:
    """12 -> 12, 十六 -> 16, 十七八 / 七八 -> 17 / 7 (the lower of a pair); None for no number (十十六)."""
    if numeral.isdigit():
        return int(numeral)
    pair = cn_to_range(numeral)
    if pair is None and len(numeral) == 2:  # 三五万: "three to five", the lower
        low, high = cn_to_int(numeral[0]), cn_to_int(numeral[1])
        return low if low and high and low < high <= 9 else None
    return None if pair is None else pair[0]


SHOP_WORDS = re.compile(
    r"直播|原石|翡翠|和田玉|拍下|下单|包邮|宝贝|链接|老铁|房源|首付|车型|商品|店铺|特价|原价|现价|促销|优惠价"
)
JOB_AD = re.compile(r"招聘|招工|岗位|职位|入职|月薪|底薪|上班|应聘|求职|培训|工资|普工|劳务|进厂|厂里|工厂")
# Words of marriage that a job ad also uses of its applicants (已婚已育, 已成家优先): not enough, in a job
# ad, to make it a marriage post.
_APPLICANT_STATUS = re.compile(r"已婚|已育|已成家|成家的?优先|夫妻工|夫妻房")
MARRIAGE_WORDS = re.compile(
    r"婚|相亲|新娘|红娘|嫁|娶|媳妇|老婆|脱单|彩礼|牵手|对象|交友|女方|男方|姑娘|女孩|佳丽|女嘉宾|征婚|少妇|光棍(?!节)|剩男"
    r"|领证|扯证|过门|成家|说个?亲|提亲|办酒|酒席"
)


def about_marriage(text: str) -> bool:
    """TEXT speaks of marriage: a word of it (MARRIAGE_WORDS), and in a job ad more than an applicant's
    status (已婚已育优先)."""
    if not MARRIAGE_WORDS.search(text):
        return False
    return not JOB_AD.search(text) or bool(MARRIAGE_WORDS.search(_APPLICANT_STATUS.sub("", text)))


# Two families' own bride price (我妈说彩礼要二十八万, 他爸妈来提亲): custom, with no one selling a marriage.
_FAMILIES = re.compile(r"我妈|他妈|他爸|爸妈|父母|婆婆|丈母娘|女方家|男方家|娘家|婆家|亲家|提亲|两家|家里")
_BROKERED = re.compile(
    r"中介|介绍费|介绍人|红娘|媒人|服务费|手续|全包|包办|代办|定金|签约|套餐|私我|私信|加我|联系我|联系方式|请联系|微信|v信|vx|渠道"
    r"|人到|付款|尾款|领证|带走|带回|领走"
)


def _families_own(text: str) -> bool:
    """TEXT speaks of two families' own bride price, with no word of a broker or of being contacted."""
    return "彩礼" in text and bool(_FAMILIES.search(text)) and not _BROKERED.search(text)


def large_sums(text: str, floor: float = 10_000.0) -> list[Span]:
    """A fee, price or bride price of FLOOR yuan or more (a fee word within 6 characters; pay excluded).

    Two families' own bride price, with no broker or contact named, is custom: no sum is read."""
    marriage = about_marriage(text)
    if not marriage and (SHOP_WORDS.search(text) or JOB_AD.search(text)):
        return []  # a price in a shop, a jade live stream or a job ad is not a bride price
    if marriage and _families_own(text):
        return []
    out = []
    for match in _AMOUNT.finditer(text):
        count = float(match.group(1)) if match.group(1) else number(match.group(3))
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
            count = number(match.group(1))
            if count is not None and count * 10_000.0 >= floor:
                out.append(Span(match.start(), match.end(), match.group()))
    return out


__all__ = ["JOB_AD", "MARRIAGE_WORDS", "SHOP_WORDS", "about_marriage", "large_sums", "number"]
