"""A whole site crawled through its sitemap and category rules, with the source file docs/crawling.md shows."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from crawlers.config.load import check_source_text
from crawlers.storage import table
from store.models import Listing
from tests.crawlers.helpers import ROOT, run_crawl
from tests.crawlers.local_server import serve
from tests.crawlers.whole_site import N_DETAILS, fill_base, site_routes

DOC = (ROOT / "docs" / "crawling.md").read_text(encoding="utf-8")


def docs_source(name: str) -> str:
    """The ```toml block of docs/crawling.md whose first line names the source NAME."""
    blocks = re.findall(r"```toml\n(.*?)```", DOC, flags=re.S)
    return next(b for b in blocks if b.startswith(f'name = "{name}"'))


def test_the_docs_examples_are_valid_source_files() -> None:
    for name in ("blue-collar-site", "sitemap-only"):
        config, problems = check_source_text(docs_source(name), f"{name}.toml")
        assert problems == [] and config is not None, problems


@pytest.mark.slow
def test_a_whole_site_is_crawled_through_its_sitemap_and_category_rules(
    db: Engine, db_url: str, tmp_path: Path
) -> None:
    (tmp_path / "blue-collar-site.toml").write_text(docs_source("blue-collar-site"), encoding="utf-8")
    routes, ads = site_routes([])
    assert len(routes) + 3 >= 2000
    with serve(routes) as (base, hits):
        fill_base(routes, base, ads)
        started = time.monotonic()
        summary = run_crawl(
            "blue-collar-site", db_url, {"blue_collar": base}, sources_dir=tmp_path, timeout=120
        )
        elapsed = time.monotonic() - started
    assert summary["status"] == "succeeded", summary
    assert hits.get("/sitemap-2.xml.gz") == 1 and not any(p.startswith("/company/") for p in hits)
    assert "/about.html" not in hits  # no rule takes it
    with db.connect() as conn:
        rows = {r.url.rsplit("/", 1)[1]: r for r in conn.execute(select(table(Listing)))}
    assert len(rows) >= 0.95 * N_DETAILS, (len(rows), elapsed)
    sitemap_only = [ad for ad in ads if not ad.linked]
    assert sum(f"{ad.aid}.html" in rows for ad in sitemap_only) >= 0.95 * len(sitemap_only)
    sample = ads[::20]
    right = 0
    for ad in sample:
        row = rows.get(f"{ad.aid}.html")
        right += row is not None and (
            row.title == ad.title
            and row.employer_name == ad.employer  # exact characters: 乾 stays 乾, 昇 stays 昇
            and (row.salary_min, row.salary_max) == (ad.salary_min, ad.salary_max)
            and row.city_code == "320500"
        )
    assert right >= 0.95 * len(sample), (right, len(sample))
    assert elapsed < 90
