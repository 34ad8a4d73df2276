"""Administrative divisions (GB/T 2260 six-digit codes): every province, city and county-level division
of mainland China, plus the province rows of 台湾, 香港 and 澳门.

The table lives in ``regions_gbt2260.txt`` (provenance, vintage and deliberate deviations in its header)
and is read once, on first use. Codes are the current ones (Nantong's 2020 merger of 崇川/港闸 into 320613
and 海门 becoming 320614 included). 苏州工业园区 (320571, the statistical code) is kept as a well-known
non-administrative area under 苏州 city; it is marked ``administrative=False``, as are the grouping rows of
county-level units ruled directly by a province (429000: 仙桃, 潜江, ...). Municipalities get a city-level
row (110100 北京市) that also holds their counties (500229 城口县 -> 500100), so ``city_of`` works the same
everywhere. ``FORMER_NAMES`` maps superseded names (闸北区, 铜梁县) to today's divisions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

Level = Literal["province", "city", "county"]

_DATA = Path(__file__).with_name("regions_gbt2260.txt")
_MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
# The areas crawled in depth (Jiangsu and the ORFD cities): their county names count anywhere in a text.
HOME_AREAS = ("32", "1101", "3101", "4401", "4403")

# Superseded names still seen in older ads -> today's division(s); several codes when the old unit was
# split (the resolver then keeps only their common city). Suffix changes with an unchanged stem
# (铜梁县 -> 铜梁区, 吴江市 -> 吴江区) need no row: ``former_names`` derives them.
FORMER_NAMES: dict[str, tuple[str, ...]] = {
    # 北京 (2010: 崇文 -> 东城, 宣武 -> 西城; 1986: 燕山 -> 房山; 1997: 通县 -> 通州区)
    "崇文区": ("110101",),
    "宣武区": ("110102",),
    "燕山区": ("110111",),
    "通县": ("110112",),
    # 天津 (2009: 塘沽/汉沽/大港 -> 滨海新区; 2016: 蓟县 -> 蓟州区)
    "塘沽区": ("120116",),
    "汉沽区": ("120116",),
    "大港区": ("120116",),
    "蓟县": ("120119",),
    # 上海 (2015: 闸北 -> 静安; 2011: 卢湾 -> 黄浦; 2000: 南市 -> 黄浦; 2009: 南汇 -> 浦东; 1993: 川沙;
    # 1992: 上海县 -> 闵行; 1988: 吴淞 -> 宝山)
    "闸北区": ("310106",),
    "卢湾区": ("310101",),
    "南汇区": ("310115",),
    "川沙县": ("310115",),
    "上海县": ("310112",),
    "吴淞区": ("310113",),
    # 江苏
    "白下区": ("320104",),  # 2013 -> 秦淮
    "下关区": ("320106",),  # 2013 -> 鼓楼
    "崇安区": ("320213",),  # 2015 -> 梁溪
    "南长区": ("320213",),
    "北塘区": ("320213",),
    "锡山市": ("320205", "320206"),  # 2000: split into 锡山区 and 惠山区
    "戚墅堰区": ("320412",),  # 2015 -> 武进 (not 新北)
    "金坛市": ("320413",),
    "沧浪区": ("320508",),  # 2012 -> 姑苏
    "平江区": ("320508",),
    "金阊区": ("320508",),
    "吴县市": ("320506", "320507"),  # 2001: split into 吴中区 and 相城区
    "吴县": ("320506", "320507"),
    "吴江市": ("320509",),
    "港闸区": ("320613",),  # 2020 -> 崇川
    "通州市": ("320612",),
    "海门市": ("320614",),
    "海安县": ("320685",),
    "新浦区": ("320706",),  # 2014 -> 海州
    "赣榆县": ("320707",),
    "楚州区": ("320803",),  # 2012 renamed 淮安区
    "淮阴县": ("320804",),  # 2001 -> 淮阴区
    "清河区": ("320812",),  # 2016 -> 清江浦 (铁岭 still has a 清河区)
    "清浦区": ("320812",),
    "洪泽县": ("320813",),
    "盐都县": ("320903",),
    "大丰市": ("320904",),
    "维扬区": ("321003",),  # 2011 -> 邗江
    "江都市": ("321012",),
    "姜堰市": ("321204",),
    "宿豫县": ("321311",),
    "铜山县": ("320312",),
    "溧水县": ("320117",),
    "高淳县": ("320118",),
    # 浙江 (2021: 下城 -> 拱墅; 江干 -> 上城 and 钱塘)
    "下城区": ("330105",),
    "江干区": ("330102", "330114"),
    # 广东 (2005: 东山 -> 越秀, 芳村 -> 荔湾; 2014: 萝岗 -> 黄埔)
    "东山区": ("440104",),
    "芳村区": ("440103",),
    "萝岗区": ("440112",),
    # 重庆 (2011: 双桥 + 大足县 -> 大足区, 万盛 + 綦江县 -> 綦江区; 2016: 开县 -> 开州区; 1998: 万县市)
    "双桥区": ("500111",),
    "万盛区": ("500110",),
    "开县": ("500154",),
    "万县市": ("500101",),
    # 四川, 陕西 (2016: 郫县 -> 郫都区, 户县 -> 鄠邑区)
    "郫县": ("510117",),
    "户县": ("610118",),
    # 山东 (2019: 莱芜市 -> 济南)
    "莱芜市": ("370100",),
}
_SHORT_OVERRIDES = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "西藏自治区": "西藏",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
    "苏州工业园区": "苏州工业园区",
    "东乡族自治县": "东乡",
    "鄂伦春自治旗": "鄂伦春",
    "鄂温克族自治旗": "鄂温克",
    "大柴旦行政委员会": "大柴旦",
}
_ETHNIC = (
    "朝鲜|土家|苗|侗|布依|藏|羌|彝|哈尼|壮|傣|景颇|傈僳|白|回|蒙古|哈萨克|柯尔克孜|满|畲|瑶|黎|土|仫佬|毛南"
    "|仡佬|水|纳西|拉祜|佤|布朗|独龙|怒|普米|撒拉|保安|东乡|裕固|锡伯|塔吉克|达斡尔|各"
)
# 管城回族区, 延边朝鲜族自治州, 青龙满族自治县, 莫力达瓦达斡尔族自治旗: the stem before the people's name.
_ETHNIC_NAME = re.compile(rf"^(.{{2,5}}?)(?:{_ETHNIC})族?.*(?:自治[州县旗]|族区)$")
_SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "新区", "林区", "特区", "盟", "省", "市", "区", "县")


@dataclass(frozen=True)
class Region:
    """One administrative division."""

    code: str
    name: str
    short: str
    level: Level
    parent: str | None
    administrative: bool = True


def _level_of(code: str) -> Level:
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


def _parent_of(code: str) -> str | None:
    level = _level_of(code)
    if level == "province":
        return None
    if level == "county" and code[:2] in _MUNICIPALITIES:
        return code[:2] + "0100"  # 500229 城口县 belongs to 500100 重庆市
    return code[:2] + "0000" if level == "city" else code[:4] + "00"


def short_name(name: str) -> str:
    """The everyday name: 江宁区 -> 江宁, 延边朝鲜族自治州 -> 延边; one-character stems keep it (沛县)."""
    if name in _SHORT_OVERRIDES:
        return _SHORT_OVERRIDES[name]
    ethnic = _ETHNIC_NAME.match(name)
    if ethnic:
        return ethnic.group(1)
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _tokens() -> Iterator[tuple[str, str, bool]]:
    """(code, name, administrative) for every row of the data file, in file order."""
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        city = ""
        for token in line.split():
            administrative = not token.startswith("~")
            token = token.lstrip("~")
            digits = len(token) - len(token.lstrip("0123456789"))
            code = token[:digits] if digits == 6 else city[:4] + token[:digits]
            if digits not in (2, 6) or len(code) != 6:
                raise ValueError(f"bad region token {token!r} in {_DATA.name}")
            if digits == 6 and code.endswith("00"):
                city = code
            yield code, token[digits:], administrative


@lru_cache(maxsize=1)
def _index() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for code, name, administrative in _tokens():
        regions[code] = Region(
            code=code,
            name=name,
            short=short_name(name),
            level=_level_of(code),
            parent=_parent_of(code),
            administrative=administrative,
        )
    return regions


@lru_cache(maxsize=1)
def _children() -> dict[str, tuple[Region, ...]]:
    grouped: dict[str, list[Region]] = {}
    for region in _index().values():
        if region.parent is not None:
            grouped.setdefault(region.parent, []).append(region)
    return {parent: tuple(sorted(kids, key=lambda r: r.code)) for parent, kids in grouped.items()}


@lru_cache(maxsize=1)
def _by_name() -> dict[str, tuple[Region, ...]]:
    grouped: dict[str, list[Region]] = {}
    for region in _index().values():
        for key in {region.name, region.short}:
            grouped.setdefault(key, []).append(region)
    return {name: tuple(found) for name, found in grouped.items()}


def is_home(code: str | None) -> bool:
    """True inside the areas crawled in depth (Jiangsu, the districts of 北京/上海/广州/深圳)."""
    return bool(code) and str(code).startswith(HOME_AREAS)


def get_region(code: str | None) -> Region | None:
    """The region with this code, or None."""
    return _index().get(code) if code else None


def region_name(code: str | None) -> str:
    """The full name for a code ("" when unknown)."""
    region = get_region(code)
    return region.name if region else ""


def all_regions() -> list[Region]:
    """Every region, ordered by code."""
    return sorted(_index().values(), key=lambda r: r.code)


def provinces() -> list[Region]:
    """All province-level divisions."""
    return [r for r in all_regions() if r.level == "province"]


def cities(province: str = "320000") -> list[Region]:
    """The prefecture-level cities of a province (Jiangsu by default)."""
    return [r for r in _children().get(province, ()) if r.level == "city"]


def counties(city_code: str, *, administrative_only: bool = False) -> list[Region]:
    """Districts, county-level cities and counties of a city (plus 苏州工业园区 unless excluded)."""
    kids = _children().get(city_code, ())
    return [r for r in kids if r.level == "county" and (r.administrative or not administrative_only)]


def regions_named(name: str) -> tuple[Region, ...]:
    """Regions whose full or short name is exactly ``name`` (鼓楼区 -> 南京, 徐州, 福州 and 开封)."""
    return _by_name().get(name, ())


def _suffix_aliases() -> Iterator[tuple[str, str]]:
    """(old name, code) for counties whose stem kept its name while the suffix changed: 铜梁县 -> 铜梁区
    (县 -> 区), 江都市 -> 江都区 (县级市 -> 区), 昆山县 -> 昆山市 (县 -> 市). Skipped where the old name is
    still some division's name, or where the stem is not unique among its city's counties."""
    names = _by_name()
    for kids in _children().values():
        counties = [k for k in kids if k.level == "county" and k.administrative]
        stems = [k.name[:-1] for k in counties]
        for county, stem in zip(counties, stems, strict=True):
            olds = {"区": ("县", "市"), "市": ("县",)}.get(county.name[-1], ())
            if len(stem) < 2 or stems.count(stem) > 1:
                continue
            for suffix in olds:
                if stem + suffix not in names and stem + suffix not in FORMER_NAMES:
                    yield stem + suffix, county.code


@lru_cache(maxsize=1)
def former_names() -> dict[str, tuple[str, ...]]:
    """Every superseded name -> today's division code(s): ``FORMER_NAMES`` plus the suffix changes."""
    found = dict(FORMER_NAMES)
    for name, code in _suffix_aliases():
        found[name] = (*found.get(name, ()), code)
    return found


def city_of(code: str | None) -> str | None:
    """The city code of a county (a city maps to itself; provinces and unknown codes to None)."""
    region = get_region(code)
    if region is None or region.level == "province":
        return None
    return region.code if region.level == "city" else region.parent


def province_of(code: str | None) -> str | None:
    """The province code of any region, or None when unknown."""
    region = get_region(code)
    return region.code[:2] + "0000" if region else None


def is_within(code: str | None, ancestor_code: str | None) -> bool:
    """True when ``code`` is ``ancestor_code`` or lies inside it (a 320500 user may see 320505)."""
    region = get_region(code)
    while region is not None:
        if region.code == ancestor_code:
            return True
        region = get_region(region.parent)
    return False
