"""Two ads sharing a site id are reported with both URLs and stay two listings, without new versions."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from crawlers.storage import table
from store.models import Listing
from tests.crawlers.helpers import run_crawl, write_source
from tests.crawlers.local_server import Route, serve

SOURCE = """kind = "job"
region = "320500"
start_urls = ["{site}/list.html"]
min_items = 1
[links]
detail = { css = "a.ad::attr(href)" }
[extract]
[extract.fields]
title = { css = "h1::text" }
external_id = { css = "span.aid::text" }
"""


def _ad(aid: str, title: str) -> Route:
    return Route(body=f"<h1>{title}</h1><span class='aid'>{aid}</span>".encode())


def test_ads_sharing_a_site_id_are_reported_and_never_add_versions(
    db: Engine, db_url: str, tmp_path: Path
) -> None:
    write_source(tmp_path, "shared-ids", SOURCE)
    links = "".join(f"<a class='ad' href='/ad/{n}.html'>x</a>" for n in (1, 2, 3, 4))
    routes = {
        "/list.html": Route(body=links.encode()),
        "/ad/1.html": _ad("77", "普工"),
        "/ad/2.html": _ad("77", "电焊工"),  # the same aid, another ad
        "/ad/3.html": _ad("78", "保安"),
        "/ad/4.html": Route(body=b"busy", status=503),
    }
    with serve(routes) as (base, _):
        runs = [run_crawl("shared-ids", db_url, {"site": base}, sources_dir=tmp_path) for _ in range(3)]
    notes = "\n".join(runs[0]["notes"])
    assert f"{base}/ad/1.html" in notes and f"{base}/ad/2.html" in notes and "'77'" in notes
    assert "HTTP 503" in notes  # a failed page is shown with its status
    with db.connect() as conn:
        rows = conn.execute(select(table(Listing).c.title, table(Listing).c.version_count)).all()
    assert sorted(rows) == sorted([("普工", 1), ("电焊工", 1), ("保安", 1)])
    assert [r["items_changed"] for r in runs[1:]] == [0, 0]
