"""Feeds of social posts: the path evaluator, source checks, and real crawls of the two feed demo sites.

The crawls run `python -m crawlers.run` over real HTTP on 127.0.0.1 (real Scrapy, robots.txt, the
off-site filter) into the test database, and are measured against the demo web's ground truth.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from crawlers.demo_web import DemoWeb, ground_truth
from crawlers.evaluate import post_accuracy
from crawlers.feeds.posts import post_count, post_time
from crawlers.jsonpath import PathError, find_all, find_one, parse_path
from crawlers.record import Context, build_record
from organisations.linking.keys import ListingKeys, account_key, keys_from_fields
from organisations.linking.resolve import resolve
from organisations.linking.run import link_listings
from store.models import CrawlRun, Listing, ListingVersion
from tests.crawlers.helpers import SOURCES, run_crawl, write_source

SEED = 2014
FEEDS = {"demo-weibo-feed": "weibo-feed", "demo-video-feed": "video-feed"}


@pytest.fixture(scope="module")
def web() -> Iterator[DemoWeb]:
    with DemoWeb(seed=SEED, n_job=0, n_marriage=0, slow_seconds=0) as demo:
        yield demo


def test_paths_read_keys_indexes_and_stars() -> None:
    data = {
        "data": {
            "statuses": [{"user": {"screen_name": "小美"}, "pics": [{"caption": "a"}, {"caption": "b"}]}]
        }
    }
    assert find_all(data, "data.statuses[*].pics[*].caption") == ["a", "b"]
    assert find_one(data, "$.data.statuses[0].user.screen_name") == "小美"
    assert find_one(data, "data.statuses[-1]['user'].screen_name") == "小美"
    assert find_all(data, "data.missing[*].x") == [] and find_one(data, "data.statuses[5]") is None
    for bad, why in [
        ("user..name", "empty key"),
        ("pics[*", r"expected \[n\]"),
        ("a.", "ends with"),
        ("a b", "unexpected"),
    ]:
        with pytest.raises(PathError, match=why) as caught:
            parse_path(bad)
        assert "\n" not in str(caught.value) and repr(bad) in str(caught.value)


def test_post_times_and_counts_as_real_feeds_write_them() -> None:
    assert post_time("Tue Jun 03 10:21:00 +0800 2025").isoformat() == "2025-06-03T10:21:00+08:00"  # type: ignore[union-attr]
    assert post_time("1748917260").isoformat() == "2025-06-03T10:21:00+08:00"  # type: ignore[union-attr]
    assert post_time("2025-06-03 10:21").isoformat() == "2025-06-03T10:21:00+08:00"  # type: ignore[union-attr]
    assert post_time("3分钟前") is None
    assert (post_count("1.2万"), post_count("57"), post_count("转发")) == (12_000, 57, None)


def _cli(monkeypatch: pytest.MonkeyPatch, folder: Path, *args: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from labourwatch import app
    from store.cli import cli_settings

    monkeypatch.setenv("LABOURWATCH_SOURCES_DIR", str(folder))
    monkeypatch.setenv("LABOURWATCH_SITE_URLS", '{"weibo-feed": "http://127.0.0.1:9"}')
    cli_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    finally:
        cli_settings.cache_clear()
    return result.exit_code, f"{result.output}\n{result.exception or ''}"


def test_sources_check_names_the_file_and_field_of_a_bad_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = (SOURCES / "demo-weibo-feed.toml").read_text(encoding="utf-8").split("\n", 1)[1]
    assert (
        _cli(monkeypatch, tmp_path, "sources", "check", str(write_source(tmp_path, "feed-ok", good)))[0] == 0
    )
    bad = good.replace('"user.screen_name"', '"user..screen_name"').replace(
        '"data.next_cursor"', '"data[next]"'
    )
    path = write_source(tmp_path, "feed-bad", bad)
    code, output = _cli(monkeypatch, tmp_path, "sources", "check", str(path))
    assert code == 1, output
    lines = [line for line in output.splitlines() if "feed-bad.toml" in line]
    assert any(
        "extract.json_feed.fields.author" in line and "invalid path 'user..screen_name'" in line
        for line in lines
    ), output
    assert any("links.cursor" in line and "invalid path 'data[next]'" in line for line in lines), output
    html = write_source(tmp_path, "feed-html", good.replace('mode = "json_feed"', 'mode = "schema_org"'))
    code, output = _cli(monkeypatch, tmp_path, "sources", "check", str(html))
    assert code == 1 and "they need mode = 'json_feed'" in output, output


def _crawl_feeds(db_url: str, web: DemoWeb) -> dict[str, dict]:
    summaries = {}
    for source in FEEDS:
        summary = run_crawl(source, db_url, web.urls)
        assert summary["status"] == "succeeded", summary
        assert summary["items_invalid"] == 0 and summary["errors"] == 0, summary
        summaries[source] = summary
    return summaries


def test_both_feeds_are_crawled_read_right_and_linked_to_their_authors(
    db: Engine, db_url: str, web: DemoWeb
) -> None:
    truth = ground_truth(SEED, 1, 0, 0)
    summaries = _crawl_feeds(db_url, web)
    # cursor paging: 60 posts, 10 a page, the 6th page's cursor is 0; page paging: 5 pages, then an empty one
    assert summaries["demo-weibo-feed"]["pages"] == 6 and summaries["demo-weibo-feed"]["items"] == 60
    assert summaries["demo-video-feed"]["pages"] == 6 and summaries["demo-video-feed"]["items"] == 40
    report = post_accuracy(db, truth, FEEDS)
    print("feed accuracy:", json.dumps(report, ensure_ascii=False))
    assert report["coverage"] == 1.0, report
    assert min(report["accuracy"].values()) >= 0.98, report
    with db.connect() as conn:
        versions = conn.execute(
            select(
                col(ListingVersion.raw_content_type), col(ListingVersion.raw_gz), col(ListingVersion.fields)
            )
        ).all()
        assert len(versions) == 100  # one version per post: the evidence
        assert all(v.raw_content_type.startswith("application/json") for v in versions)
        assert all(
            json.loads(gzip.decompress(v.raw_gz)) and v.fields["extra"]["post"]["author"] for v in versions
        )
    _check_links(db, truth)
    again = run_crawl("demo-weibo-feed", db_url, web.urls)  # the same posts: no new version
    assert (again["status"], again["items"], again["items_new"], again["items_changed"]) == (
        "succeeded",
        60,
        0,
        0,
    )


def test_robots_txt_governs_feeds_as_it_does_boards(
    db: Engine, db_url: str, web: DemoWeb, tmp_path: Path
) -> None:
    text = (SOURCES / "demo-weibo-feed.toml").read_text(encoding="utf-8").split("\n", 1)[1]
    write_source(tmp_path, "weibo-private", text.replace("/api/statuses/home_timeline", "/u/home_timeline"))
    summary = run_crawl("weibo-private", db_url, web.urls, sources_dir=tmp_path)  # robots.txt: Disallow: /u/
    assert summary["status"] == "failed" and summary["pages"] == 0, summary
    assert "Forbidden by robots.txt" in summary["reason"], summary


def _check_links(db: Engine, truth: dict[str, dict]) -> None:
    """Every actor's posts land on one organisation, and no organisation holds two actors."""
    with Session(db) as session:
        link_listings(session)
        session.commit()
        rows = session.execute(
            select(col(Listing.url), col(Listing.organisation_id), col(Listing.source_id))
        ).all()
    by_path = {path: fields for site in FEEDS.values() for path, fields in truth[site].items()}
    orgs_of_actor: dict[str, set[int]] = defaultdict(set)
    actors_of_org: dict[int, set[str]] = defaultdict(set)
    for url, org_id, _source_id in rows:
        actor = by_path["/" + url.split("/", 3)[3]]["org_key"]
        orgs_of_actor[actor].add(org_id)
        actors_of_org[org_id].add(actor)
    # one broker posting under two names (苏州红娘小美, 小美姐-婚介) with one phone, on both platforms
    assert len(orgs_of_actor["feed-broker-xiaomei"]) == 1
    # one gang master's posts sharing a WeChat ID, on both platforms
    assert len(orgs_of_actor["feed-gang-laozhang"]) == 1
    assert all(
        len(orgs) == 1 for actor, orgs in orgs_of_actor.items() if not actor.startswith("feed-user")
    ), orgs_of_actor
    assert all(len(actors) == 1 for actors in actors_of_org.values()), actors_of_org


