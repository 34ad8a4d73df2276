"""Crawl benchmark: the full pipeline against a bare Scrapy spider, on the local demo web over HTTP.

    PYTHONPATH=. python bench/crawl.py [--n-job 2400] [--source demo-jiangsu-talent] [--pairs 3]

Prints pages/s and peak RSS of each crawl process: the bare spider (download + parse only), the full
pipeline (extraction, normalisation, batched upserts, gzip snapshots; SQLite), their ratio, and two
full crawl processes side by side. Politeness is relaxed for 127.0.0.1 only (--fast-loopback).

The bare and full crawls alternate PAIRS times and the ratio reported is the median of the pairs': one
pair's ratio moves by +-0.05 with the machine (the bare spider's own cost moved 1.8x within a session),
so every pair is printed and the median is the figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAIR = ("demo-jiangsu-talent", "demo-suzhou-jobs")


def bare_spider_main(source: str, bases: dict[str, str]) -> None:
    """Child process: a plain Scrapy spider that walks the same pages and parses each one; no storage."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    from crawlers.config.load import load_source
    from crawlers.config.resolve import resolve_source
    from crawlers.crawl_settings import scrapy_settings

    resolved = resolve_source(load_source(ROOT / "sources" / f"{source}.toml"), bases)
    links = resolved.config.links

    def follow(response: Any, spec: Any) -> list[str]:
        if spec is None:
            return []
        found = response.css(spec.css) if spec.css else response.xpath(spec.xpath)
        return [response.urljoin(h) for h in found.getall()]

    class BareSpider(scrapy.Spider):
        name = "bare"
        allowed_domains = resolved.allowed_domains
        pages = 0

        async def start(self) -> Any:
            for url in resolved.start_urls:
                yield scrapy.Request(url, callback=self.parse)

        def parse(self, response: Any) -> Any:
            BareSpider.pages += 1
            response.css("title::text").get()
            for url in follow(response, links.detail):
                yield scrapy.Request(url, callback=self.parse_detail)
            for url in follow(response, links.next)[:1]:
                yield scrapy.Request(url, callback=self.parse)

        def parse_detail(self, response: Any) -> None:
            BareSpider.pages += 1
            response.css("h1::text").get()
            response.css("script[type='application/ld+json']::text").get()

    settings = scrapy_settings(resolved, fast_loopback=True)
    settings |= {"ITEM_PIPELINES": {}, "EXTENSIONS": {"scrapy.extensions.telnet.TelnetConsole": None}}
    process = CrawlerProcess(settings)
    started, cpu = time.monotonic(), time.process_time()
    process.crawl(BareSpider)
    process.start()
    from crawlers.progress import peak_rss_mb

    result = {
        "peak_rss_mb": peak_rss_mb(),
        "pages": BareSpider.pages,
        "seconds": time.monotonic() - started,
        "crawl_cpu_s": time.process_time() - cpu,
    }
    print(json.dumps(result), flush=True)


def _spawn(command: list[str], bases: dict[str, str]) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), LABOURWATCH_SITE_URLS=json.dumps(bases))
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )


def _finish(child: subprocess.Popen[str]) -> tuple[list[dict[str, Any]], float, float]:
    """The child's JSON lines, peak RSS in MB and CPU seconds (os.wait4 gives that child's own rusage).

    The RSS from wait4 is only a fallback: Linux carries this process's peak (the demo web's pre-rendered
    pages) into the child's, so each child reports its own VmHWM in its last line.
    """
    assert child.stdout is not None
    lines = child.stdout.read().splitlines()
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    events = [json.loads(line) for line in lines if line.startswith("{")]
    own = events[-1].get("peak_rss_mb") if events else None
    return events, own if own is not None else usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def _full_run(db_url: str, run_id: int) -> tuple[float, float]:
    """Seconds from run start to finish, and CPU seconds of the crawl phase, from the CrawlRun row."""
    from sqlalchemy import select
    from sqlmodel import col

    from store.db import make_engine
    from store.models import CrawlRun

    engine = make_engine(db_url)
    with engine.connect() as conn:
        columns = (col(CrawlRun.started_at), col(CrawlRun.finished_at), col(CrawlRun.stats))
        query = select(*columns).where(col(CrawlRun.id) == run_id)
        start, end, stats = conn.execute(query).one()
    engine.dispose()
    return (end - start).total_seconds(), float(stats.get("lw/cpu_seconds", 0.0))


def run_bare(source: str, bases: dict[str, str]) -> dict[str, Any]:
    child = _spawn([sys.executable, __file__, "--bare-child", source], bases)
    events, rss, cpu = _finish(child)
    done = events[-1]
    return {
        "kind": "bare",
        "source": source,
        "pages": done["pages"],
        "seconds": done["seconds"],
        "rss_mb": rss,
        "cpu_s": cpu,
        "crawl_cpu_s": done["crawl_cpu_s"],
    }


