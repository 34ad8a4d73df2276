"""Whether a phrase is asserted: denied in its clause, refused after it, or part of a warning.

Texts are folded (zhtext.fold) and lower-cased: full-width punctuation is ASCII (",", ":", ";", "!",
"("), so a clause ends at , ; ! ? 。 or whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from zhtext.scan import any_word, led
from zhtext.spans import Span

CLAUSE = r"[^,;!?。\s]"  # one character that stays inside a clause
AFFIRMED = r"[^,;!?。\s不无没非勿]"  # the same, but no negation: "工资不压" is no withholding
SENTENCE_END = re.compile(r"[;!?。\n]")

# A denial just before a phrase turns it into a promise: "不压工资", "严禁扣押身份证", "绝不以任何名义扣押".
# 不过, 不仅, 不但, 不管, 不论 and 不久 deny nothing ("不过她说要先交钱").
_DENIED = re.compile(
    r"(不(?!过|仅|但|管|论|久)|无(?!论)|(?<!有)没有|(?<!有)没|绝不|从不|从未|未曾|绝无|决不|严禁|禁止|杜绝|拒绝|谨防|防止|举报|不会|不存在|非|不得"
    rf"|不准|不以|免){CLAUSE}{{0,6}}$"
)
# A sentence warning applicants about the practice ("交钱或扣押证件都不靠谱", "谨防黑中介"), or news of a
# case ("查处", "被判"): the ad itself is not doing it.
_WARNING = re.compile(
    r"不靠谱|骗子|骗局|诈骗|话术|套路|谨防|小心|警惕|黑中介|举报|投诉|违法|拉黑|上当|查处|被判|判处|犯罪嫌疑|涉嫌犯罪|构成犯罪|依法|打击|曝光|提醒|别信|勿信|不要信|都是骗|别交|不要交|郑重提示|非正规|以各种理由|以任何理由|任何名义|谨慎|不合理的?(费用|收费)|乱收费"
)
_REFUSED_AFTER = re.compile(
    rf"^{CLAUSE}{{0,6}}(勿扰|不招|不收|不要|谢绝|除外|免谈|不予|一律不|禁止|不考虑|恕不|不允许|不得|违法|犯法|不合法)"
)


def denied(text: str, start: int) -> bool:
    """A negation stands before START in the same clause ("不压工资", "严禁扣押身份证")."""
    return bool(_DENIED.search(text, max(0, start - 9), start))


def warned(text: str, start: int, end: int) -> bool:
    """The sentence around [start, end) warns about the practice or reports a case."""
    return bool(_WARNING.search(sentence_around(text, start, end)))


# A question mark or 吗/么 just after a phrase (not the 么 of 什么, 怎么, 这么, 那么, 多么).
QUESTION_AFTER = r"[^,;。!\s]{0,3}(吗|\?|(?<![什怎这那多])么)"
_ASKED_AFTER = re.compile(QUESTION_AFTER)


def asked(text: str, end: int) -> bool:
    """The phrase ending at END is asked about ("这算限制人身自由吗?", "谁家出得多就给谁?")."""
    return bool(_ASKED_AFTER.match(text, end))


# An answer right after the question that says yes: "押工资吗?押一个月", "扣身份证吗? 会的", "答:是".
_ANSWERED_YES = re.compile(
    r"[?\s:]*(答:?)?\s*(是|对|会|要|需|得|必须|嗯|肯定|当然|押|压|扣|收|留|保管|统一|一律)"
)


def asked_unanswered(text: str, end: int) -> bool:
    """The phrase ending at END is asked about and not answered yes right after: a worker's question
    ("这个厂扣押工资卡吗?", "厂里会扣身份证吗?") or an FAQ answered no ("押工资吗?不押,月底发")."""
    question = _ASKED_AFTER.match(text, end)
    return question is not None and not _ANSWERED_YES.match(text, question.end())


def refused(text: str, end: int) -> bool:
    """The phrase ending at END is refused right after it ("未满16周岁勿扰", "14岁以下不招")."""
    return bool(_REFUSED_AFTER.search(text[end : end + 10]))


def affirmed(pattern: re.Pattern[str] | Gated, text: str) -> Iterator[re.Match[str]]:
    """Matches of PATTERN that are neither denied within their clause nor part of a warning.

    A phrase asked about is still read here: a broker's answer often sits under the question it answers
    ("娶越南老婆靠谱吗?"); finders that need it check ``asked`` themselves."""
    for match in pattern.finditer(text):
        if not denied(text, match.start()) and not warned(text, match.start(), match.end()):
            yield match


def sentence_around(text: str, start: int, end: int, before: int = 12, after: int = 14) -> str:
    """The text around [start, end), cut at the sentence ends on either side."""
    head = SENTENCE_END.split(text[max(0, start - before) : start])[-1]
    tail = SENTENCE_END.split(text[end : end + after])[0]
    return head + text[start:end] + tail


def spans(matches: Iterator[re.Match[str]] | list[re.Match[str]]) -> list[Span]:
    """The spans of regular-expression matches."""
    return [Span(m.start(), m.end(), m.group()) for m in matches]


# A whole text that reports or warns rather than advertises: news of a case, a police notice, a
# labour-bureau reminder, a complaint ("避雷"). Violations it names are not the poster's own.
_REPORT = led(
    r"警情通报|破获|查处|立案|判处|被判|犯罪嫌疑人|执法人员|责令|人社(部门|局)?提醒|警方提醒|劳动保障提醒|温馨提醒"
    r"|避雷|曝光|举报电话|12333|110|上当受骗|被骗了|骗局|打击|专项检查|依法|案件|获救"
    r"|以案说法|法院|法官|审理|有期徒刑|记者|律师表示|吐槽|别信|都是坑|别上当|拐卖妇女罪|涉嫌|纪录片|跟拍|被骗|受害者"
    r"|(?<!不是)骗子|(?<!不是)黑中介|(?<!不是)黑厂|(?<!不是)黑工厂|婚托|全是托|国务院|(协会|行业|部门|警方|民政局?|妇联)提醒"
    r"|冒用|冒充|特此声明|构成犯罪|发现线索|话术|维权|报警有用|已报警|报了警|合法吗|是否合法|条规定|求助|维权热线|求助热线|反拐|判例|判决|原告|被告"
    # words an ad never says of itself: the practice called illegal, banned or trafficking
    r"|(?<!不是)非法中介|(本身就是|属于|都是)违法|被禁止|是禁止的|拐卖|劝大家"
    # a call to govern the practice, a labour bureau's reminder (above)
    r"|早(就)?该管|(?<=支持)严打"
    # a drama about the practice (not a crew recruiting: _DRAMA), and the practice called a crime
    r"|短剧|电视剧|本剧(?!组)|剧情(?!需要)|改编自|根据真实(事件|故事|案例|案件)改编|(?<![不没])(是|属于|构成|涉嫌|也|都)犯法(?!吗|\?)"
    r"|番外"  # a web novel's extra chapter
)
# A web novel's genre tags (【年代+种田+重生】): a synopsis, unless the text recruits (写手).
_GENRE = r"(年代|种田|重生|穿越|甜宠|虐恋|虐文|爽文|古言|现言|女频|男频|逆袭|复仇)"
_NOVEL_TAGS = re.compile(rf"【{_GENRE}\+{_GENRE}")
# Half a marker each: words an ad may also say of itself ("谨防冒充,请警惕", "违者将受处罚", an FAQ's 答:,
# 女主播, a 小说推文 job). Two of them make a report only beside one full marker; an ad that recruits
# (_RECRUITING) drops them.
_WEAK_REPORT = led(
    r"(要|请|务必|需|应|须)警惕|(受|被|予以|将被|会被|要受)处罚|(?<![^\s。!?;])答[:：]"
    r"|女主(?!人|内|外|播|持|管|任|导|角|演|唱|理)|男主(?!人|内|外|播|持|管|任|导|角|演|唱|理)|小说|连载"
)


_WEAK_WORDS = ("警惕", "处罚", "答", "女主", "男主", "小说", "连载")  # one in each half marker
_DRAMA = re.compile(r"短剧|电视剧|本剧|剧情|改编|番外")
# A crew recruiting actors or extras is an ad: there a drama's words mark nothing.
_RECRUITING = re.compile(r"招|聘|群演|演员|日结|包吃住|急缺|缺人")


def is_report(text: str) -> bool:
    """TEXT reads as a report, a warning or a complaint, not as an ad: two markers (_REPORT), a web novel's
    genre tags, or one marker and two half markers (_WEAK_REPORT). In a text that recruits, only two
    markers that are not a drama's count (a crew or a writer is being hired)."""
    markers = {m.group() for m in _REPORT.finditer(text)}
    novel = "【" in text and _NOVEL_TAGS.search(text) is not None
    if len(markers) < 2 and not novel and (not markers or sum(word in text for word in _WEAK_WORDS) < 2):
        return False  # most texts: fewer than two markers, and no two half markers to read
    if _RECRUITING.search(text):
        return len({marker for marker in markers if not _DRAMA.match(marker)}) >= 2
    return novel or len(markers) >= 2 or len({m.group() for m in _WEAK_REPORT.finditer(text)}) >= 2