def test_a_malformed_json_page_is_logged_with_its_url_and_the_run_goes_on(
    db: Engine, db_url: str, web: DemoWeb, tmp_path: Path
) -> None:
    text = (SOURCES / "demo-weibo-feed.toml").read_text(encoding="utf-8").split("\n", 1)[1]
    text = text.replace(
        'start_urls = ["{weibo-feed}/api/statuses/home_timeline?count=10"]',
        'start_urls = ["{weibo-feed}/api/statuses/broken_timeline", "{weibo-feed}/api/statuses/home_timeline?count=10"]',
    )
    write_source(tmp_path, "weibo-broken", text)
    summary = run_crawl("weibo-broken", db_url, web.urls, sources_dir=tmp_path)
    broken = f"{web.urls['weibo-feed']}/api/statuses/broken_timeline"
    assert f"page unreadable: {broken}: malformed JSON" in summary["stderr"], summary["stderr"]
    assert summary["status"] == "succeeded" and summary["items"] == 60 and summary["errors"] == 1, summary
    with db.connect() as conn:
        stats = conn.execute(select(col(CrawlRun.stats))).scalar_one()
    assert stats["lw/error_last"].startswith(f"{broken}: malformed JSON: ")


HTML_FEED = """
kind = "job"
region = "320500"
start_urls = ["{video-feed}/web/feed?page=1"]
min_items = 10

[links]
next = { css = "a.next::attr(href)" }

[extract]
mode = "selectors"
on = "list"
row = { css = "div.feed div.post" }

[extract.fields]
external_id = { css = "::attr(data-id)" }
url = { css = "a.permalink::attr(href)" }
author = { css = "a.author::text" }
employer = { css = "span.verified::text" }
text = { css = "div.text", html = true }
time = { css = "time::attr(datetime)" }
reposts = { css = "span.shares::text" }
captions = { css = "ul.captions li::text", all = true }
"""


