"""Place names to region codes: hierarchy implied, ambiguity left open, common words not taken for places."""

from __future__ import annotations

import pytest

from crawlers.normalise.location import Location, find_locations, parse_location

NANJING, SUZHOU, WUXI = "320100", "320500", "320200"
JS = "320000"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("江苏-南京-江宁区", Location(JS, NANJING, "320115")),
        ("南京市江宁区", Location(JS, NANJING, "320115")),
        ("江宁", Location(JS, NANJING, "320115")),
        ("苏州工业园区", Location(JS, SUZHOU, "320571")),
        ("江苏省苏州苏州工业园区", Location(JS, SUZHOU, "320571")),
        ("苏州-工业园区", Location(JS, SUZHOU, "320571")),
        ("苏州 高新区", Location(JS, SUZHOU, "320505")),
        ("无锡-无锡新区", Location(JS, WUXI, "320214")),
        ("昆山", Location(JS, SUZHOU, "320583")),
        ("昆山市", Location(JS, SUZHOU, "320583")),
        ("南京", Location(JS, NANJING, None)),
        ("江苏省淮安", Location(JS, "320800", None)),  # the city, not 淮安区
        ("鼓楼区", Location()),  # 南京, 徐州, 福州 or 开封: nothing is certain
        ("南京鼓楼区", Location(JS, NANJING, "320106")),
        ("徐州市鼓楼区", Location(JS, "320300", "320302")),
        ("鼓楼区，南京", Location(JS, NANJING, "320106")),  # city named after the district
        ("南京·雨花台区·南京南站", Location(JS, NANJING, "320114")),
        ("南京 苏州", Location(JS, NANJING, None)),  # the first place wins
        ("白下区", Location(JS, NANJING, "320104")),  # merged into 秦淮 in 2013
        ("南通市海门区", Location(JS, "320600", "320614")),
        ("北京", Location("110000", "110100", None)),
        ("北京_朝阳_望京_北京地区麦田", Location("110000", "110100", "110105")),
        ("上海_黄浦_南京东路_上海黄浦南京东路", Location("310000", "310100", "310101")),
        ("深圳深圳南山区", Location("440000", "440300", "440305")),
        ("广州", Location("440000", "440100", None)),
        ("湖北省武汉东湖新技术产业开发区", Location("420000", "420100", None)),
        ("中山", Location("440000", "442000", None)),  # a city when it stands alone
    ],
)
def test_parse_location(text: str, expected: Location) -> None:
    assert parse_location(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", None, "garbage", "中山路", "北京西路", "江宁路", "在光明的未来里", "园区", "江苏 新区", "朝阳"],
)
def test_non_places_and_unresolvable_names(text: str | None) -> None:
    location = parse_location(text)
    assert location.city is None and location.county is None


def test_find_locations_lists_each_place_once_in_order() -> None:
    body = "公司位于南京市江宁区，在苏州昆山也有工厂，另招上海浦东员工。总部：南京江宁区秣陵街道"
    assert find_locations(body) == [
        Location(JS, NANJING, "320115"),
        Location(JS, SUZHOU, "320583"),
        Location("310000", "310100", "310115"),
    ]


def test_find_locations_ignores_streets_and_words() -> None:
    assert find_locations("地址：鼓楼区北京西路，中山路口，前途光明") == []  # 鼓楼区 alone: four cities
    assert find_locations("地址：南京鼓楼区北京西路，中山路口，前途光明") == [Location(JS, NANJING, "320106")]


CQ, SH, BJ = "500100", "310100", "110100"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("渝北区", Location("500000", CQ, "500112")),
        ("重庆-渝北区", Location("500000", CQ, "500112")),
        ("重庆市万州区", Location("500000", CQ, "500101")),
        ("万州区", Location("500000", CQ, "500101")),
        ("重庆 城口县", Location("500000", CQ, "500229")),  # a 5002xx county under the 500100 city
        ("江北区", Location()),  # 重庆 or 宁波
        ("重庆江北区", Location("500000", CQ, "500105")),
        ("宁波江北区", Location("330000", "330200", "330205")),
        ("福州市鼓楼区", Location("350000", "350100", "350102")),
        ("开封鼓楼区", Location("410000", "410200", "410204")),
        ("朝阳区", Location()),  # 北京 or 长春
        ("长春-朝阳区", Location("220000", "220100", "220104")),
        ("北京朝阳区", Location("110000", BJ, "110105")),
        ("山西阳泉城区", Location("140000", "140300", "140302")),
        ("城区", Location()),
        ("河南", Location("410000", None, None)),  # the province, not 河南蒙古族自治县
        ("青海黄南河南蒙古族自治县", Location("630000", "632300", "632324")),
        ("西安", Location("610000", "610100", None)),  # not 辽源/牡丹江 西安区
        ("仙桃市", Location("420000", "429000", "429004")),
        ("新疆石河子", Location("650000", "659000", "659001")),
        ("杭州临平区", Location("330000", "330100", "330113")),
    ],
)
def test_counties_across_china(text: str, expected: Location) -> None:
    assert parse_location(text) == expected


@pytest.mark.parametrize(
    ("text", "county"),
    [
        ("闸北区", "310106"),
        ("上海闸北区", "310106"),
        ("卢湾区", "310101"),
        ("南汇区", "310115"),
        ("上海市南汇区", "310115"),
        ("川沙县", "310115"),
        ("崇明县", "310151"),  # 县 -> 区, derived from the stem
        ("崇文区", "110101"),
        ("宣武区", "110102"),
        ("密云县", "110118"),
        ("塘沽区", "120116"),
        ("重庆双桥区", "500111"),
        ("万盛区", "500110"),
        ("铜梁县", "500151"),
        ("重庆市璧山县", "500120"),
        ("开县", "500154"),
        ("江津市", "500116"),
        ("港闸区", "320613"),
        ("白下区", "320104"),
        ("下关区", "320106"),
        ("金阊区", "320508"),
        ("沧浪区", "320508"),
        ("平江区", "320508"),
        ("海门市", "320614"),
        ("大丰市", "320904"),
        ("姜堰市", "321204"),
        ("江都市", "321012"),
        ("淮阴县", "320804"),
        ("楚州区", "320803"),
        ("铜山县", "320312"),
        ("赣榆县", "320707"),
        ("新浦区", "320706"),
        ("北塘区", "320213"),
        ("崇安区", "320213"),
        ("南长区", "320213"),
        ("戚墅堰区", "320412"),
        ("金坛市", "320413"),
        ("溧水县", "320117"),
        ("高淳县", "320118"),
        ("洪泽县", "320813"),
        ("清浦区", "320812"),
        ("淮安清河区", "320812"),  # 清河区 alone could be 铁岭's
        ("维扬区", "321003"),
        ("吴江市", "320509"),
        ("萝岗区", "440112"),
        ("郫县", "510117"),
        ("杭州下城区", "330105"),
    ],
)
def test_former_names_resolve_to_todays_county(text: str, county: str) -> None:
    assert parse_location(text).county == county


@pytest.mark.parametrize(("text", "city"), [("吴县市", SUZHOU), ("锡山市", WUXI), ("双桥区", None)])
def test_split_or_shared_former_names_keep_only_what_is_certain(text: str, city: str | None) -> None:
    location = parse_location(text)
    assert location.county is None and location.city == city


@pytest.mark.parametrize(
    "text",
    ["位于老城区的门店", "新城区店长", "诚邀合作伙伴", "团队友好", "城区配送员", "安居乐业", "前进路口"],
)
def test_county_names_elsewhere_are_not_words_in_sentences(text: str) -> None:
    assert parse_location(text) == Location()
