"""Place names in job ads to region codes ("江苏-南京-江宁区", "南京市江宁区", "苏州工业园区", "昆山").

Names are found by a greedy longest-match scan against the full and short names in ``store.regions``
plus a few aliases (abolished districts, 园区/高新区 inside 苏州). A county implies its city and province.
A name shared by several regions (鼓楼区 is in 南京 and 徐州) is only resolved by a city or province
named elsewhere in the text; otherwise just their common ancestor is kept. Short names that are also
everyday words (光明, 白云, 中山, 阿里, ...) count only once a containing region has been named.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from store.regions import Region, all_regions, get_region, is_within
from store.text import fold_text

# Superseded names still seen in older ads, mapped to today's division.
_FORMER_NAMES = {
    "白下区": "320104",
    "下关区": "320106",
    "崇安区": "320213",
    "南长区": "320213",
    "北塘区": "320213",
    "戚墅堰区": "320412",
    "金坛市": "320413",
    "沧浪区": "320508",
    "平江区": "320508",
    "金阊区": "320508",
    "吴江市": "320509",
    "苏州高新区": "320505",
    "苏州园区": "320571",
    "港闸区": "320613",
    "通州市": "320612",
    "海门市": "320614",
    "海安县": "320685",
    "新浦区": "320706",
    "赣榆县": "320707",
    "楚州区": "320803",
    "清河区": "320812",
    "清浦区": "320812",
    "洪泽县": "320813",
    "大丰市": "320904",
    "维扬区": "321003",
    "江都市": "321012",
    "姜堰市": "321204",
    "宿豫县": "321311",
    "铜山县": "320312",
    "无锡新区": "320214",
    "莱芜": "370100",
}
# Names that mean a region only inside a named city: in 苏州, 园区 is the industrial park.
_CITY_ALIASES = {
    "园区": ("320571",),
    "工业园区": ("320571",),
    "高新区": ("320505", "320214", "320411"),  # 苏州高新区 = 虎丘, 无锡 = 新吴, 常州 = 新北
    "新区": ("320505", "320214"),
}
# Short names that are also everyday words or street names: they need a containing region first.
_COMMON_WORDS = frozenset(
    [
        "光明",
        "白云",
        "南山",
        "中山",
        "阿里",
        "白银",
        "来宾",
        "朝阳",
        "天河",
        "长宁",
        "金山",
        "海南",
        "宝安",
        "福田",
        "黄埔",
        "新北",
        "钟楼",
        "鼓楼",
        "东海",
        "滨海",
        "大丰",
        "如东",
        "通州",
        "普陀",
        "静安",
        "吉安",
        "和田",
        "宝山",
        "长春",
        "黄山",
        "三明",
        "玉林",
        "大同",
        "保定",
        "承德",
        "东城",
        "西城",
        "大兴",
        "金华",
        "海东",
        "海北",
        "海西",
        "山南",
        "日照",
        "德州",
        "东营",
        "黑河",
        "广安",
        "兴安",
        "崇左",
        "海陵",
        "广陵",
        "京口",
        "天宁",
        "新吴",
        "连云",
        "海州",
        "六合",
        "建湖",
        "金湖",
        "滨湖",
        "云龙",
        "泉山",
        "高港",
    ]
)
# A name followed by one of these is a street or a sub-district (北京西路, 江宁路, 玄武街道), not a region.
_STREET_SUFFIXES = ("东路", "西路", "南路", "北路", "中路", "大街", "大道", "路", "街", "巷")
_MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})


@dataclass(frozen=True)
class Location:
    """Province, city and county codes; None where not stated or ambiguous."""

    province: str | None = None
    city: str | None = None
    county: str | None = None


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    candidates: tuple[Region, ...]
    needs_context: bool
    city_alias: bool = False


@lru_cache(maxsize=1)
def _names() -> dict[str, tuple[tuple[Region, ...], bool, bool]]:
    """Every name -> (regions it may mean, needs a containing region named first, needs its city named)."""
    grouped: dict[str, list[Region]] = {}
    for region in all_regions():
        for name in {region.name, region.short}:
            if len(name) >= 2:
                grouped.setdefault(name, []).append(region)
    for name, code in _FORMER_NAMES.items():
        grouped.setdefault(name, []).append(_region(code))
    names = {name: (tuple(found), name in _COMMON_WORDS, False) for name, found in grouped.items()}
    for name, codes in _CITY_ALIASES.items():
        names.setdefault(name, (tuple(_region(code) for code in codes), True, True))
    return names


def _region(code: str) -> Region:
    region = get_region(code)
    if region is None:
        raise KeyError(code)
    return region


@lru_cache(maxsize=1)
def _scan_limits() -> tuple[frozenset[str], int]:
    names = _names()
    return frozenset(name[0] for name in names), max(len(name) for name in names)


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


def _stands_alone(text: str, start: int, end: int) -> bool:
    before = start == 0 or not _is_cjk(text[start - 1])
    return before and (end == len(text) or not _is_cjk(text[end]))


def _mentions(text: str) -> list[_Mention]:
    """Region names in ``text``, left to right, longest match first, not overlapping."""
    names = _names()
    first_chars, longest = _scan_limits()
    found: list[_Mention] = []
    position = 0
    while position < len(text) - 1:
        if text[position] in first_chars:
            for length in range(min(longest, len(text) - position), 1, -1):
                entry = names.get(text[position : position + length])
                if entry and not text.startswith(_STREET_SUFFIXES, position + length):
                    regions, needs_context, city_alias = entry
                    # A common word standing alone ("中山", "长春-南关区") is a place name after all.
                    if needs_context and not city_alias and _stands_alone(text, position, position + length):
                        needs_context = False
                    found.append(_Mention(position, position + length, regions, needs_context, city_alias))
                    position += length
                    break
            else:
                position += 1
        else:
            position += 1
    return found


def _consistent(region: Region, state: Region) -> bool:
    return is_within(region.code, state.code) or is_within(state.code, region.code)


def _ancestors(region: Region) -> list[str]:
    chain = []
    current: Region | None = region
    while current is not None:
        chain.append(current.code)
        current = get_region(current.parent)
    return chain


def _depth(code: str) -> int:
    return 1 if code.endswith("0000") else 2 if code.endswith("00") else 3


def _common_ancestor(regions: tuple[Region, ...]) -> Region | None:
    """The deepest region containing all of ``regions`` (a municipality means its city)."""
    shared = set(_ancestors(regions[0]))
    for region in regions[1:]:
        shared &= set(_ancestors(region))
    if not shared:
        return None
    deepest = max(shared, key=_depth)
    if deepest in _MUNICIPALITIES:
        deepest = deepest[:3] + "100"
    return get_region(deepest)


def _candidates(mention: _Mention, state: Region | None) -> tuple[Region, ...]:
    if state is None:
        return () if mention.needs_context else mention.candidates
    if mention.city_alias:
        return tuple(
            c for c in mention.candidates if c.parent is not None and is_within(state.code, c.parent)
        )
    return tuple(c for c in mention.candidates if _consistent(c, state))


def _refine(state: Region | None, regions: tuple[Region, ...]) -> Region | None:
    """The state after a mention: the deeper region when it fits, else unchanged."""
    if not regions:
        return state
    chosen = regions[0] if len(regions) == 1 else _common_ancestor(regions)
    nested = chosen is not None and chosen in regions  # 淮安: the city, which contains 淮安区
    if chosen is None or (len(regions) > 1 and state is not None and not nested):
        return state
    if state is None or is_within(chosen.code, state.code):
        return chosen
    return state


def _location(state: Region | None) -> Location:
    if state is None:
        return Location()
    province = state.code[:2] + "0000"
    city = state.code if state.level == "city" else state.parent if state.level == "county" else None
    return Location(province, city, state.code if state.level == "county" else None)


def _resolve(mentions: list[_Mention]) -> Region | None:
    state: Region | None = None
    ambiguous: list[_Mention] = []
    for mention in mentions:
        options = _candidates(mention, state)
        if len(options) > 1:
            ambiguous.append(mention)
        state = _refine(state, options)
    for mention in ambiguous:  # a city named after 鼓楼区 still decides it
        options = _candidates(mention, state)
        if len(options) == 1:
            state = _refine(state, options)
    return state


def parse_location(text: str | None) -> Location:
    """The most specific place a short location field names (the first one when it names several)."""
    return _location(_resolve(_mentions(fold_text(text))))


def find_locations(text: str | None) -> list[Location]:
    """Every distinct place an ad body names, in order (consecutive names refine one place)."""
    groups: list[list[_Mention]] = []
    state: Region | None = None
    for mention in _mentions(fold_text(text)):
        options = _candidates(mention, state)
        if state is not None and not options and _candidates(mention, None):
            groups.append([])  # names a place outside the current one: a new place starts
            state = None
            options = _candidates(mention, None)
        if not groups:
            groups.append([])
        groups[-1].append(mention)
        state = _refine(state, options)
    found = [_location(_resolve(group)) for group in groups]
    return [loc for index, loc in enumerate(found) if loc != Location() and loc not in found[:index]]