def test_an_html_feed_of_posts_is_read_like_the_json_one(
    db: Engine, db_url: str, web: DemoWeb, tmp_path: Path
) -> None:
    write_source(tmp_path, "video-web", HTML_FEED)
    summary = run_crawl("video-web", db_url, web.urls, sources_dir=tmp_path)
    assert summary["status"] == "succeeded" and summary["items"] == 40 and summary["pages"] == 5, summary
    report = post_accuracy(db, ground_truth(SEED, 1, 0, 0), {"video-web": "video-feed"})
    print("html feed accuracy:", json.dumps(report, ensure_ascii=False))
    assert report["coverage"] == 1.0 and min(report["accuracy"].values()) >= 0.98, report


def _post_keys(listing_id: int, source_id: int, author: str, text: str, captions: str = "") -> ListingKeys:
    """The linking keys of a post, through the same record builder the crawl uses."""
    raw = {"author": author, "text": text, "captions": captions or None, "url": f"http://x.cn/p/{listing_id}"}
    record = build_record(
        raw, Context(kind="marriage", region="320500", page_url="", required=("text",), posts=True)
    )
    return keys_from_fields(
        listing_id,
        employer_name=record["employer_name"],
        city_code=record["city_code"],
        contacts=record["contacts"],
        texts=(record["title"], record["body"]),
        account=account_key(source_id, record["extra"]),
    )


