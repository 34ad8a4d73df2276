"""Extraction and records on generated pages: selectors, schema.org, embedded JSON, validation, hashes."""

from __future__ import annotations

import json
from datetime import date

import pytest
from parsel import Selector as Page

from crawlers.config.schema import EmbeddedJson, Extract, Selector
from crawlers.extract.html_text import html_to_text
from crawlers.extract.items import extract_items
from crawlers.extract.structured import find_embedded_json
from crawlers.record import Context, InvalidItem, build_record, listing_key, parse_posted

CTX = Context(kind="job", region="320100", page_url="http://127.0.0.1/jobs/1.html", today=date(2025, 7, 1))


def test_html_to_text_repairs_broken_markup_and_keeps_lines() -> None:
    text = html_to_text("<div><p>月薪<b>5000</b>元<p>包吃住<br>电话 138<script>alert(1)</script><li>一<td>二")
    assert text == "月薪5000元\n包吃住\n电话 138\n一\n二"


def test_selectors_on_a_detail_page() -> None:
    html = "<h1> 招聘 普工 </h1><dl><dd class='s'>4000-6000元/月</dd></dl><div class='d'><p>一</p><p>二</div>"
    spec = Extract(
        fields={
            "title": Selector(css="h1::text"),
            "salary": Selector(xpath="//dd[@class='s']/text()"),
            "body": Selector(css="div.d", html=True),
        }
    )
    assert extract_items(Page(text=html), html, spec) == [
        {"title": "招聘 普工", "salary": "4000-6000元/月", "body": "一\n二"}
    ]


def test_rows_of_a_list_page() -> None:
    html = "".join(f"<li class='job' data-id='{n}'><a href='/j/{n}'>岗位{n}</a></li>" for n in range(3))
    spec = Extract(
        on="list",
        row=Selector(css="li.job"),
        fields={"title": Selector(css="a::text"), "external_id": Selector(xpath="@data-id")},
    )
    items = extract_items(Page(text=html), html, spec)
    assert [i["external_id"] for i in items] == ["0", "1", "2"] and items[2]["title"] == "岗位2"


def test_schema_org_json_ld_in_a_graph_and_microdata() -> None:
    posting = {
        "@type": "JobPosting",
        "title": "操作工",
        "description": "<p>包吃住</p><p>电话13812345678</p>",
        "hiringOrganization": {"@type": "Organization", "name": "南京某厂"},
        "baseSalary": {
            "@type": "MonetaryAmount",
            "value": {"minValue": 5000, "maxValue": 7000, "unitText": "MONTH"},
        },
        "jobLocation": {
            "address": {"addressRegion": "江苏省", "addressLocality": "南京市", "streetAddress": "江宁区"}
        },
        "identifier": {"@type": "PropertyValue", "name": "南京某厂", "value": "J-77"},
        "datePosted": "2025-06-01",
    }
    html = (
        '<script type="application/ld+json">{broken</script><script type="application/ld+json">'
        + json.dumps({"@graph": [{"@type": "WebPage"}, posting]})
        + "</script><span class='age'>18-40岁</span>"
    )
    spec = Extract(mode="schema_org", fields={"age": Selector(css="span.age::text")})
    [item] = extract_items(Page(text=html), html, spec)
    assert item["title"] == "操作工" and item["employer"] == "南京某厂" and item["external_id"] == "J-77"
    assert item["salary"] == "5000-7000元/月" and item["location"] == "江苏省南京市江宁区"
    assert item["body"] == "包吃住\n电话13812345678" and item["age"] == "18-40岁"
    micro = (
        '<div itemscope itemtype="https://schema.org/JobPosting"><h1 itemprop="title">保安</h1>'
        '<div itemprop="hiringOrganization" itemscope><span itemprop="name">苏州保安公司</span></div>'
        '<div itemprop="description"><p>夜班</p></div></div>'
    )
    [item] = extract_items(Page(text=micro), micro, Extract(mode="schema_org"))
    assert (item["title"], item["employer"], item["body"]) == ("保安", "苏州保安公司", "夜班")