class Gated:
    """Alternatives of a pattern, each tried only when one of its gate words is in the text.

    One regular expression with dozens of alternatives is tried at every position of every ad; most
    alternatives need a word most ads lack. ``finditer`` yields the matches of the alternatives whose
    gate words occur, in text order, so ``affirmed`` accepts a Gated like a compiled pattern.
    """

    def __init__(self, *parts: tuple[tuple[str, ...], str]) -> None:
        self.parts = tuple((frozenset(gate), led(pattern)) for gate, pattern in parts)
        words = {word for gate, _ in parts for word in gate}
        # Every part's words in one alternation, longest first: ``present`` reads which occur in one scan
        # instead of one scan per part (a text holding none, most ads for most finders, in one search).
        self.any_gate = any_word(*words)
        # Two gate words found at one position are a word and its prefix (工资, 工资卡): the scan finds the
        # longest there, and with it every gate word it begins with.
        self._with_prefixes = {word: frozenset(w for w in words if word.startswith(w)) for word in words}

    def present(self, text: str) -> frozenset[str]:
        """The gate words that occur in TEXT."""
        found: set[str] = set()
        search, at = self.any_gate.search, 0
        while (match := search(text, at)) is not None:  # every position where a gate word starts
            found |= self._with_prefixes[match.group()]
            at = match.start() + 1
        return frozenset(found)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        present = self.present(text)
        if not present:
            return iter(())
        found = [
            match
            for gate, pattern in self.parts
            if not gate.isdisjoint(present)  # one of the gate words is in the text
            for match in pattern.finditer(text)
        ]
        return iter(sorted(found, key=lambda m: (m.start(), -m.end())))

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)