def test_two_posts_by_one_author_with_one_wechat_are_one_organisation() -> None:
    keys = [
        _post_keys(1, 1, "缘来是你-越南新娘", "越南姑娘，十九岁，包成功！\nv信 yuenan888 详聊"),
        _post_keys(
            2, 2, "缘来是你-越南新娘", "今天又送一位新娘到家", "有意者加薇 yuenan888"
        ),  # another platform
        _post_keys(3, 1, "平江路的猫", "平江路的猫又胖了😂"),
    ]
    assert keys[1].wechat_ids == {"yuenan888"}  # found in a picture caption
    clusters = resolve(keys).clusters
    assert sorted(c.listing_ids for c in clusters) == [(1, 2), (3,)]
    assert set(next(c for c in clusters if 1 in c.listing_ids).evidence) == {"wechat"}
    same_platform = [
        _post_keys(1, 1, "老张劳务-日结", "vx：zhang_lw88"),
        _post_keys(2, 1, "老张劳务-日结", "➕V zhang_lw88"),
    ]
    assert [c.listing_ids for c in resolve(same_platform).clusters] == [(1, 2)]


def test_a_broker_posting_under_two_names_with_one_phone_is_linked() -> None:
    keys = [
        _post_keys(1, 1, "苏州红娘小美", "包成功，不成功退一半\n电话 一三八 六二零一 一二三四"),
        _post_keys(2, 2, "小美姐-婚介", "周末在金鸡湖边拍照\n婚介咨询：138-6201-1234"),
        _post_keys(3, 2, "电工老李找活", "求职｜本人男，三十五岁，电话13771234567"),
    ]
    assert keys[0].accounts != keys[1].accounts and keys[0].name != keys[1].name
    clusters = resolve(keys).clusters
    assert sorted(c.listing_ids for c in clusters) == [(1, 2), (3,)]
    assert set(next(c for c in clusters if 1 in c.listing_ids).evidence) == {"phone"}


def test_one_handle_on_two_platforms_is_not_one_account() -> None:
    assert account_key(1, {"post": {"author": "Ｘｉａｏ 小美"}}) == "1:xiao 小美"  # folded for matching
    assert account_key(1, {"post": {"author": "小美"}}) != account_key(2, {"post": {"author": "小美"}})
    assert account_key(1, {}) is None and account_key(None, {"post": {"author": "小美"}}) is None


def test_relative_post_times_count_back_from_when_the_page_was_read() -> None:
    from datetime import date, datetime

    from crawlers.feeds.posts import CHINA, relative_time
    from crawlers.record import parse_posted

    now = datetime(2026, 12, 4, 0, 30, tzinfo=CHINA)

    def at(text: str) -> str | None:
        found = post_time(text, now)
        return found.isoformat(timespec="minutes") if found else None

    assert at("3分钟前") == "2026-12-04T00:27+08:00"
    assert at("３分钟之前") == "2026-12-04T00:27+08:00"  # full-width figures
    assert at("半小时前") == "2026-12-04T00:00+08:00"
    assert at("2小时前") == "2026-12-03T22:30+08:00"  # across midnight
    assert at("两天前") == "2026-12-02T00:30+08:00" and at("1周前") == "2026-11-27T00:30+08:00"
    assert at("昨天 12:30") == "2026-12-03T12:30+08:00" and at("前天") == "2026-12-02T00:00+08:00"
    assert at("刚刚") == "2026-12-04T00:30+08:00"
    assert at("23:50") == "2026-12-03T23:50+08:00"  # a bare clock time later than now was yesterday's
    assert at("00:10") == "2026-12-04T00:10+08:00"
    for nothing in ("", "很久以前", "前", "25:61", "三分", "3分钟后", "以前"):
        assert at(nothing) is None, nothing
    assert relative_time("3天前", datetime(2026, 12, 4, 12, 0, tzinfo=CHINA)) == datetime(
        2026, 12, 1, 12, 0, tzinfo=CHINA
    )
    assert post_time("3分钟前") is None  # without the time the page was read, nothing to count from
    assert parse_posted("3天前", now=now) == date(2026, 12, 1)
    assert parse_posted("昨天", now=now) == date(2026, 12, 3)
    assert parse_posted("12-30", now=datetime(2027, 1, 2, 9, 0, tzinfo=CHINA)) == date(2026, 12, 30)
    assert parse_posted("12-03", now=now) == date(2026, 12, 3)
    assert parse_posted("3天前") is None
