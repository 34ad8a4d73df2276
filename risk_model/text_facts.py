"""Facts read from folded ad text for the indicators: ages, monthly pay, and whether a phrase is denied.

Texts are folded first (store.text.fold_text, lower-cased): full-width punctuation is ASCII (",", ":",
";", "!", "(") and line breaks inside a field are spaces, so a clause ends at , ; ! ? 。 or whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from zhtext.spans import Span

CLAUSE = r"[^,;!?。\s]"  # one character that stays inside a clause
AFFIRMED = r"[^,;!?。\s不无没非勿]"  # the same, but no negation: "工资不压" is no withholding
_SENTENCE_END = re.compile(r"[;!?。\n]")

# A denial just before a phrase turns it into a promise: "不压工资", "严禁扣押身份证", "不以任何名义扣押".
_DENIED = re.compile(
    r"(不|无|没有|没|绝不|从不|决不|严禁|禁止|杜绝|拒绝|谨防|防止|举报|不会|不存在|非)"
    rf"{CLAUSE}{{0,6}}$"
)
# A sentence warning applicants about the practice: "交钱或扣押证件都不靠谱", "谨防黑中介".
_WARNING = re.compile(r"不靠谱|骗子|骗局|诈骗|谨防|小心|警惕|黑中介|举报|投诉|违法|上当")


def affirmed(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of pattern that are neither denied within their clause nor part of a warning."""
    for match in pattern.finditer(text):
        if _DENIED.search(text, max(0, match.start() - 9), match.start()):
            continue
        if not _WARNING.search(sentence_around(text, match.start(), match.end())):
            yield match


def sentence_around(text: str, start: int, end: int, before: int = 12, after: int = 14) -> str:
    """The text around [start, end), cut at the sentence ends on either side."""
    head = text[max(0, start - before) : start]
    tail = text[end : end + after]
    head = _SENTENCE_END.split(head)[-1]
    tail = _SENTENCE_END.split(tail)[0]
    return head + text[start:end] + tail


_UNDER_16_WORDS = re.compile(
    r"童工|未满16|不满16|未满十六|不满十六|初中未毕业|初中在读|在读初中|初中生|初二|初三|小学毕业|未成年人?(也|都)?(可以|可|行|收|要)"
)

# --- ages --------------------------------------------------------------------------------------------

_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_BEFORE_AGE = re.compile(r"[一二两三四五六七八九十]周?岁")
_CN_AGE = re.compile(
    r"([一二两三四五六七八九十]{1,3})(?=周?岁|\s*(?:-|~|至|到)\s*[一二两三四五六七八九十\d]{1,3}\s*周?岁)"
)


def _cn_age(numeral: str) -> str:
    """十四 -> 14, 二十五 -> 25, 五 -> 5; 十四五 (fourteen or fifteen) -> the range 14-15."""
    if len(numeral) == 3 and numeral[0] == "十" and "十" not in numeral[1:]:
        return f"1{_CN_DIGIT[numeral[1]]}-1{_CN_DIGIT[numeral[2]]}"
    if "十" not in numeral:
        return str(_CN_DIGIT[numeral]) if len(numeral) == 1 else numeral
    tens, _, units = numeral.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return numeral
    return str(_CN_DIGIT.get(tens, 1) * 10 + _CN_DIGIT.get(units, 0))


def arabic_ages(text: str) -> str:
    """Chinese-numeral ages written as digits: 十四岁 -> 14岁, 十四五岁 -> 14-15岁."""
    return _CN_AGE.sub(lambda m: _cn_age(m.group(1)), text) if _CN_BEFORE_AGE.search(text) else text


_DASH = r"\s*(?:-|~|至|到|—|－)\s*"
_AGE_RANGE = re.compile(rf"(\d{{1,2}}){_DASH}(\d{{1,2}})\s*周?岁")
_AGE_LABELLED = re.compile(
    rf"(?:年龄|岁数)[^\d,;。]{{0,3}}(\d{{1,2}})(?:\s*周?岁)?(?:{_DASH}\d{{1,2}}|\s*(?:以上|起))"
    rf"|(?:年龄|岁数)[^\d,;。]{{0,3}}(\d{{1,2}})\s*周?岁(?!\s*(?:以下|以内|之内)|{_DASH}\d)"  # "年龄十四岁"
)
_AGE_FLOOR = re.compile(
    r"(?:年满|满)\s*(\d{1,2})\s*周?岁"
    r"|(\d{1,2})\s*周?岁\s*(?:以上|即可|就行|就可以|也可以|也行|也收|都要|都收|起)"
)
_AGE_PAIR = re.compile(r"(1\d)\s*[、和或]\s*(1\d)\s*周?岁")
# An age that describes the people served, not the worker ("辅导6-12岁学生", "照顾0-3岁宝宝").
_CLIENT_BEFORE = re.compile(
    rf"(教|辅导|照顾|照看|陪伴|看护|托管|带娃|招生|学员){CLAUSE}{{0,4}}$"
    r"|(青少年|青少儿|少儿|儿童|幼儿|宝宝|孩子|小朋友)[(（]?$"
)
_CLIENT_AFTER = re.compile(r"^\S{0,2}(儿童|幼儿|宝宝|婴儿|婴幼儿|少儿|小朋友|学员|的孩子|孩子)")
_REFUSED_AFTER = re.compile(rf"^{CLAUSE}{{0,6}}(勿扰|不招|不收|不要|谢绝|除外|免谈|不予|一律不|禁止)")


