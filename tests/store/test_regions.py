"""The region table: every county-level division of mainland China, codes current, hierarchy queries."""

from __future__ import annotations

import pytest

from store.regions import (
    FORMER_NAMES,
    all_regions,
    cities,
    city_of,
    counties,
    former_names,
    get_region,
    is_within,
    province_of,
    provinces,
    region_name,
    regions_named,
    short_name,
)

JIANGSU_CITIES = {
    "320100": "南京市",
    "320200": "无锡市",
    "320300": "徐州市",
    "320400": "常州市",
    "320500": "苏州市",
    "320600": "南通市",
    "320700": "连云港市",
    "320800": "淮安市",
    "320900": "盐城市",
    "321000": "扬州市",
    "321100": "镇江市",
    "321200": "泰州市",
    "321300": "宿迁市",
}
# Counts of current county-level divisions per city (districts + county-level cities + counties).
COUNTY_COUNTS = {
    "320100": 11,
    "320200": 7,
    "320300": 10,
    "320400": 6,
    "320500": 9,
    "320600": 7,
    "320700": 6,
    "320800": 7,
    "320900": 9,
    "321000": 6,
    "321100": 6,
    "321200": 6,
    "321300": 5,
}


def test_jiangsu_has_its_thirteen_cities() -> None:
    assert {r.code: r.name for r in cities("320000")} == JIANGSU_CITIES


@pytest.mark.parametrize(("city", "count"), COUNTY_COUNTS.items())
def test_each_jiangsu_city_has_all_its_counties(city: str, count: int) -> None:
    assert len(counties(city, administrative_only=True)) == count


def test_jiangsu_has_95_county_level_divisions() -> None:
    total = sum(len(counties(code, administrative_only=True)) for code in JIANGSU_CITIES)
    assert total == 95


def test_nanjing_districts_by_name() -> None:
    names = {r.short for r in counties("320100")}
    expected = {"玄武", "秦淮", "建邺", "鼓楼", "浦口", "栖霞", "雨花台", "江宁", "六合", "溧水", "高淳"}
    assert names == expected


def test_suzhou_counties_include_the_industrial_park_as_non_administrative() -> None:
    names = {r.name for r in counties("320500")}
    assert {
        "虎丘区",
        "吴中区",
        "相城区",
        "姑苏区",
        "吴江区",
        "常熟市",
        "张家港市",
        "昆山市",
        "太仓市",
    } <= names
    park = get_region("320571")
    assert park is not None and park.name == "苏州工业园区"
    assert park.administrative is False and city_of("320571") == "320500"
    assert "320571" not in {r.code for r in counties("320500", administrative_only=True)}


@pytest.mark.parametrize(
    ("code", "name", "short", "level", "parent"),
    [
        ("320000", "江苏省", "江苏", "province", None),
        ("320115", "江宁区", "江宁", "county", "320100"),
        ("320114", "雨花台区", "雨花台", "county", "320100"),
        ("320583", "昆山市", "昆山", "county", "320500"),
        ("320613", "崇川区", "崇川", "county", "320600"),  # the 2020 code, not the old 320602
        ("320614", "海门区", "海门", "county", "320600"),
        ("320685", "海安市", "海安", "county", "320600"),
        ("320812", "清江浦区", "清江浦", "county", "320800"),
        ("320213", "梁溪区", "梁溪", "county", "320200"),
        ("320322", "沛县", "沛县", "county", "320300"),
        ("440100", "广州市", "广州", "city", "440000"),
        ("440300", "深圳市", "深圳", "city", "440000"),
        ("110100", "北京市", "北京", "city", "110000"),
        ("310115", "浦东新区", "浦东", "county", "310100"),
        ("450000", "广西壮族自治区", "广西", "province", None),
    ],
)
def test_known_codes(code: str, name: str, short: str, level: str, parent: str | None) -> None:
    region = get_region(code)
    assert region is not None
    assert (region.name, region.short, region.level, region.parent) == (name, short, level, parent)


@pytest.mark.parametrize("code", ["320602", "320611", "320103", "320584", "320000x", "", "999999"])
def test_abolished_or_invalid_codes_are_unknown(code: str) -> None:
    assert get_region(code) is None
    assert region_name(code) == ""


def test_every_province_level_division_is_present() -> None:
    found = provinces()
    assert len(found) == 34
    assert {"北京", "上海", "香港", "澳门", "台湾", "新疆", "内蒙古"} <= {r.short for r in found}


def test_every_region_has_a_known_parent_and_unique_code() -> None:
    regions = all_regions()
    assert len({r.code for r in regions}) == len(regions)
    for region in regions:
        assert region.parent is None or get_region(region.parent) is not None, region


@pytest.mark.parametrize(
    ("code", "city"),
    [("320505", "320500"), ("320500", "320500"), ("320000", None), ("110105", "110100"), ("nope", None)],
)
def test_city_of(code: str, city: str | None) -> None:
    assert city_of(code) == city