def test_embedded_json_with_a_trailing_script() -> None:
    data = {
        "engine_jds": [{"id": 1, "name": "普工", "co": {"n": "甲厂"}}, {"id": 2, "name": "焊工", "co": {}}]
    }
    html = f"<script>var x = 1; window.__SEARCH_RESULT__ = {json.dumps(data)};\nfoo();</script>"
    assert find_embedded_json(html, "window.__SEARCH_RESULT__") == data
    spec = Extract(
        mode="embedded_json",
        on="list",
        embedded_json=EmbeddedJson(
            variable="window.__SEARCH_RESULT__",
            path="engine_jds",
            fields={"external_id": "id", "title": "name", "employer": "co.n"},
        ),
    )
    assert extract_items(Page(text=html), html, spec) == [
        {"external_id": "1", "title": "普工", "employer": "甲厂"},
        {"external_id": "2", "title": "焊工", "employer": None},
    ]


def test_a_record_is_normalised_and_keeps_the_text_as_written() -> None:
    raw = {
        "title": "招聘普工５名",
        "employer": "南京市江宁区某某電子廠",
        "salary": "4千-6千/月",
        "age": "18-45周岁",
        "location": "南京市江宁区",
        "contact": "王经理 138-1234-5678 微信 wx_abc123",
        "body": "包吃住\n人力资源服务许可证编号：320115202301\n统一社会信用代码 91320115MA1XXXXX0X",
        "posted": "06-03",
        "external_id": "A1",
    }
    record = build_record(raw, CTX)
    # stored fields keep the characters (電子廠 is not 电子厂, ５ is not 5); keys and search fold them
    assert record["key"] == "id:A1" and record["title"] == "招聘普工５名"
    assert record["employer_name"] == "南京市江宁区某某電子廠"
    assert (record["salary_min"], record["salary_max"], record["age_min"], record["age_max"]) == (
        4000,
        6000,
        18,
        45,
    )
    assert (record["city_code"], record["county_code"]) == ("320100", "320115")
    assert record["contacts"]["phones"] == ["13812345678"]
    assert record["posted_date"] == date(2025, 6, 3) and len(record["content_hash"]) == 64


def test_stored_fields_keep_traditional_characters_and_ages_contacts_read_right() -> None:
    raw = {
        "title": "招聘普工（長白班）",
        "employer": "苏州乾旺电子有限公司（昌昇）",
        "body": "年龄16周岁(含)以上\n联系电话：0512-6523123 手机13812345678\n地址：苏州市吴中区",
    }
    record = build_record(raw, CTX)
    assert (
        record["employer_name"] == "苏州乾旺电子有限公司（昌昇）" and record["title"] == "招聘普工（長白班）"
    )
    assert "乾旺" in record["body"] or "6523123" in record["body"]
    assert (record["age_min"], record["age_max"]) == (16, None)
    assert record["contacts"] == {"phones": ["05126523123", "13812345678"]}  # no QQ invented


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ({"body": "x"}, "title"),
        ({"title": "  "}, "title"),
        ({"title": "a", "url": "javascript:x"}, "http"),
        ({"title": "a", "salary": "8000-3000元", "employer": None}, "required field\\(s\\): employer"),
    ],
)
def test_invalid_items_say_why(raw: dict, reason: str) -> None:
    ctx = Context(
        kind="job", region="320100", page_url=CTX.page_url, required=("title", *raw.keys() - {"body"})
    )
    with pytest.raises(InvalidItem, match=reason):
        build_record(raw, ctx)


def test_hash_ignores_where_the_ad_was_seen_and_keys_fall_back_to_urls() -> None:
    raw = {"title": "普工", "body": "包吃住"}
    one = build_record(raw, CTX)
    other = build_record(
        raw, Context(kind="job", region="320100", page_url="http://127.0.0.1/jobs/1.html?a=1")
    )
    assert one["content_hash"] == other["content_hash"]
    assert build_record({**raw, "body": "不包吃住"}, CTX)["content_hash"] != one["content_hash"]
    assert listing_key({}, "http://127.0.0.1/a?b=2&a=1#top") == "url:/a?a=1&b=2"
    assert parse_posted("2025年6月3日") == date(2025, 6, 3) and parse_posted("2025-02-30") is None