def start_full(source: str, db_url: str, bases: dict[str, str]) -> subprocess.Popen[str]:
    return _spawn(
        [sys.executable, "-m", "crawlers.run", source, "--db-url", db_url, "--fast-loopback"], bases
    )


def finish_full(source: str, child: subprocess.Popen[str], db_url: str) -> dict[str, Any]:
    events, rss, cpu = _finish(child)
    done = events[-1]
    if done.get("status") != "succeeded":
        raise SystemExit(f"full crawl of {source} failed: {done}")
    seconds, crawl_cpu = _full_run(db_url, int(done["run_id"]))
    return {
        "kind": "full",
        "source": source,
        "pages": done["pages"],
        "seconds": seconds,
        "rss_mb": rss,
        "items": done["items"],
        "cpu_s": cpu,
        "crawl_cpu_s": crawl_cpu,
    }


def _fresh_db(folder: Path, name: str) -> str:
    from store.db import make_engine
    from store.migrate import db_upgrade

    url = f"sqlite:///{folder / name}"
    engine = make_engine(url)
    db_upgrade(engine)
    engine.dispose()
    return url


def _line(result: dict[str, Any]) -> str:
    rate = result["pages"] / result["seconds"]
    return (
        f"{result['kind']:5} {result['source']:22} {result['pages']:6d} pages {result['seconds']:7.2f} s "
        f"{rate:8.1f} pages/s  {result['pages'] / result['crawl_cpu_s']:7.1f} pages/CPU-s (crawl phase)  "
        f"peak RSS {result['rss_mb']:6.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n-job", type=int, default=2400, help="job ads in the demo web")
    parser.add_argument("--n-marriage", type=int, default=100)
    parser.add_argument("--source", default="demo-jiangsu-talent", help="source for the bare/full comparison")
    parser.add_argument(
        "--pairs", type=int, default=3, help="bare and full crawls, alternated; the median counts"
    )
    parser.add_argument("--bare-child", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args()
    if args.bare_child:
        bare_spider_main(args.bare_child, json.loads(os.environ["LABOURWATCH_SITE_URLS"]))
        return
    from crawlers.demo_web import DemoWeb
    from crawlers.demo_web import server as demo_server

    # Headers and body leave in two writes; with Nagle on, the client's delayed ACK adds ~40 ms per page.
    demo_server._Handler.disable_nagle_algorithm = True

    with (
        DemoWeb(seed=2014, n_job=args.n_job, n_marriage=args.n_marriage, slow_seconds=0.0) as web,
        tempfile.TemporaryDirectory() as tmp,
    ):
        print(f"demo web: {web.prerender()} pages pre-rendered; 2 CPU cores shared by server and crawlers")
        runs: list[dict[str, Any]] = []  # every pair's two crawls and their ratios
        for number in range(1, max(1, args.pairs) + 1):
            bare = run_bare(args.source, web.urls)
            db_url = _fresh_db(Path(tmp), f"full{number}.db")
            full = finish_full(args.source, start_full(args.source, db_url, web.urls), db_url)
            print(_line(bare))
            print(_line(full))
            cpu = (full["pages"] / full["crawl_cpu_s"]) / (bare["pages"] / bare["crawl_cpu_s"])
            wall = (full["pages"] / full["seconds"]) / (bare["pages"] / bare["seconds"])
            print(f"pair {number}: full / bare {cpu:.3f}x pages per CPU-second")
            runs.append({"bare": bare, "full": full, "cpu_ratio": cpu, "wall_ratio": wall})
        cpu_ratio = statistics.median(run["cpu_ratio"] for run in runs)
        ratio = statistics.median(run["wall_ratio"] for run in runs)
        print(
            f"full / bare, median of {len(runs)} pairs: {ratio:.2f}x pages/s; {cpu_ratio:.2f}x pages per "
            "CPU-second of the crawl phase (target >= 0.6; CPU time is the fairer measure on a shared machine)"
        )
        pair_db = _fresh_db(Path(tmp), "pair.db")
        started = time.monotonic()
        children = [(s, start_full(s, pair_db, web.urls)) for s in PAIR]
        pair = [finish_full(s, c, pair_db) for s, c in children]
        wall = time.monotonic() - started
        for result in pair:
            print(_line(result))
        pages = sum(r["pages"] for r in pair)
        busiest = max(r["seconds"] for r in pair)
        print(
            f"two processes side by side: {pages} pages, {pages / busiest:.1f} pages/s while crawling "
            f"(target >= 350), {pages / wall:.1f} pages/s including process start-up; "
            f"peak RSS {max(r['rss_mb'] for r in pair):.0f} MB per process (target < 300)"
        )
        if args.json:
            doc = {
                "ratio": ratio,  # medians over the pairs
                "cpu_ratio": cpu_ratio,
                "pairs": runs,
                "side_by_side": pair,
                "side_by_side_pages_per_s": pages / busiest,
                "load_average": os.getloadavg(),
            }
            args.json.write_text(json.dumps(doc, indent=1))


if __name__ == "__main__":
    main()