def refused(text: str, end: int) -> bool:
    """The phrase ending at `end` is refused right after it ("未满16周岁勿扰", "14岁以下不招")."""
    return bool(_REFUSED_AFTER.search(text[end : end + 8]))


def _worker_age(text: str, match: re.Match[str]) -> bool:
    """The age describes the applicant and is not refused ("14岁以下勿扰")."""
    before = text[max(0, match.start() - 8) : match.start()]
    after = text[match.end() : match.end() + 8]
    return not (_CLIENT_BEFORE.search(before) or _CLIENT_AFTER.search(after) or _REFUSED_AFTER.search(after))


def applicant_age_floors(text: str) -> list[int]:
    """Lowest ages an ad accepts (ranges, floors, "14、15岁"), Chinese numerals read, 5-70 only."""
    if "岁" not in text and "年龄" not in text:  # cheap gate: every age pattern needs one of them
        return []
    text = arabic_ages(text)
    ages: list[int] = []
    for pattern in (_AGE_RANGE, _AGE_LABELLED, _AGE_FLOOR, _AGE_PAIR):
        for match in pattern.finditer(text):
            if _worker_age(text, match):
                ages.append(int(next(group for group in match.groups() if group)))
    return [age for age in ages if 5 <= age <= 70]


# --- pay -----------------------------------------------------------------------------------------------

DAYS_PER_MONTH = 21.75  # 劳社部发〔2008〕3号: monthly working days, for day rates
HOURS_PER_MONTH = 174.0
_UNIT = {"万": 10_000.0, "w": 10_000.0, "k": 1_000.0, "千": 1_000.0, "元": 1.0, "": 1.0}
_PAY_WORDS = (
    "月薪|月入|月收入|月工资|工资|底薪|薪资|薪水|薪酬|待遇|收入|保底|日结|日薪|日赚|日入|一天|每天|时薪"
)
_PAY_WORD = re.compile(_PAY_WORDS)
_DAY_WORDS = frozenset({"日结", "日薪", "日赚", "日入", "一天", "每天"})
# A pay word, up to four characters (another pay word may be among them: "薪资:日结600"), the figure.
_PAY = re.compile(
    rf"({_PAY_WORDS})"
    r"[^\d,;。\s/|]{0,4}?"
    r"(?P<lo>\d+(?:\.\d+)?)\s*(?P<lo_unit>万|w|k|千|元)?"
    r"(?:\s*(?:-|~|至|到|—)\s*(?P<hi>\d+(?:\.\d+)?)\s*(?P<unit>万|w|k|千|元)?)?"
    r"(?P<per>\s*(?:元)?\s*(?:/月|/天|/日|一天|每天|/小时|/时|每小时|/年))?"
)
_PER_MONTH = re.compile(r"(?<![\d.])(\d{4,6})(?:\s*-\s*\d{4,6})?\s*元\s*/\s*月")
_OVER_10K = re.compile(r"(月薪|月入|收入|工资|薪资|轻松|保底)[^\d,;。\s]{0,2}过万")


def _monthly(match: re.Match[str]) -> float:
    """The monthly-equivalent floor of one pay mention (the range's lower end)."""
    unit = match.group("lo_unit") or match.group("unit") or ""
    value = float(match.group("lo")) * _UNIT[unit]
    lead = _PAY_WORD.findall(match.group(0)[: match.start("lo") - match.start()])
    per = (match.group("per") or "").strip()
    if match.string[match.start() - 1 : match.start()] == "年" or per.endswith("/年"):  # 年薪, 年收入
        return value / 12
    if per.endswith(("/天", "/日", "一天", "每天")) or (not per and lead[-1] in _DAY_WORDS):
        return value * DAYS_PER_MONTH
    if per.endswith(("小时", "/时")) or (not per and lead[-1] == "时薪"):
        return value * HOURS_PER_MONTH
    return value


def monthly_pay_floors(text: str) -> list[float]:
    """Monthly-equivalent lower bounds of every pay figure (day rates x 21.75, hourly x 174)."""
    floors = [10_000.0] * len(_OVER_10K.findall(text))
    floors += [float(m.group(1)) for m in _PER_MONTH.finditer(text)]
    for match in _PAY.finditer(text):
        value = _monthly(match)
        if value >= 1_000:  # "工资3个月", "一天8小时": not a wage
            floors.append(value)
    return floors


_AGE_MENTION = re.compile(
    r"[\d一二两三四五六七八九十]{1,4}\s*周?岁?\s*(?:-|~|至|到|、|和|或)\s*[\d一二两三四五六七八九十]{1,4}\s*周?岁"
    r"|(?:年满|满|年龄[^\d,;。]{0,3})\s*[\d一二两三四五六七八九十]{1,4}\s*周?岁?|[\d一二两三四五六七八九十]{1,4}\s*周?岁"
)


def under_16_spans(text: str) -> list[Span]:
    """Where an ad accepts someone under 16: an under-16 phrase not refused, or an accepted age below 16."""
    out = [Span(m.start(), m.end(), m.group()) for m in affirmed(_UNDER_16_WORDS, text) if not refused(text, m.end())]
    if any(age < 16 for age in applicant_age_floors(text)):
        for match in _AGE_MENTION.finditer(text):
            if any(age < 16 for age in applicant_age_floors(match.group() + " ")):
                out.append(Span(match.start(), match.end(), match.group()))
        if len(out) == 0:
            out.append(Span(0, 0, ""))
    return out
