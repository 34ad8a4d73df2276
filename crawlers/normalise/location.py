"""Place names in job ads to region codes ("江苏-南京-江宁区", "南京市江宁区", "苏州工业园区", "昆山").

Names are found by a greedy longest-match scan against the full and short names in ``store.regions``
plus former names (闸北区, 铜梁县: ``store.regions.former_names``) and a few aliases (园区/高新区 inside
苏州). A county implies its city and province. A name shared by several regions (鼓楼区 is in 南京, 徐州,
福州 and 开封) is only resolved by a city or province named elsewhere in the text; otherwise just their
common ancestor is kept, which gives no county. Short names that are also everyday words (光明, 白云,
中山, 阿里, ...) count only once a containing region has been named. Outside the areas crawled in depth
(``store.regions.HOME_AREAS``: Jiangsu and the ORFD cities) every county name is treated that way too: 渝北区
counts after 重庆 or standing alone as a location field, never inside a sentence on its own (老城区, 新城区,
合作, 友好 are words there); a county's short name that is also a city's or province's (河南, 西安) is not
taken for the county.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from store.regions import Region, all_regions, former_names, get_region, is_home, is_within
from store.text import fold_text

# Colloquial names of a division (former names live in store.regions.FORMER_NAMES).
_ALIASES = {
    "苏州高新区": "320505",
    "苏州园区": "320571",
    "无锡新区": "320214",
    "莱芜": "370100",  # the former city, now part of 济南 (莱芜区 is only its old core)
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


def _named_regions() -> Iterator[tuple[str, Region, bool]]:
    """(name, region, strong) for every name a region goes by; a weak name needs context to count."""
    for region in all_regions():
        if region.level == "city" and not region.administrative:
            continue  # 省直辖县级行政区划 is a grouping, not a place anyone names
        strong = region.level != "county" or is_home(region.code)
        yield region.name, region, strong
        if region.short != region.name:
            yield region.short, region, strong
    for name, codes in former_names().items():
        for code in codes:
            yield name, _region(code), is_home(code)
    for name, code in _ALIASES.items():
        yield name, _region(code), True


@lru_cache(maxsize=1)
def _names() -> dict[str, tuple[tuple[Region, ...], bool, bool]]:
    """Every name -> (regions it may mean, needs a containing region named first, needs its city named).

    A name with a strong meaning (a province, city or home-area county) counts anywhere and keeps every
    full-name meaning (鼓楼区: 南京, 徐州, 福州, 开封); a weak short name beside a strong one is dropped
    (河南 is the province, not 河南蒙古族自治县). A name with only weak meanings needs context."""
    strong: dict[str, list[Region]] = {}
    weak: dict[str, list[Region]] = {}
    for name, region, is_strong in _named_regions():
        if len(name) >= 2:
            found = (strong if is_strong else weak).setdefault(name, [])
            if region not in found:
                found.append(region)
    names: dict[str, tuple[tuple[Region, ...], bool, bool]] = {}
    for name in strong.keys() | weak.keys():
        regions = strong.get(name, []) + [r for r in weak.get(name, []) if _keeps_weak(name, r, strong)]
        names[name] = (tuple(regions), name in _COMMON_WORDS or name not in strong, False)
    for name, codes in _CITY_ALIASES.items():
        names.setdefault(name, (tuple(_region(code) for code in codes), True, True))
    return names


def _keeps_weak(name: str, region: Region, strong: dict[str, list[Region]]) -> bool:
    """A weak meaning stays beside strong ones when the name is its full name or a containing region's."""
    if name not in strong or name == region.name:
        return True
    return any(is_within(region.code, other.code) for other in strong[name])


def _region(code: str) -> Region:
    region = get_region(code)
    if region is None:
        raise KeyError(code)
    return region


@lru_cache(maxsize=1)
def _lengths() -> dict[str, tuple[int, ...]]:
    """First character -> the lengths of the names starting with it, longest first."""
    grouped: dict[str, set[int]] = {}
    for name in _names():
        grouped.setdefault(name[0], set()).add(len(name))
    return {char: tuple(sorted(lengths, reverse=True)) for char, lengths in grouped.items()}


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


def _stands_alone(text: str, start: int, end: int) -> bool:
    before = start == 0 or not _is_cjk(text[start - 1])
    return before and (end == len(text) or not _is_cjk(text[end]))


def _mentions(text: str) -> list[_Mention]:
    """Region names in ``text``, left to right, longest match first, not overlapping."""
    names, lengths = _names(), _lengths()
    found: list[_Mention] = []
    position = 0
    while position < len(text) - 1:
        if text[position] in lengths:
            for length in lengths[text[position]]:
                if position + length > len(text):
                    continue
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
