"""Misuse of the crawler: concurrent starts, robots.txt forbidding everything, a database that refuses."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from store.models import CrawlRun, Listing
from tests.conftest import test_db_kind
from tests.crawlers.helpers import ROOT, run_crawl, write_source
from tests.crawlers.local_server import Route, serve

SOURCE = """
kind = "job"
region = "320100"
start_urls = ["{site}/list"]
min_items = 0
[links]
detail = { css = "a.ad::attr(href)" }
[extract]
[extract.fields]
title = { css = "h1::text" }
"""
ADS = 4


def _site(
    robots: bytes = b"User-agent: *\nAllow: /\n", list_delay: float = 0.0, ads: int = ADS
) -> dict[str, Route]:
    links = "".join(f"<a class='ad' href='/ad/{n}'>ad</a>" for n in range(ads))
    page = f"<html><body>{links}</body></html>".encode()

    def slow_list(request: BaseHTTPRequestHandler) -> None:
        time.sleep(list_delay)
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(page)))
        request.end_headers()
        request.wfile.write(page)

    routes = {
        "/robots.txt": Route(robots, content_type="text/plain"),
        "/list": Route(handler=slow_list) if list_delay else Route(page),
    }
    routes |= {f"/ad/{n}": Route(f"<h1>招聘普工{n}号</h1>".encode()) for n in range(ads)}
    return routes


def _active(db: Engine) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).where(Listing.active.is_(True))).scalar_one())


def _start(db_url: str, base: str, folder: Path) -> subprocess.Popen[str]:
    environ = dict(os.environ, PYTHONPATH=str(ROOT), LABOURWATCH_SITE_URLS=json.dumps({"site": base}))
    command = [sys.executable, "-m", "crawlers.run", "busy", "--db-url", db_url, "--fast-loopback"]
    command += ["--sources-dir", str(folder)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environ)


def test_a_second_crawl_of_the_same_source_is_refused_in_one_line(
    db: Engine, db_url: str, tmp_path: Path
) -> None:
    write_source(tmp_path, "busy", SOURCE)
    with serve(_site(list_delay=3.0)) as (base, hits):
        first = _start(db_url, base, tmp_path)
        deadline = time.monotonic() + 30
        while "/list" not in hits and time.monotonic() < deadline:
            time.sleep(0.05)
        second = run_crawl("busy", db_url, {"site": base}, sources_dir=tmp_path, timeout=30)
        out, _err = first.communicate(timeout=60)
    assert first.returncode == 0, out
    assert second["rc"] == 3 and second["event"] == "error", second
    assert "already being crawled" in second["reason"] and "正在被另一个进程抓取" in second["reason"]
    assert second["stderr"].strip().count("\n") == 0  # one line
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(CrawlRun)).scalar_one() == 1
    assert _active(db) == ADS


def test_robots_forbidding_everything_never_inactivates_listings(
    db: Engine, db_url: str, tmp_path: Path
) -> None:
    write_source(tmp_path, "busy", SOURCE)
    with serve(_site()) as (base, _hits):
        assert run_crawl("busy", db_url, {"site": base}, sources_dir=tmp_path)["items"] == ADS
    with serve(_site(robots=b"User-agent: *\nDisallow: /\n")) as (base, hits):
        runs = [run_crawl("busy", db_url, {"site": base}, sources_dir=tmp_path) for _ in range(3)]
    assert hits.get("/list", 0) == 0
    for summary in runs:
        assert summary["status"] == "failed" and summary["pages"] == 0, summary
        assert "fetched no page" in summary["reason"] and "robots.txt" in summary["reason"]
    assert _active(db) == ADS


def test_a_failed_page_keeps_listings_from_being_marked_missed(
    db: Engine, db_url: str, tmp_path: Path
) -> None:
    write_source(tmp_path, "busy", SOURCE)
    with serve(_site()) as (base, _hits):
        run_crawl("busy", db_url, {"site": base}, sources_dir=tmp_path)
    broken = _site() | {"/ad/0": Route(b"busy", status=503), "/ad/1": Route(b"gone", status=404)}
    env = {"LABOURWATCH_CRAWL_INACTIVE_AFTER_RUNS": "1"}
    with serve(broken) as (base, _hits):
        summary = run_crawl("busy", db_url, {"site": base}, sources_dir=tmp_path, env=env)
    assert summary["status"] == "succeeded" and summary["errors"] >= 2, summary["stderr"]
    assert _active(db) == ADS  # ad 0 was not seen (503), so nothing was marked missed
    with serve(_site() | {"/ad/1": Route(b"gone", status=404)}) as (base, _hits):
        run_crawl("busy", db_url, {"site": base}, sources_dir=tmp_path, env=env)
    assert _active(db) == ADS - 1  # a 404 is an answer: ad 1 is gone


@pytest.mark.skipif(test_db_kind() != "sqlite", reason="locks the SQLite file")
def test_a_locked_database_is_named_in_one_line(db: Engine, db_url: str, tmp_path: Path) -> None:
    write_source(tmp_path, "busy", SOURCE)
    holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=1)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with serve(_site()) as (base, hits):
            summary = run_crawl("busy", db_url, {"site": base}, sources_dir=tmp_path, timeout=60)
    finally:
        holder.rollback()
        holder.close()
    assert summary["rc"] == 1 and "database is locked" in summary["reason"], summary
    assert "could not open a run" in summary["reason"] and hits == {}
    assert summary["stderr"].strip().splitlines()[-1].startswith("error: ")


@contextmanager
def _disk_full(db: Engine) -> Iterator[None]:
    """Every insert into listing fails the way a full disk does (a trigger in the real database)."""
    if db.dialect.name == "sqlite":
        create = [
            "CREATE TRIGGER lw_disk_full BEFORE INSERT ON listing "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        ]
        drop = ["DROP TRIGGER lw_disk_full"]
    else:
        create = [
            "CREATE FUNCTION lw_disk_full() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'could not extend file: No space left on device'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER lw_disk_full BEFORE INSERT ON listing "
            "FOR EACH ROW EXECUTE FUNCTION lw_disk_full()",
        ]
        drop = ["DROP TRIGGER lw_disk_full ON listing", "DROP FUNCTION lw_disk_full()"]
    with db.begin() as conn:
        for statement in create:
            conn.execute(text(statement))
    try:
        yield
    finally:
        with db.begin() as conn:
            for statement in drop:
                conn.execute(text(statement))


def test_a_failing_database_write_stops_the_run_once(db: Engine, db_url: str, tmp_path: Path) -> None:
    write_source(tmp_path, "busy", SOURCE)
    env = {"LABOURWATCH_CRAWL_BATCH_SIZE": "2"}
    with _disk_full(db), serve(_site(ads=60)) as (base, hits):
        summary = run_crawl("busy", db_url, {"site": base}, sources_dir=tmp_path, env=env)
    assert summary["status"] == "failed" and summary["rc"] == 1, summary
    assert summary["reason"].startswith("database write failed: ")
    assert "full" in summary["reason"] or "No space" in summary["reason"]
    assert "Traceback" not in summary["stderr"]
    assert summary["stderr"].count("database write failed") == 1, summary["stderr"]
    assert sum(n for path, n in hits.items() if path.startswith("/ad/")) < 60  # it stopped early
    with db.connect() as conn:
        status, reason = conn.execute(select(CrawlRun.status, CrawlRun.reason)).one()
    assert status == "failed" and reason == summary["reason"]


def test_the_crawl_child_never_imports_from_its_working_directory(
    db: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crawlers.cli import crawl_command, follow_crawl

    write_source(tmp_path / "sources", "busy", SOURCE)
    marker = tmp_path / "planted-module-ran"
    for module in ("scrapy", "crawlers", "store"):
        (tmp_path / f"{module}.py").write_text(f"open({str(marker)!r}, 'w').write('{module}')\n")
    monkeypatch.chdir(tmp_path)
    with serve(_site()) as (base, _hits):
        monkeypatch.setenv("LABOURWATCH_SITE_URLS", json.dumps({"site": base}))
        monkeypatch.setenv("LABOURWATCH_SOURCES_DIR", str(tmp_path / "sources"))
        command = crawl_command("busy", db_url=db_url, fast_loopback=True)
        summary = follow_crawl(command, 60, lambda _event: None)
    assert not marker.exists(), marker.read_text()
    assert summary["status"] == "succeeded" and summary["items"] == ADS, summary
