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
        ("鼓楼区", Location(JS, None, None)),  # 南京 or 徐州: only the province is certain
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
    assert find_locations("地址：鼓楼区北京西路，中山路口，前途光明") == [Location(JS, None, None)]
