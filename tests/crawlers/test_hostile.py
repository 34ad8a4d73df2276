"""A hostile web: robots.txt by RFC 9309, huge bodies, endless redirects and slow drips stay bounded."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from crawlers.fetch.robots import verdict_for_status
from store.models import CrawlRun, Listing
from tests.crawlers.helpers import run_crawl, write_source
from tests.crawlers.local_server import Route, huge_body, serve, slow_drip

AD = "<html><body><h1>招聘包装工</h1><div class='d'>月薪4500元 南京市江宁区 电话13812345678</div></body></html>"
SOURCE = """
kind = "job"
region = "320100"
start_urls = [{urls}]
min_items = 1
[links]
detail = {{ css = "a.ad::attr(href)" }}
[extract]
[extract.fields]
title = {{ css = "h1::text" }}
body = {{ css = "div.d", html = true }}
[politeness]
download_timeout = 2
"""
LIST = "<html><body>" + "".join(f"<a class='ad' href='/ad/{n}'>ad</a>" for n in range(3)) + "</body></html>"


def _source(folder: Path, name: str, *paths: str) -> Path:
    urls = ", ".join(f'"{{site}}{p}"' for p in paths)
    return write_source(folder, name, SOURCE.format(urls=urls))


def _site(robots: Route) -> dict[str, Route]:
    routes = {"/robots.txt": robots, "/list": Route(LIST.encode())}
    routes |= {f"/ad/{n}": Route(AD.replace("包装工", f"包装工{n}").encode()) for n in range(3)}
    return routes


def _hang_up(request: BaseHTTPRequestHandler) -> None:
    request.close_connection = True  # no status line at all: the robots.txt is unreachable


def test_robots_status_verdicts_follow_rfc_9309() -> None:
    assert verdict_for_status(200) == "parse"
    assert verdict_for_status(404) == "allow_all" and verdict_for_status(401) == "allow_all"
    assert verdict_for_status(503) == "disallow_all" and verdict_for_status(500) == "disallow_all"
    assert verdict_for_status(429) == "disallow_all"


@pytest.mark.parametrize(
    ("robots", "why"),
    [
        (Route(b"busy", status=503, content_type="text/plain"), "HTTP 503"),
        (Route(handler=_hang_up), "unreachable"),
    ],
)
def test_a_failing_robots_txt_means_crawl_nothing(
    db: Engine, db_url: str, tmp_path: Path, robots: Route, why: str
) -> None:
    _source(tmp_path, "robots-fail", "/list")
    with serve(_site(robots)) as (base, hits):
        summary = run_crawl("robots-fail", db_url, {"site": base}, sources_dir=tmp_path)
    assert summary["status"] == "failed" and "robots.txt" in summary["reason"] and why in summary["reason"]
    assert hits.get("/list", 0) == 0 and not any(p.startswith("/ad/") for p in hits)
    assert summary["pages"] == 0


def test_missing_robots_txt_allows_and_disallow_rules_are_obeyed(
    db: Engine, db_url: str, tmp_path: Path
) -> None:
    _source(tmp_path, "robots-ok", "/list")
    with serve(_site(Route(b"nothing", status=404))) as (base, hits):
        allowed = run_crawl("robots-ok", db_url, {"site": base}, sources_dir=tmp_path)
    assert allowed["status"] == "succeeded" and allowed["items"] == 3
    rules = Route(b"User-agent: *\nDisallow: /ad/1\n", content_type="text/plain")
    with serve(_site(rules)) as (base, hits):
        partial = run_crawl("robots-ok", db_url, {"site": base}, sources_dir=tmp_path)
    assert partial["items"] == 2 and "/ad/1" not in hits and hits["/ad/0"] == 1


def _redirect_forever(request: BaseHTTPRequestHandler) -> None:
    request.send_response(302)
    request.send_header("Location", request.path + "x")
    request.send_header("Content-Length", "0")
    request.end_headers()


def test_hostile_pages_cannot_hang_or_exhaust_the_crawler(db: Engine, db_url: str, tmp_path: Path) -> None:
    _source(tmp_path, "hostile", "/list", "/huge", "/redirect", "/drip")
    routes = _site(Route(b"User-agent: *\nAllow: /\n", content_type="text/plain"))
    routes |= {"/huge": Route(handler=huge_body(40)), "/drip": Route(handler=slow_drip(30))}
    for n in range(12):
        routes["/redirect" + "x" * n] = Route(handler=_redirect_forever)
    started = time.monotonic()
    with serve(routes) as (base, hits):
        summary = run_crawl("hostile", db_url, {"site": base}, sources_dir=tmp_path, timeout=60)
    elapsed = time.monotonic() - started
    assert elapsed < 30, f"the crawl took {elapsed:.0f} s"
    assert summary["status"] == "succeeded" and summary["items"] == 3, summary
    assert summary["errors"] >= 3  # huge, redirect loop and drip each failed, after retries where due
    assert sum(1 for p in hits if p.startswith("/redirect")) <= 4  # REDIRECT_MAX_TIMES = 3
    with db.connect() as conn:
        stats = conn.execute(select(CrawlRun.stats).where(CrawlRun.status == "succeeded")).scalar_one()
    assert stats["lw/pages"] == 4  # the list and three ads; nothing hostile was parsed


def test_cli_crawl_shows_progress_and_a_summary(
    db: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from labourwatch import app
    from store.cli import cli_engine, cli_settings

    _source(tmp_path, "cli-ok", "/list")
    _source(tmp_path, "cli-blocked", "/list")
    with (
        serve(_site(Route(b"User-agent: *\nDisallow: /\n", content_type="text/plain"))) as (blocked, _),
        serve(_site(Route(b"", status=404))) as (base, _hits),
    ):
        for name, value in {
            "SOURCES_DIR": str(tmp_path),
            "DATABASE_URL": db_url,
            "DATA_DIR": str(tmp_path),
            "SITE_URLS": f'{{"site": "{base}"}}',
        }.items():
            monkeypatch.setenv(f"LABOURWATCH_{name}", value)
        cli_settings.cache_clear()
        cli_engine.cache_clear()
        ok = CliRunner().invoke(app, ["crawl", "cli-ok", "--fast-loopback"])
        monkeypatch.setenv("LABOURWATCH_SITE_URLS", f'{{"site": "{blocked}"}}')
        cli_settings.cache_clear()
        failed = CliRunner().invoke(app, ["crawl", "cli-blocked", "--fast-loopback"])
    cli_settings.cache_clear()
    cli_engine.cache_clear()
    assert ok.exit_code == 0, ok.output
    assert "Crawl summary" in ok.output and "succeeded" in ok.output and "cli-ok" in ok.output
    assert failed.exit_code != 0 and "failed" in failed.output and "(min_" in failed.output
    assert (tmp_path / "logs" / "crawl-cli-ok.log").exists(), sorted(tmp_path.rglob("*"))


def _closed_port_url() -> str:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_a_redirect_to_another_port_is_refused_and_counted(db: Engine, db_url: str, tmp_path: Path) -> None:
    _source(tmp_path, "offsite", "/list")
    foreign = {
        "/robots.txt": Route(b"", status=404),
        "/evil": Route(AD.replace("包装工", "外站广告").encode()),
    }
    with serve(foreign) as (other, other_hits):
        routes = _site(Route(b"", status=404))
        routes["/ad/1"] = Route(status=302, headers={"Location": f"{other}/evil"})
        routes["/ad/2"] = Route(status=302, headers={"Location": f"{_closed_port_url()}/evil"})
        with serve(routes) as (base, _hits):
            summary = run_crawl("offsite", db_url, {"site": base}, sources_dir=tmp_path)
    assert other_hits == {}  # neither the foreign page nor its robots.txt was fetched
    assert summary["status"] == "succeeded" and summary["items"] == 1, summary
    assert summary["errors"] == 2
    with db.connect() as conn:
        titles = conn.execute(select(Listing.title)).scalars().all()
        stats = conn.execute(select(CrawlRun.stats)).scalar_one()
    assert titles == ["招聘包装工0"]
    assert stats["lw/offsite_refused"] == 2 and "off-site redirect" in stats["lw/offsite_last"]


def test_same_site_means_scheme_host_and_port(tmp_path: Path) -> None:
    from crawlers.config.load import load_source
    from crawlers.config.resolve import resolve_source
    from crawlers.fetch.offsite import same_site

    local = resolve_source(
        load_source(_source(tmp_path, "local", "/list")), {"site": "http://127.0.0.1:8600"}
    )
    assert same_site("http://127.0.0.1:8600/ad/1", local)
    assert not same_site("http://127.0.0.1:8601/ad/1", local) and not same_site("http://127.0.0.1/x", local)
    assert not same_site("http://localhost:8600/ad/1", local)
    text = SOURCE.format(urls='"http://www.example.cn/list"')
    text = text.replace("[links]", 'allowed_domains = ["example.cn"]\n[links]')
    real = resolve_source(load_source(write_source(tmp_path, "real", text)), {})
    assert same_site("https://www.example.cn/list", real)  # an upgrade to https on the default port
    assert same_site("https://jobs.example.cn/ad/1", real)  # a subdomain of a configured domain
    assert not same_site("http://www.example.cn:8080/ad/1", real)
    assert not same_site("http://example.com/", real)


def test_the_time_limit_bounds_a_run_full_of_slow_downloads(db: Engine, db_url: str, tmp_path: Path) -> None:
    text = SOURCE.format(urls='"{site}/list"').replace("download_timeout = 2", "download_timeout = 90")
    text = text.replace("[links]", '[links]\nnext = { css = "a.next::attr(href)" }')
    write_source(tmp_path, "slow", text)
    drips = "".join(f"<a class='ad' href='/drip/{n}'>ad</a>" for n in range(24))
    routes = _site(Route(b"", status=404))
    routes["/list"] = Route(LIST.replace("</body>", "<a class='next' href='/list2'>next</a></body>").encode())
    routes["/list2"] = Route(f"<html><body>{drips}</body></html>".encode())
    routes |= {f"/drip/{n}": Route(handler=slow_drip(120)) for n in range(24)}
    env = {"LABOURWATCH_CRAWL_TIMEOUT_S": "10"}
    started = time.monotonic()
    with serve(routes) as (base, _hits):
        summary = run_crawl("slow", db_url, {"site": base}, sources_dir=tmp_path, timeout=110, env=env)
    elapsed = time.monotonic() - started
    # Unbounded, closing waits for the 120 s drips; the margin over 10 s is for start-up on a busy machine.
    assert elapsed < 45, f"a 10 s limit ended after {elapsed:.0f} s"
    assert summary["status"] == "failed" and "time limit" in summary["reason"], summary
    assert summary["items"] == 3 and summary["errors"] >= 1, summary  # pages in flight count as errors
    with db.connect() as conn:
        status, errors, stats = conn.execute(select(CrawlRun.status, CrawlRun.errors, CrawlRun.stats)).one()
        listings = conn.execute(select(func.count()).select_from(Listing)).scalar_one()
    assert status == "failed" and errors == summary["errors"] and listings == 3
    assert stats["lw/pages_abandoned"] >= 1
