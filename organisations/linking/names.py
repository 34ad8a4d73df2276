"""Organisation names folded to a comparable key: region prefixes, legal forms and trade words handled.

``苏州鑫达人力资源有限公司``, ``鑫达人力（苏州）`` and ``吴中鑫达劳务派遣`` all become ``鑫达#人力``: the
region prefix is stripped, the legal form dropped, and the family of agency words (劳务, 劳务派遣,
人力资源, 人才服务 ...) folded to one token, because one agency posts under all of them. Names that say
nothing about who posted (``某大型电子厂``, ``个人直招``, ``王经理``) have no key: linking by them would
merge strangers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from store.text import fold_text

# Longest first, so 有限责任公司 is removed before 公司 would leave 有限责任 behind.
LEGAL_FORMS: tuple[str, ...] = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "分公司",
    "总公司",
    "公司",
    "集团",
    "股份",
    "服务部",
    "经营部",
    "工作室",
    "门市部",
    "事务所",
)
# Trade words that one actor uses interchangeably; each family folds to one token.
TRADE_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "人力",
        (
            "人力资源服务",
            "人力资源管理",
            "人力资源",
            "劳务派遣服务",
            "劳务派遣",
            "劳务服务",
            "劳务外包",
            "劳务",
            "人才服务",
            "人才市场",
            "职业介绍所",
            "职业介绍",
            "职介所",
            "职介",
            "中介",
            "人力",
        ),
    ),
    (
        "婚介",
        (
            "婚姻介绍服务",
            "婚姻介绍所",
            "婚姻介绍",
            "婚恋服务",
            "婚恋咨询",
            "婚介所",
            "婚恋",
            "婚介",
            "红娘",
            "相亲",
        ),
    ),
)
_GENERIC_MARKERS = ("某", "个人", "直招", "私人", "老板", "厂直招", "本公司", "我司", "匿名")
_PERSON = re.compile(r"^[\u4e00-\u9fff]{1,2}(经理|主管|老师|先生|女士|小姐|姐|哥|人事|总|师傅|阿姨)$")
_GENERIC_NAMES = frozenset(
    {"电子厂", "工厂", "大型电子厂", "大厂", "名企", "国企", "外企", "物流", "快递", "工地", "酒店", "饭店"}
)
_PUNCT = re.compile(r"[\s\-_·•.,，。、:：;；'\"“”‘’!！?？/\\|*~～]+")
_BRACKETS = re.compile(r"[(（\[【]([^)）\]】]*)[)）\]】]")
FAMILY_MARK = "#"


@lru_cache(maxsize=1)
def _region_names() -> tuple[str, ...]:
    """Every region name and short name, longest first (江苏省, 苏州市, 吴中区, 苏州, 吴中 ...)."""
    from store.regions import all_regions, is_home

    # Outside the home areas only a county's full name of three or more characters: 友好, 合作, 新华, 城区
    # begin many a firm's name.
    names = {
        n
        for r in all_regions()
        for n in (r.name, r.short)
        if len(n) >= 2 and (r.level != "county" or is_home(r.code) or (n == r.name and len(n) >= 3))
    }
    names |= {"中国", "全国"}
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def _region_set() -> frozenset[str]:
    return frozenset(_region_names())


@lru_cache(maxsize=1)
def _region_lengths() -> tuple[int, ...]:
    """The lengths of the region names, longest first (a set lookup per length, not a scan of names)."""
    return tuple(sorted({len(name) for name in _region_names()}, reverse=True))


def _drop_region_brackets(text: str) -> str:
    """Remove a bracketed part that is only a place or a legal note: 鑫达人力（苏州）."""

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        return "" if not inner or _strip_regions(inner) == "" or inner in LEGAL_FORMS else inner

    return _BRACKETS.sub(replace, text)


def _strip_regions(text: str) -> str:
    """Strip leading place names (province, city, county), however many are stacked."""
    changed = True
    while changed and text:
        changed = False
        for length in _region_lengths():
            if text[:length] in _region_set() and (len(text) - length >= 2 or len(text) == length):
                text, changed = text[length:], True
                break
    return text


def _strip_legal_forms(text: str) -> str:
    """Drop trailing legal forms, also a branch's place (鑫达有限公司苏州分公司 -> 鑫达)."""
    changed = True
    while changed:
        changed = False
        for form in LEGAL_FORMS:
            if text.endswith(form) and len(text) > len(form):
                text, changed = text[: -len(form)], True
                if form == "分公司":
                    text = _strip_trailing_region(text)
                break
    return text


def _strip_trailing_region(text: str) -> str:
    for length in _region_lengths():
        if len(text) > length and text[-length:] in _region_set():
            return text[:-length]
    return text


def _fold_trade(text: str) -> str:
    """Fold a trailing trade word of a known family to its token: 鑫达劳务派遣 -> 鑫达#人力."""
    for token, words in TRADE_FAMILIES:
        for word in words:
            if text.endswith(word) and len(text) > len(word):
                return _strip_regions(text[: -len(word)]) + FAMILY_MARK + token
    return text


def normalise_name(name: str | None) -> str:
    """The comparable form of an organisation name ('' when nothing is left)."""
    text = fold_text(name).lower()
    text = _drop_region_brackets(text)
    text = _PUNCT.sub("", text)
    text = _strip_regions(text)
    text = _strip_legal_forms(text)
    text = _fold_trade(text)
    return text


def is_generic_name(name: str | None, normalised: str | None = None) -> bool:
    """True when the name cannot tell one poster from another (linking by it would merge strangers)."""
    raw = fold_text(name)
    key = normalise_name(name) if normalised is None else normalised
    core = key.split(FAMILY_MARK, 1)[0]
    if len(core) < 2 or any(marker in raw for marker in _GENERIC_MARKERS):
        return True
    trade_only = any(core in words for _token, words in TRADE_FAMILIES)
    return bool(_PERSON.match(raw)) or core in _GENERIC_NAMES or trade_only


def name_key(name: str | None) -> str | None:
    """The name's linking key, or None when it is empty or generic."""
    key = normalise_name(name)
    return None if not key or is_generic_name(name, key) else key
