"""Real saved pages (../shared/data/html): extraction with the shipped source files, and a loopback crawl."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from crawlers.config.load import load_source
from crawlers.extract.items import extract_items
from crawlers.record import Context, build_record
from store.models import CrawlRun, Listing, ListingVersion
from tests.conftest import needs_real_data
from tests.crawlers.helpers import HTML, SOURCES, run_crawl
from tests.crawlers.local_server import Route, serve

pytestmark = [
    needs_real_data(HTML, "real pages folder"),
]
PAGES = {
    "real-51job-search": "51job_search_gbk/51job.html",
    "real-zhaopin-2018": "zhaopin_search_2018/zhilian.html",
    "real-lagou-2016": "lagou_search_2016/lagou.html",
}


def _records(source: str, content_type: str | None = None) -> list[dict]:
    from parsel import Selector

    from crawlers.fetch.encoding import choose_encoding

    config = load_source(SOURCES / f"{source}.toml")
    body = (HTML / PAGES[source]).read_bytes()
    text = body.decode(choose_encoding(body, content_type, config.encoding))
    ctx = Context(kind="job", region=config.region, page_url="http://127.0.0.1/x", today=date(2021, 3, 1))
    raws = extract_items(Selector(text=text), text, config.extract)
    for raw in raws:  # the spider joins row links with the page URL
        if raw.get("url", "").startswith("//"):
            raw["url"] = "http:" + raw["url"]
    return [build_record(raw, ctx) for raw in raws]


def test_51job_embedded_json_gives_every_ad_with_fields() -> None:
    records = _records("real-51job-search")
    assert len(records) == 50
    first = records[0]
    assert first["key"] == "id:120082369" and first["title"] == "Java开发工程师"
    assert first["employer_name"] == "源资信息科技（上海）有限公司"  # as written (full-width brackets)
    assert (first["salary_min"], first["salary_max"]) == (10000, 20000)
    assert first["city_code"] == "310100" and first["posted_date"] == date(2021, 2, 26)
    assert sum(r["salary_min"] is not None for r in records) >= 45
    assert len({r["key"] for r in records}) == 50


def test_zhaopin_2018_rows() -> None:
    records = _records("real-zhaopin-2018")
    assert len(records) == 60
    first = records[0]
    assert first["url"].startswith("http://jobs.zhaopin.com/") and first["employer_name"]
    assert (first["salary_min"], first["salary_max"]) == (15000, 25000)
    assert "马尼拉" in first["body"]
    assert all(r["title"] for r in records)


def test_lagou_2016_rows() -> None:
    records = _records("real-lagou-2016")
    assert len(records) == 15
    first = records[0]
    assert first["key"] == "id:2480676" and first["employer_name"] == "京东"
    assert (first["salary_min"], first["salary_max"]) == (15000, 30000)
    assert first["posted_date"] == date(2016, 10, 19)


@pytest.fixture
def real_site() -> Iterator[str]:
    routes = {"/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")}
    for path in PAGES.values():
        # no charset in the header: the crawler must find GBK / UTF-8 by itself (51job is also forced)
        routes[f"/{path}"] = Route((HTML / path).read_bytes(), content_type="text/html")
    mismatch = "zhaopin_charset_mismatch/search_meta_iso8859_body_utf8.html"
    routes[f"/{mismatch}"] = Route(
        (HTML / mismatch).read_bytes(), content_type="text/html; charset=iso-8859-1"
    )
    with serve(routes) as (base, _hits):
        yield base


def test_crawl_of_real_pages_on_loopback(db: Engine, db_url: str, real_site: str) -> None:
    for source, expected in (("real-51job-search", 50), ("real-zhaopin-2018", 60), ("real-lagou-2016", 15)):
        summary = run_crawl(source, db_url, {"real_pages": real_site})
        assert summary["status"] == "succeeded", summary
        assert summary["items"] == expected and summary["items_new"] == expected
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Listing)).scalar() == 125
        assert conn.execute(select(func.count()).select_from(ListingVersion)).scalar() == 125
        titles = set(conn.execute(select(Listing.title)).scalars())
        assert "Java开发工程师" in titles and "数据挖掘" in titles
        assert (
            conn.execute(
                select(func.count()).select_from(CrawlRun).where(CrawlRun.status == "succeeded")
            ).scalar()
            == 3
        )


def test_spider_decodes_the_zhaopin_page_whose_header_and_meta_lie() -> None:
    from scrapy.http import HtmlResponse

    from crawlers.extract.structured import dig, find_embedded_json
    from crawlers.spider import decode_page

    body = (HTML / "zhaopin_charset_mismatch" / "search_meta_iso8859_body_utf8.html").read_bytes()
    response = HtmlResponse(
        "http://127.0.0.1/z.html", body=body, headers={"Content-Type": "text/html; charset=iso-8859-1"}
    )
    assert "招聘" not in response.text  # what trusting the header gives: mojibake
    text, page = decode_page(response)
    assert page.css("title::text").get() == "招聘（求职）尽在智联招聘"
    assert dig(find_embedded_json(text, "__INITIAL_STATE__"), "currentCityInfo.name") == "长春"
