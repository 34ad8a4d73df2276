"""Ages in ads, as spans on folded text: who they describe, and what an ad accepts.

Only numbers in an age context are read (followed by 岁/周岁, after 年龄, after 年满/未满/不满, or a birth
year), so a salary such as "3000-5000" or "工作8小时" is never an age. Each mention gets a role: the
applicant's age, a refused age ("未满16周岁勿扰", "严禁使用童工"), a client's age ("辅导6-12岁学生",
"照顾3岁宝宝"), or other (a denial such as "本厂无童工"). A refusal of "16岁以下" draws the legal line of
未满16: it is stored as the refused range up to 15, so every refused ceiling implies the floor high + 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from zhtext.age_words import GRADE_ONLY, IN_CLASS, MINOR_WORDS, NOT_AT_WORK, WORD_AGES
from zhtext.fold import fold
from zhtext.numerals import Digitised, digitise, has_counted_numeral
from zhtext.scan import led
from zhtext.spans import Span

Role = Literal["applicant", "refused", "client", "other"]
Kind = Literal["range", "pair", "floor", "ceiling", "under", "exact"]
Form = Literal["age", "birth", "word"]

_N = r"(?<!\d)(\d{1,2})(?!\d|\.\d)"  # "1.40岁以下" is item 1, age 40
_INCL = r"(?:\s*\(含[^()]{0,6}\))?"  # 16周岁(含)以上, 16周岁(含16周岁)
_YEARS = r"\s*周?岁" + _INCL
_SEP = r"\s*(?:[-~—–―]+|至|到)\s*"  # 21岁——24岁, 18---50周岁
_LABEL = r"(?:年龄|岁数)(?:要求)?\s*[:为在]?\s*"
_FLOOR_WORDS = r"\s*(?:以上|及以上|或以上|起|即可|就可以|就行|可以|也可|均可|都可|也行|也收|都收|都要)"
_CEILING_WORDS = r"\s*(?:以下|及以下|以内|之内)"
_NOT_AGE_AFTER = r"(?![\d个人天元小月年号点%.薪周次期])"  # 不满16个, 不满16小时, 年满13薪: not an age
# Not right after 未满/不满/没满/不到 (a space between allowed): "未满16岁也可" accepts the under-16s.
_NOT_UNDER = r"(?<!未满)(?<!不满)(?<!没满)(?<!不到)(?<!未满\s)(?<!不满\s)(?<!没满\s)(?<!不到\s)"
# (kind, pattern, any of these characters must be in the text): tried in this order; a match overlapping
# an earlier one is skipped. The characters only let a text skip patterns cheaply. Each pattern is led
# (zhtext.scan): most begin with a lookbehind, which leaves re's scan no first character to skip to.
_PATTERNS: tuple[tuple[Kind, re.Pattern[str], str], ...] = (
    ("range", led(_LABEL + _N + rf"(?:\s*周?岁)?{_INCL}{_SEP}" + _N + rf"(?:{_YEARS})?"), "龄数"),
    ("range", led(_N + rf"(?:\s*周?岁)?{_INCL}{_SEP}" + _N + _YEARS), "岁"),
    ("pair", led(_N + r"[、和或/]" + _N + _YEARS), "岁"),  # 14、15岁 (not "2、21岁": item 2)
    ("floor", led(r"年满\s*" + _N + rf"(?:{_YEARS})?{_NOT_AGE_AFTER}"), "满"),
    ("floor", led(r"(?<![不未没])(?:满|超过|大于|不低于|不小于)\s*" + _N + _YEARS), "岁"),
    ("floor", led(_NOT_UNDER + _N + _YEARS + _FLOOR_WORDS), "岁"),  # 未满16岁也可 is "under" below
    ("floor", led(_LABEL + _N + _FLOOR_WORDS), "龄数"),
    ("ceiling", led(r"(?<![未不])(?:不超过|不大于|不高于|小于|低于)\s*" + _N + _YEARS), "岁"),
    ("ceiling", led(_N + _YEARS + _CEILING_WORDS), "岁"),
    ("ceiling", led(_LABEL + _N + _CEILING_WORDS), "龄数"),
    ("under", led(r"(?:未满|不满)\s*" + _N + rf"(?:{_YEARS})?{_NOT_AGE_AFTER}"), "满"),
    # 没满/不到 only with 岁: "不到15分钟", "没满10单" are no ages (age_words.MINOR_WORDS reads "不到16" alone)
    ("under", led(r"(?:没满|不到)\s*" + _N + _YEARS), "岁"),
    ("under", led(_N + _YEARS + r"\s*(?:还?不到|未满|不满|还?没满)"), "岁"),  # 16岁不到也没关系
    ("exact", led(_LABEL + _N + rf"(?:{_YEARS})?{_NOT_AGE_AFTER}"), "龄数"),
    ("exact", led(_N + _YEARS), "岁"),
)
# Every pattern above needs one of these ("满" only before a number: 满勤, 满意 are common words).
_GATE = led(r"岁|年龄|岁数|满\s*[\d一二两三四五六七八九十]|\d\s*后|出生|\d\s*年(?:生)?的")

_BIRTH_YEAR = led(r"(?<!\d)(20[0-2]\d)\s*年\s*(以后|之后|后)?\s*出生")
# "09年10年的都可以", "08-10年的也要": birth years without 出生, where people are accepted ("有10年的也可以"
# is experience, hence no 有 or 干 before).
_BORN_IN = led(
    r"(?<![\d有干做了过])(?:20)?(?:([01]\d)\s*(?:-|~|到|至)\s*(?:20)?([01]\d)\s*年(?:生)?的"
    r"|([01]\d)\s*年(?:生)?(?:的)?(?:\s*(?:[、,和/]|-|~|到|至)\s*(?:20)?([01]\d)\s*年(?:生)?)?的)"
    r"(?=[^。;!?]{0,2}(?:都|也|均)(?:可以|行|要|收|可))"
)
# 05后, 10后: born from 2005, from 2010 (to the end of that decade). 00后 and 90后 are adults.
# A cohort counts only where people are meant ("10后也可以", "招10后"), not "入职10后" (ten days after).
_COHORT = led(
    r"(?<![\d:.点])(?<!入职)(?<!上班)(?<!工作)(?<!到岗)(?<!满)(?<!第)(0[5-9]|1\d|2\d)\s*后(?![\d天日个小分周月年])",
)

_CLAUSE = r"[^,;!?。\s]"
_REFUSED_BEFORE = re.compile(
    r"(?:不招|不收|不要|禁止|拒绝|严禁|谢绝|杜绝|不得|不能|不准|不予|不接受|不使用|不雇|勿招|不聘|不录用)"
    rf"{_CLAUSE}{{0,8}}$"
    # the law's own words: 不得招用未满16周岁的未成年人
    rf"|(?:不得|禁止)(?:招用|招收|使用|雇用|雇佣|录用){_CLAUSE}{{0,8}}$"
)
_REFUSED_AFTER = re.compile(
    rf"^{_CLAUSE}{{0,6}}?(?:勿扰|勿进|勿来|勿投|请勿|勿报|(?<!招)不招|(?<!收)不收|(?<!要)不要(?!求)|谢绝|除外|免谈|不予|一律不|禁止|不考虑"
    r"|不录用|不行|不可以|绕道|不接受|法律上不允许|不允许|不能用|违法)"
)
_ASKED_AFTER = re.compile(
    rf"^{_CLAUSE}{{0,4}}?(?:能不能|可不可以|可以吗|行不行|行吗|收不收|招不招|要不要|有没有)"
    # a job seeker's question about an age (15岁能打暑假工吗?) or own wish (15岁,想暑假去打工): no hire
    rf"|^(?:的人|的话|的)?(?:能|可以|可)(?:去|进|在|来|做|干|打)?{_CLAUSE}{{0,5}}?(?:吗|么|\?)"
    rf"|^,?我?(?:想|打算|准备)(?:去|找|出去)?{_CLAUSE}{{0,4}}?(?:打工|上班|找工作|进厂|赚钱|挣钱)(?!{_CLAUSE}{{0,2}}的)"
)
_WHEN_I_WAS = re.compile(r"\s*的?(?:那年|那会|那时|时候就)")  # "我14岁那年出来打工": a life told, no hire
_DENIED_BEFORE = re.compile(rf"(?:无|非|没有|不是|不存在|不涉及|绝无|不含){_CLAUSE}{{0,2}}$")
_PETS = r"(?:狗|猫|犬|金毛|泰迪|柯基|比熊|博美|哈士奇|拉布拉多|萨摩|宠物|鹦鹉|兔)"
_CLIENT_BEFORE = led(
    rf"(?:教|辅导|照顾|照看|陪伴|看护|托管|带娃|带|陪读|早教)(?![师练官员班])({_CLAUSE}){{0,4}}$"
    r"|(?:招生|青少儿|少儿|儿童|幼儿|宝宝|小朋友)\s*\(?$"
    r"|(?:青少年|孩子)\s*\($"  # 孩子(6-12岁) is served; 孩子十五岁，家长同意就能来 is the worker
    r"|(?:宝妈|家长|带孩子|接送孩子)[^。;!?]{0,10}孩子\s*$"  # 宝妈优先，孩子十岁: the mother's child
    rf"|{_PETS}(?:咪|狗|子)?(?:已经|今年|都|才)?$",  # 金毛12岁了: an animal's age
)
_CLIENT_AFTER = re.compile(
    r"^\s*的?(?:青少儿|青少年|儿童|幼儿|宝宝|婴儿|婴幼儿|少儿|小朋友|学员|孩子|宝贝|老人|患者|小学生)"
    rf"|^\s*(?:了|的)?(?:老|小)?{_PETS}"  # 10岁的老猫: an animal's age
)
# The children a nanny cares for counted out one by one ("照顾两个小孩,一个8岁一个12岁"), and a parent's child
# in a post seeking a tutor or a nanny ("女儿12岁,寻找钢琴陪练"): neither is a worker.
_CHILDREN_COUNTED = re.compile(
    r"(?:照顾|照看|看护|接送|带|辅导|陪)[^。;!?]{0,6}(?:孩子|小孩|宝宝|娃|学生)[^。;!?]{0,12}"
    r"(?:一个|另一个|老大|老二|大的|小的|大宝|二宝|儿子|女儿)$"
)
_KIN_BEFORE = re.compile(r"(?:儿子|女儿|闺女|孩子|小孩|宝宝|孙子|孙女)(?:今年|已经|刚|才|现在)?$")
_SERVICE_SOUGHT = re.compile(r"(?:找|寻|请|聘)[^。;!?\n]{0,8}(?:家教|老师|陪练|辅导|保姆|阿姨|育儿嫂)")
# "13-15岁的孩子也行": the child is accepted as a worker, not served.
_TAKEN_AFTER = re.compile(
    r"^\s*的?(?:孩子|小孩|娃)(?:子)?(?:(?:也|都)(?:行|可以|可|要|收)|(?:来|到|进)(?:厂|车间|工地|店|上班|干活|打工))"
    r"|^\s*的?小朋友(?:也|都)(?:行|要|收)"  # 12岁以上小朋友都行 (a class would say 都可以参加)
)
_HOUSEHOLD = re.compile(r"客户情况|雇主家|雇主情况|[三四五六]口之家|家庭成员|家里有|家中有")
_ANY_AGE = re.compile(r"不限年龄|年龄\s*[:]?\s*不限|年龄无要求|无年龄要求|年龄要求\s*[:]?\s*不限")
_PLAUSIBLE = range(8, 81)  # ages an ad's requirement may state; others are clients or misreadings
_YOUNGEST_WORKER = 8  # "3岁", "18-5周岁" (a typo): a child served, a figure of speech or a misreading


@dataclass(frozen=True, slots=True)
class AgeMention:
    """An age phrase: where it is, the ages it states (None: open), whose age it is, and how it is written.

    ``form`` is "age" (15岁, 年满16), "birth" (2010年出生, 10后) or "word" (初中生, 童工: the ages implied).
    """

    span: Span
    low: int | None
    high: int | None
    role: Role
    form: Form = "age"


@dataclass(frozen=True)
class AgeRange:
    """Accepted ages, inclusive; None where the ad sets no bound."""

    min: int | None = None
    max: int | None = None


def _role(text: str, start: int, end: int) -> Role:
    """Whose age the phrase at [start, end) is: refused, a client's, denied (other) or the applicant's."""
    before, after = text[max(0, start - 12) : start], text[end : end + 10]
    if _REFUSED_BEFORE.search(before) or _REFUSED_AFTER.search(after):
        return "refused"
    near = max(0, start - 30)
    if _HOUSEHOLD.search(text, near, start) or _CHILDREN_COUNTED.search(text, near, start):
        return "client"  # 客户情况: 四口之家, 孩子10岁; 照顾两个小孩,一个8岁 — the family a nanny works for
    if "小学生" in text[max(0, start - 40) : end + 40] and "小学生" not in text[start:end]:
        return "client"  # "小学生、初中生、高中生": the pupils a coach or tutor teaches, not workers
    kin_served = _KIN_BEFORE.search(before) and _SERVICE_SOUGHT.search(text)
    served = _CLIENT_BEFORE.search(before) or _CLIENT_AFTER.search(after) or kin_served
    if served and not _TAKEN_AFTER.search(after):
        return "client"
    if _DENIED_BEFORE.search(before) or _ASKED_AFTER.search(after) or _WHEN_I_WAS.match(after):
        return "other"  # "无16岁以下" / a job seeker's question "15岁能不能去你们厂" is no hire
    return "applicant"


def _bounds(kind: Kind, numbers: list[int]) -> tuple[int | None, int | None]:
    if kind in ("range", "pair"):
        return min(numbers), max(numbers)
    return {
        "floor": (numbers[0], None),
        "ceiling": (None, numbers[0]),
        "under": (None, numbers[0] - 1),
        "exact": (numbers[0], numbers[0]),
    }[kind]


def _mention(text: str, digits: Digitised, match: re.Match[str], kind: Kind) -> AgeMention:
    start, end = digits.source(match.start(), match.end())
    role = _role(text, start, end)
    low, high = _bounds(kind, [int(g) for g in match.groups() if g])
    if role == "refused" and kind == "ceiling" and high is not None:
        high -= 1  # "16岁以下不招" refuses the under-16s: the legal line of 未满16
    return AgeMention(Span.of(text, start, end), low, high, role)


_ANCHOR = re.compile(r"岁|龄|满")


def _windows(text: str, before: int = 24, after: int = 16) -> list[tuple[int, int]]:
    """Stretches of TEXT around 岁/龄/满, merged: every age pattern needs one, so only these are scanned."""
    out: list[tuple[int, int]] = []
    for match in _ANCHOR.finditer(text):
        start, end = max(0, match.start() - before), min(len(text), match.end() + after)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


# Characters on each side of an anchor that must hold no counted numeral for the text to be read as it is.
_NEAR = 64


def _digitised(text: str) -> Digitised:
    """``digitise(text, ages=True)``, or TEXT as it is when that would change nothing the patterns read.

    The patterns read only windows around 岁/龄/满 (24 characters before, 16 after, ``_windows``). When no
    counted numeral lies within _NEAR characters of any anchor, and no whitespace at the edge of that
    stretch lets a dash (一 between spaces) reach in from outside, digitising leaves every window, its place beside
    its anchor and its context as written: the text is read as it is, without a pass over every numeral.
    """
    for anchor in _ANCHOR.finditer(text):
        start, end = max(0, anchor.start() - _NEAR), min(len(text), anchor.end() + _NEAR)
        if (
            has_counted_numeral(text, start, end)
            or (start > 0 and text[start].isspace())
            or (end < len(text) and text[end - 1].isspace())
        ):
            return digitise(text, ages=True)
    return Digitised(text)


def _windows_with(text: str, windows: list[tuple[int, int]], needles: str) -> list[tuple[int, int]]:
    """The WINDOWS of TEXT holding one of the characters NEEDLES."""
    return [(start, end) for start, end in windows if any(char in text[start:end] for char in needles)]


# Every age a number pattern reads is an _N; one an ad could hire someone under 16 by is 8 to 17
# (_accepts_under_16: "未满17岁" takes 16).
_AGE_NUMBER = re.compile(_N)
_MINOR_NUMBERS = range(_YOUNGEST_WORKER, 18)


def _number_mentions(text: str, *, minors_only: bool = False) -> list[AgeMention]:
    """The number patterns' mentions in TEXT; with MINORS_ONLY, none where no window holds a number from
    8 to 17 (no mention there could accept someone under 16: ``under_16_hires`` asks only for those)."""
    digits = _digitised(text)
    taken: list[tuple[int, int]] = []
    found: list[AgeMention] = []
    present = {needles: any(char in text for char in needles) for needles in ("岁", "满", "龄数")}
    windows = _windows(digits.text)
    if minors_only and not any(
        int(number.group(1)) in _MINOR_NUMBERS
        for start, end in windows
        for number in _AGE_NUMBER.finditer(digits.text, start, end)
    ):
        return found  # the patterns read numbers only inside the windows, bounded as here
    # A pattern's match lies inside one window and holds one of its needles: windows without them are
    # skipped (a window around 满意 holds no 岁; one around 18岁 no 满).
    needled = {needles: _windows_with(digits.text, windows, needles) for needles in present}
    for kind, pattern, needles in _PATTERNS:
        if not present[needles]:
            continue
        for match in (
            m for start, end in needled[needles] for m in pattern.finditer(digits.text, start, end)
        ):
            if any(match.start() < t_end and t_start < match.end() for t_start, t_end in taken):
                continue
            if kind == "pair" and not 0 < int(match.group(2)) - int(match.group(1)) <= 3:
                continue
            if kind == "range" and int(match.group(2)) < int(match.group(1)):
                continue  # "18-5周岁" is a typo (18-50), not an age of five
            taken.append((match.start(), match.end()))
            found.append(_mention(text, digits, match, kind))
    return found


def _birth_mentions(text: str, year: int) -> list[AgeMention]:
    found = []
    for match in _BIRTH_YEAR.finditer(text) if "出生" in text else ():  # the word is in the pattern
        born = int(match.group(1))
        low = None if match.group(2) else max(0, year - born - 1)  # 2010年后出生: any age up to year - 2010
        span = Span.of(text, *match.span())
        found.append(AgeMention(span, low, year - born, _role(text, *match.span()), "birth"))
    for match in _COHORT.finditer(text) if "后" in text else ():  # every cohort is "…后"
        first = 2000 + int(match.group(1))
        last = first // 10 * 10 + 9
        role = _role(text, *match.span())
        found.append(
            AgeMention(Span.of(text, *match.span()), max(0, year - last), year - first, role, "birth")
        )
    if "年的" in text or "年生的" in text:  # every match ends "年(生)?的" (both branches)
        for match in _BORN_IN.finditer(text):
            years = [2000 + int(g) for g in match.groups() if g]
            role = _role(text, *match.span())
            span = Span.of(text, *match.span())
            found.append(AgeMention(span, max(0, year - max(years) - 1), year - min(years), role, "birth"))
    return found


def _word_mentions(text: str) -> list[AgeMention]:
    found = []
    for match in MINOR_WORDS.finditer(text):
        if GRADE_ONLY.fullmatch(match.group()) and NOT_AT_WORK.search(text):
            continue  # the new year's days
        role = _role(text, *match.span())
        if IN_CLASS.search(text) and not _JOB.search(text):
            role = "client"  # pupils in a class or a contest
        if role == "other" and match.group().startswith("差"):
            role = "applicant"  # "差一岁满16能进厂吗?" with its answer: the pattern itself reads "收的"
        low, high = WORD_AGES.get(match.group()[:2], (12, 15))
        found.append(AgeMention(Span.of(text, *match.span()), low, high, role, "word"))
    return found


def age_mentions(folded: str, *, year: int | None = None) -> list[AgeMention]:
    """Every age phrase in folded text (``zhtext.fold``, lower-cased or not), in reading order.

    ``year`` (default: this year) turns birth years and cohorts (2010年出生, 10后) into ages.
    """
    return _age_mentions(folded, year, minors_only=False)


def _age_mentions(folded: str, year: int | None, *, minors_only: bool) -> list[AgeMention]:
    found = _word_mentions(folded)
    if _GATE.search(folded):
        found += _number_mentions(folded, minors_only=minors_only)
        found += _birth_mentions(folded, year or date.today().year)
    return sorted(found, key=lambda mention: (mention.span.start, mention.span.end))


def _accepts_under_16(mention: AgeMention) -> bool:
    if mention.role != "applicant":
        return False
    if mention.form == "word":
        return True
    if mention.form == "birth":  # a cohort or birth year spans ages: any of them under 16 (and over 7)
        return mention.high is not None and mention.high >= _YOUNGEST_WORKER and (mention.low or 0) < 16
    youngest = mention.low if mention.low is not None else mention.high
    if youngest is None or youngest < _YOUNGEST_WORKER:
        return False
    # "45岁以下" sets no floor but does not invite children; "16岁以下" / "未满16" does.
    return youngest < 16 if mention.low is not None else youngest <= 16


# 禁止使用童工规定 第13条: arts and sports units may take children under 16 with their guardians' consent.
_ARTS = re.compile(r"演员|童星|童模|模特|主持人|配音|运动员|体校|剧组")
_GUARDIAN_CONSENT = re.compile(r"(监护人|家长|父母)[^。;!?不无免没]{0,6}(同意|陪同|签字|授权|代领|书面)")
_CONSENT_DENIED = re.compile(r"(不|无|免|没)(需要?|用|要|必)?\s*$")
# A job ad names its work and pay: there a wedding word is the staff's (夫妻房, 可以带媳妇), not the minor's.
_JOB = re.compile(r"招工|招聘|普工|上班|工资|日结|月薪|岗位|包吃住|打工|干活|工地|厂")
# Words of a wedding or a betrothal: a minor named beside them is a bride (zhtext.law.marriage), not a worker.
WEDDING_WORDS = r"办酒|摆酒|过门|领证|结婚|嫁|娶|新娘|媳妇|彩礼|定亲|订亲|亲定|娃娃亲"
_WEDDING = re.compile(WEDDING_WORDS)


def under_16_hires(folded: str, *, year: int | None = None) -> list[Span]:
    """Spans where the ad accepts someone under 16: an age, a range's floor, or a word for minors (not where
    the ad sets a floor of 16 or more: 初中生暑假工,满16周岁). Not a child actor or athlete taken with a
    guardian's consent (the law's exception), nor a minor named beside a wedding."""
    accepted = [m for m in _age_mentions(folded, year, minors_only=True) if _accepts_under_16(m)]
    if not accepted:  # most ads: the exceptions below need not be read
        return []
    if any(m.form == "word" for m in accepted) and ((age_requirement(folded) or AgeRange()).min or 0) >= 16:
        accepted = [m for m in accepted if m.form != "word"]  # pupils the ad takes from 16 (or 18) up
    consent = any(
        not _CONSENT_DENIED.search(folded, max(0, m.start() - 4), m.start())
        for m in _GUARDIAN_CONSENT.finditer(folded)
    )
    wedding_only = not _JOB.search(folded)
    # A phrase read both as a word and as a number (不到16岁) is one span.
    return list(
        dict.fromkeys(
            m.span
            for m in accepted
            if not (consent and _ARTS.search(folded, max(0, m.span.start - 20), m.span.end + 20))
            and not (wedding_only and _WEDDING.search(folded, max(0, m.span.start - 20), m.span.end + 20))
        )
    )


def _requirement_bounds(mention: AgeMention) -> tuple[int | None, int | None]:
    """The accepted floor and ceiling a mention states; a refusal states the bound on its other side."""
    if mention.role == "refused":
        floor = None if mention.high is None or mention.low is not None else mention.high + 1
        ceiling = None if mention.low is None or mention.high is not None else mention.low - 1
        return floor, ceiling
    return (mention.low, mention.high) if mention.role == "applicant" else (None, None)


def age_requirement(text: str | None) -> AgeRange | None:
    """The widest accepted range an ad states (lowest floor, highest ceiling); None when it says nothing.

    "16周岁(含)以上" -> 16-None; "18-35岁，16-18岁的学生也可" -> 16-35; "年龄不限" -> None-None.
    """
    folded = fold(text)
    lowers: list[int] = []
    uppers: list[int] = []
    for mention in age_mentions(folded):
        if mention.form != "age":
            continue  # words and birth years say nothing about the stored requirement
        low, high = _requirement_bounds(mention)
        if all(bound is None or bound in _PLAUSIBLE for bound in (low, high)):
            lowers += [low] if low is not None else []
            uppers += [high] if high is not None else []
    if lowers or uppers:
        return AgeRange(min(lowers) if lowers else None, max(uppers) if uppers else None)
    return AgeRange() if _ANY_AGE.search(folded) else None