@pytest.mark.parametrize(
    ("code", "ancestor", "inside"),
    [
        ("320505", "320500", True),
        ("320505", "320000", True),
        ("320505", "320505", True),
        ("320105", "320500", False),
        ("320500", "320505", False),
        ("440300", "320000", False),
        ("unknown", "320000", False),
        ("320505", None, False),
    ],
)
def test_is_within(code: str, ancestor: str | None, inside: bool) -> None:
    assert is_within(code, ancestor) is inside


def test_ambiguous_names_return_every_match() -> None:
    assert {r.code for r in regions_named("鼓楼区")} == {"320106", "320302", "350102", "410204"}
    assert {r.code for r in regions_named("朝阳区")} == {"110105", "220104"}
    assert len(regions_named("城区")) == 3  # 阳泉, 晋城, 汕尾
    assert {r.code for r in regions_named("苏州")} == {"320500"}
    assert province_of("320583") == "320000"


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("延边朝鲜族自治州", "延边"),
        ("黔东南苗族侗族自治州", "黔东南"),
        ("西双版纳傣族自治州", "西双版纳"),
        ("锡林郭勒盟", "锡林郭勒"),
        ("青龙满族自治县", "青龙"),
        ("管城回族区", "管城"),
        ("莫力达瓦达斡尔族自治旗", "莫力达瓦"),
        ("积石山保安族东乡族撒拉族自治县", "积石山"),
        ("神农架林区", "神农架"),
        ("六枝特区", "六枝"),
        ("渝北区", "渝北"),
        ("和县", "和县"),
    ],
)
def test_short_name(name: str, short: str) -> None:
    assert short_name(name) == short


MAINLAND = sorted(
    {r.code[:2] for r in provinces()} - {"71", "81", "82"}
)  # 台湾, 香港, 澳门: no counties here
# County-level divisions per province (民政部 totals for the table's vintage; 河南 counts 济源, 湖北 its
# four directly ruled units, 新疆 the eleven 兵团 cities, 福建 金门县).
PROVINCE_COUNTS = {"13": 167, "32": 95, "37": 136, "41": 157, "44": 122, "50": 38, "51": 183, "65": 107}


def _county_count(province: str) -> int:
    return sum(
        1 for r in all_regions() if r.level == "county" and r.administrative and r.code.startswith(province)
    )


@pytest.mark.parametrize("province", MAINLAND)
def test_every_mainland_province_has_counties(province: str) -> None:
    assert _county_count(province) >= 16


def test_about_2843_county_level_divisions_in_all() -> None:
    assert sum(_county_count(p) for p in MAINLAND) == 2843
    assert {p: _county_count(p) for p in PROVINCE_COUNTS} == PROVINCE_COUNTS


def test_statistical_areas_are_dropped_but_the_suzhou_park_stays() -> None:
    codes = {r.code for r in all_regions()}
    assert not {"130171", "620171", "410173"} & codes
    extra = {r.code for r in all_regions() if r.level == "county" and not r.administrative}
    assert extra == {"320571", "232761", "232762", "232763", "232764", "632857"}


def test_every_city_row_is_a_known_city() -> None:
    for province in provinces():
        for city in cities(province.code):
            assert city.parent == province.code
    assert {r.code for r in cities("500000")} == {"500100"}
    assert [r.name for r in cities("420000")][-1] == "省直辖县级行政区划"
    grouping = get_region("429000")
    assert grouping is not None and grouping.administrative is False


@pytest.mark.parametrize(
    ("code", "name", "city"),
    [
        ("500112", "渝北区", "500100"),
        ("500101", "万州区", "500100"),
        ("500229", "城口县", "500100"),
        ("429004", "仙桃市", "429000"),
        ("460302", "西沙区", "460300"),
        ("659001", "石河子市", "659000"),
        ("220184", "公主岭市", "220100"),
        ("330114", "钱塘区", "330100"),
    ],
)
def test_counties_outside_jiangsu(code: str, name: str, city: str) -> None:
    region = get_region(code)
    assert region is not None and region.name == name and city_of(code) == city


def test_former_names_point_at_current_codes() -> None:
    for name, codes in former_names().items():
        assert codes, name
        for code in codes:
            region = get_region(code)
            assert region is not None and region.administrative, (name, code)
        assert not regions_named(name) or name in FORMER_NAMES, name


@pytest.mark.parametrize(
    ("old", "code"),
    [
        ("铜梁县", "500151"),
        ("江都市", "321012"),
        ("崇明县", "310151"),
        ("昆山县", "320583"),
        ("开县", "500154"),
    ],
)
def test_former_names_include_suffix_changes(old: str, code: str) -> None:
    assert former_names()[old] == (code,)


def test_region_table_is_loaded_once() -> None:
    assert all_regions()[0] is all_regions()[0]
