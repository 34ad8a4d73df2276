"""Issue 17: polite demo sites crawled by 1, 2 and 4 Celery workers on Redis, PostgreSQL as the shared database.

    PYTHONPATH=. python bench/scale.py [--sites 40] [--n-job 60] [--n-marriage 20] [--delay 1.0]
        [--workers 1,2,4] [--concurrency 4] [--kills early,middle,late] [--json FILE]

The defaults take about 17 minutes on the shared 2-core machine (the 1-worker round alone about 6);
`--sites 8 --workers 1,2 --kills middle` checks everything in about 3. Serves SITES demo sites on
127.0.0.1 (one `DemoWeb` per 4 sites, seeds 2014, 2015, ...; about 25 pages per site by default), each a separate source in a temporary sources folder with the crawler's default
politeness set to DELAY seconds between requests and one request at a time (1 request/s per site).

1. A local run (no broker): every source crawled by `python -m crawlers.run` straight into a fresh
   PostgreSQL database (4 at a time, politeness relaxed for loopback: the reference content only).
2. For each worker count: a fresh database, that many `labourwatch worker --queues crawl` processes
   (CONCURRENCY crawls each), every source's crawl dispatched through Redis; pages/s from the first
   claim to the last crawl's end, CPU seconds of the workers' process trees per page (`wait4`), and
   how busy the whole machine was. Each round's database is compared with the local run.
3. Kills: one worker per kill moment (concurrency 1), each crawling its own source; each worker is
   SIGKILLed (its process group) once its site has served that share of the source's pages; then one
   replacement worker starts. The re-delivered crawls must succeed and store what the local run stored.

The last line is one JSON object with every figure. Redis: LABOURWATCH_BENCH_REDIS (default db 14,
emptied with FLUSHDB before each round).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from crawlers.demo_web import DemoWeb  # noqa: E402
from crawlers.demo_web.server import SITE_MODULES  # noqa: E402

REDIS = os.environ.get("LABOURWATCH_BENCH_REDIS", "redis://127.0.0.1:6379/14")
SLOT = datetime(2026, 1, 1, tzinfo=UTC)
KILL_SHARES = {"early": 0.15, "middle": 0.5, "late": 0.85}
AUDIT_KEY = "bench-audit-key-" + "k" * 32
Snapshot = dict[str, set[tuple[str, int, str, str]]]  # source -> {(listing key, version, content, raw sha)}


@dataclass
class Fleet:
    """The demo sites: one DemoWeb per four sites; each site is its own source and placeholder."""

    webs: list[DemoWeb] = field(default_factory=list)
    bases: dict[str, str] = field(default_factory=dict)  # placeholder -> base URL
    sites: dict[str, tuple[int, str]] = field(default_factory=dict)  # source -> (web index, site)

    def hits(self, source: str) -> int:
        """Requests the source's site has served so far."""
        index, site = self.sites[source]
        return self.webs[index].hits[site]

    def stop(self) -> None:
        for web in self.webs:
            web.stop()


def start_fleet(n_sites: int, n_job: int, n_marriage: int) -> Fleet:
    """Serve N_SITES sites on ephemeral ports, every page pre-rendered (the server is not measured)."""
    fleet = Fleet()
    index = 0
    while len(fleet.sites) < n_sites:
        web = DemoWeb(seed=2014 + index, n_job=n_job, n_marriage=n_marriage, slow_seconds=0.0)
        urls = web.start()
        web.prerender()
        fleet.webs.append(web)
        for site in list(SITE_MODULES)[: n_sites - len(fleet.sites)]:
            placeholder = f"{site}-{index:02d}"
            fleet.bases[placeholder] = urls[site]
            fleet.sites[f"demo-{placeholder}"] = (index, site)
        index += 1
    return fleet


def _without_politeness(lines: list[str]) -> list[str]:
    kept, skipping = [], False
    for line in lines:
        if line.startswith("["):
            skipping = line.strip() == "[politeness]"
        if not skipping:
            kept.append(line)
    return kept


def source_text(site: str, source: str, placeholder: str, delay: float) -> str:
    """The repository's demo source for SITE, renamed to SOURCE, on PLACEHOLDER, at one request per DELAY s."""
    original = (ROOT / "sources" / f"demo-{site}.toml").read_text(encoding="utf-8")
    renamed = original.replace(f'name = "demo-{site}"', f'name = "{source}"')
    renamed = renamed.replace("{" + site + "}", "{" + placeholder + "}")
    lines = [
        "min_items = 1" if line.startswith("min_items") else line  # small sites: a few ads is enough
        for line in _without_politeness(renamed.splitlines())
    ]
    lines += ["", "[politeness]", f"download_delay = {delay}", "concurrent_requests_per_domain = 1", ""]
    return "\n".join(lines)


def write_sources(folder: Path, fleet: Fleet, delay: float) -> list[str]:
    """One source file per site in FOLDER; returns the source names."""
    folder.mkdir(parents=True, exist_ok=True)
    for source, (index, site) in fleet.sites.items():
        body = source_text(site, source, f"{site}-{index:02d}", delay)
        (folder / f"{source}.toml").write_text(body, encoding="utf-8")
    return list(fleet.sites)


def bench_env(db_url: str, data: Path, fleet: Fleet, redis_url: str, visibility_s: int) -> dict[str, str]:
    """The environment of every worker, crawl and dispatcher of a round."""
    return dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        LABOURWATCH_DATABASE_URL=db_url,
        LABOURWATCH_DATA_DIR=str(data),
        LABOURWATCH_SOURCES_DIR=str(data / "sources"),
        LABOURWATCH_BROKER_URL=redis_url,
        LABOURWATCH_BROKER_VISIBILITY_TIMEOUT_S=str(visibility_s),
        LABOURWATCH_WORKER_BUSY_RETRY_S="2",
        LABOURWATCH_SCHEDULE_RETRY_BASE_S="5",  # a failed crawl is sent again after 5 s (see wait_round)
        LABOURWATCH_AUDIT_KEY=AUDIT_KEY,
        LABOURWATCH_SITE_URLS=json.dumps(fleet.bases),
        LABOURWATCH_CRAWL_LOOPBACK_FAST="false",
        LABOURWATCH_LOG_LEVEL="WARNING",
    )


@contextmanager
def fresh_database(prefix: str = "lw_bench_scale") -> Iterator[tuple[str, Engine]]:
    """A new, migrated PostgreSQL database (dropped afterwards) and an engine on it."""
    from store.db import make_engine
    from store.migrate import db_upgrade
    from tests.conftest import create_pg_database, drop_pg_database

    url = create_pg_database(prefix)
    engine = make_engine(url)
    try:
        db_upgrade(engine)
        yield url, engine
    finally:
        engine.dispose()
        drop_pg_database(url)


def flush_broker(redis_url: str) -> None:
    """Empty the bench's own Redis database (never the whole server)."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()


# --- workers -------------------------------------------------------------------------------------------


@dataclass
class WorkerProc:
    """A `labourwatch worker` in its own process group."""

    name: str
    popen: subprocess.Popen[bytes]
    cpu_s: float = 0.0

    def kill(self) -> None:
        """SIGKILL the whole group, as when its machine dies."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self, timeout: float = 60.0) -> float:
        """Warm shutdown (SIGTERM to the worker); returns the CPU seconds of its whole reaped tree."""
        if self.popen.returncode is not None:
            return self.cpu_s
        os.kill(self.popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(self.popen.pid, os.WNOHANG)
            if pid:
                self.popen.returncode = os.waitstatus_to_exitcode(status)
                self.cpu_s = usage.ru_utime + usage.ru_stime
                return self.cpu_s
            if time.monotonic() > deadline:
                os.killpg(self.popen.pid, signal.SIGKILL)
                deadline = time.monotonic() + 30
            time.sleep(0.1)


def start_worker(env: dict[str, str], name: str, concurrency: int, log: Path) -> WorkerProc:
    """Start `labourwatch worker --queues crawl` (score and tasks steps stay queued: not measured)."""
    argv = [sys.executable, "-m", "labourwatch", "worker", f"--concurrency={concurrency}"]
    argv += ["--queues=crawl", f"--name={name}@%h"]
    with log.open("ab") as handle:
        popen = subprocess.Popen(
            argv, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    return WorkerProc(name, popen)


def dispatch(env: dict[str, str], engine: Engine, sources: list[str]) -> None:
    """What the elected scheduler does with due slots: send each source's crawl to the broker."""
    from scheduling.jobs import Work
    from scheduling.service import build_scheduler
    from store.settings import load_settings

    saved = dict(os.environ)
    os.environ.update(env)  # load_settings reads the environment; put it back after (tests share it)
    try:
        scheduler = build_scheduler(load_settings(), engine=engine, dispatch=True)
        for source in sources:
            scheduler.execute(Work(f"crawl:{source}", SLOT))
    finally:
        os.environ.clear()
        os.environ.update(saved)


@dataclass(frozen=True)
class CrawlRow:
    """A crawl's ledger row, as far as the bench cares."""

    status: str
    attempts: int
    started_at: datetime
    finished_at: datetime | None
    worker: str
    retry_at: str | None = None

    def retry_due(self) -> bool:
        """A failed crawl whose retry time has come (the elected scheduler's sweep would send it now)."""
        due = self.status == "failed" and self.retry_at is not None
        return due and datetime.fromisoformat(self.retry_at or "") <= datetime.now(UTC)


def crawl_rows(engine: Engine) -> dict[str, CrawlRow]:
    """Source -> its crawl's ledger row for the bench slot."""
    query = text(
        "SELECT job, status, attempts, started_at, finished_at, result FROM job_run "
        "WHERE job LIKE 'crawl:%' AND slot = :slot"
    )
    with engine.connect() as connection:
        rows = connection.execute(query, {"slot": SLOT}).all()
    return {
        job.removeprefix("crawl:"): CrawlRow(
            status,
            attempts,
            started,
            finished,
            (result or {}).get("worker", ""),
            (result or {}).get("retry_at"),
        )
        for job, status, attempts, started, finished, result in rows
    }


def wait_until(predicate: Callable[[], bool], timeout: float, what: str, poll: float = 0.2) -> None:
    """Poll PREDICATE until true; SystemExit after TIMEOUT seconds."""
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(poll)


def all_succeeded(engine: Engine, sources: list[str]) -> bool:
    """True when every source's crawl succeeded; SystemExit when one gave up."""
    rows = crawl_rows(engine)
    gave_up = [s for s, r in rows.items() if r.status == "failed" and r.attempts >= 3]
    if gave_up:
        raise SystemExit(f"crawls failed for good: {gave_up}")
    return len(rows) == len(sources) and all(r.status == "succeeded" for r in rows.values())


def pg_connections(engine: Engine) -> int:
    """Connections open to this database now (workers, crawls, the bench itself)."""
    query = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def wait_round(env: dict[str, str], engine: Engine, sources: list[str], timeout: float) -> dict[str, int]:
    """Wait for every crawl to succeed, sending failed ones again when due as the leader's sweep does.

    Returns how many crawls were sent again and the most PostgreSQL connections seen on the database.
    """
    resent: set[tuple[str, int]] = set()
    peak, end = 0, time.monotonic() + timeout
    while not all_succeeded(engine, sources):
        peak = max(peak, pg_connections(engine))
        rows = crawl_rows(engine)
        due = [s for s, r in rows.items() if r.retry_due() and (s, r.attempts) not in resent]
        if due:
            dispatch(env, engine, due)
            resent |= {(s, rows[s].attempts) for s in due}
        if time.monotonic() > end:
            raise SystemExit(f"timed out after {timeout:.0f} s waiting for {len(sources)} crawls")
        time.sleep(1.0)
    return {"retried": len(resent), "peak_pg_connections": peak}


# --- what a run stored ---------------------------------------------------------------------------------


def snapshot(engine: Engine) -> Snapshot:
    """Per source, every stored version: (listing key, version no, content hash, raw page sha256)."""
    query = text(
        "SELECT s.name, l.key, v.version_no, v.content_hash, v.raw_sha256 FROM listing_version v "
        "JOIN listing l ON l.id = v.listing_id JOIN source s ON s.id = l.source_id"
    )
    stored: Snapshot = {}
    with engine.connect() as connection:
        for name, key, version, content, raw in connection.execute(query):
            stored.setdefault(name, set()).add((key, version, content, raw))
    return stored


def counts(engine: Engine, sources: list[str] | None = None) -> dict[str, int]:
    """Listings, versions and raw pages (versions holding a gzip page) stored, for SOURCES or all."""
    where = "WHERE s.name = ANY(:names)" if sources is not None else ""
    query = text(
        "SELECT count(DISTINCT l.id), count(v.id), count(v.id) FILTER (WHERE length(v.raw_gz) > 0), "
        "count(DISTINCT v.raw_sha256) FROM listing l JOIN source s ON s.id = l.source_id "
        f"LEFT JOIN listing_version v ON v.listing_id = l.id {where}"
    )
    with engine.connect() as connection:
        row = connection.execute(query, {"names": sources or []}).one()
    return dict(zip(("listings", "versions", "raw_pages", "distinct_raw_pages"), row, strict=True))


def crawl_pages(engine: Engine) -> tuple[int, float]:
    """Pages fetched by the succeeded crawl runs and their crawl-phase CPU seconds (crawl_run.stats)."""
    query = text("SELECT pages, stats FROM crawl_run WHERE status = 'succeeded'")
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    cpu = sum(float((stats or {}).get("lw/cpu_seconds", 0.0)) for _, stats in rows)
    return sum(pages for pages, _ in rows), cpu


def pages_by_source(engine: Engine) -> dict[str, int]:
    query = text(
        "SELECT s.name, r.pages FROM crawl_run r JOIN source s ON s.id = r.source_id WHERE r.status = 'succeeded'"
    )
    with engine.connect() as connection:
        return {name: pages for name, pages in connection.execute(query)}


def differences(expected: Snapshot, got: Snapshot, sources: list[str]) -> list[str]:
    """Sources whose stored versions differ, with how many rows are missing and extra."""
    found = []
    for source in sources:
        want, have = expected.get(source, set()), got.get(source, set())
        if want != have:
            found.append(f"{source}: {len(want - have)} missing, {len(have - want)} extra")
    return found


# --- machine load ---------------------------------------------------------------------------------------


def machine_busy_s() -> float:
    """CPU seconds the whole machine has spent busy since boot (all processes, all helpers)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    ticks = [int(v) for v in fields]
    idle = ticks[3] + ticks[4]
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


# --- the three parts -------------------------------------------------------------------------------------


def local_run(env: dict[str, str], sources: list[str], parallel: int = 4) -> float:
    """Every source crawled by `python -m crawlers.run` (no broker, no ledger); seconds taken."""
    started = time.monotonic()
    waiting, running = list(sources), list[tuple[str, subprocess.Popen[bytes]]]()
    while waiting or running:
        while waiting and len(running) < parallel:
            source = waiting.pop(0)
            argv = [sys.executable, "-m", "crawlers.run", source, "--fast-loopback"]
            child = subprocess.Popen(
                argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            running.append((source, child))
        source, child = running.pop(0)
        out, _ = child.communicate(timeout=600)
        if child.returncode != 0:
            raise SystemExit(f"local crawl of {source} failed ({child.returncode}): {out.decode()[-3000:]}")
    return time.monotonic() - started


def scale_round(
    env: dict[str, str], engine: Engine, sources: list[str], n_workers: int, concurrency: int, logs: Path
) -> dict[str, Any]:
    """N_WORKERS workers crawl every source; throughput and CPU figures."""
    flush_broker(env["LABOURWATCH_BROKER_URL"])
    workers = [
        start_worker(env, f"w{n_workers}x{i}", concurrency, logs / f"w{n_workers}x{i}.log")
        for i in range(n_workers)
    ]
    busy0, own0, sent = machine_busy_s(), time.process_time(), time.monotonic()
    try:
        dispatch(env, engine, sources)
        waited = wait_round(env, engine, sources, 3600)
        elapsed = time.monotonic() - sent
    finally:
        cpu = sum(w.stop() for w in workers)
    busy = machine_busy_s() - busy0
    rows = crawl_rows(engine).values()
    wall = (
        max(r.finished_at for r in rows if r.finished_at) - min(r.started_at for r in rows)
    ).total_seconds()
    pages, crawl_cpu = crawl_pages(engine)
    return {
        "workers": n_workers,
        "concurrency": concurrency,
        "pages": pages,
        "seconds": round(wall, 1),
        "seconds_from_dispatch": round(elapsed, 1),
        "pages_per_s": round(pages / wall, 2),
        "worker_cpu_s": round(cpu, 1),
        "cpu_ms_per_page": round(1000 * cpu / pages, 1),
        "crawl_phase_cpu_ms_per_page": round(1000 * crawl_cpu / pages, 1),
        # process start-ups (worker, `labourwatch crawl`, `crawlers.run`), the ledger and the broker:
        "cpu_s_per_crawl_outside_crawl_phase": round((cpu - crawl_cpu) / len(sources), 2),
        "server_cpu_s": round(time.process_time() - own0, 1),
        "machine_busy_pct": round(100 * busy / (elapsed * (os.cpu_count() or 1)), 1),
        "redelivered": sum(1 for r in rows if r.attempts > 1),
        **waited,
    }


@dataclass
class KillPlan:
    """One kill: which source, after what share of its pages, and what happened."""

    moment: str
    source: str
    share: float
    expected_pages: int
    served_at_kill: int = -1
    killed_at: float = 0.0
    killed_worker: str = ""


def _kill_when_due(
    plan: KillPlan, fleet: Fleet, row: CrawlRow | None, workers: list[WorkerProc], base: int
) -> None:
    """SIGKILL the worker running PLAN's crawl once its site has served PLAN's share of the pages."""
    served = fleet.hits(plan.source) - base
    if plan.served_at_kill >= 0 or row is None or row.status != "running":
        return
    if served < plan.share * plan.expected_pages:
        return
    owner = next((w for w in workers if row.worker.startswith(w.name + "@")), None)
    if owner is None:
        raise SystemExit(f"{plan.source} runs on {row.worker!r}, not on a worker of this round")
    owner.kill()
    plan.served_at_kill, plan.killed_at, plan.killed_worker = served, time.monotonic(), owner.name


def _claimed(engine: Engine, source: str) -> Callable[[], bool]:
    return lambda: source in crawl_rows(engine)


def kill_round(
    env: dict[str, str], engine: Engine, fleet: Fleet, plans: list[KillPlan], logs: Path, timeout: float = 600
) -> dict[str, Any]:
    """One worker per plan; kill each at its moment, start one replacement, wait for every crawl to succeed."""
    sources = [p.source for p in plans]
    base = {s: fleet.hits(s) for s in sources}
    workers = [start_worker(env, f"k{p.moment}", 1, logs / f"k{p.moment}.log") for p in plans]
    try:
        for plan in plans:  # one at a time: each worker has one slot, so each takes one crawl
            dispatch(env, engine, [plan.source])
            wait_until(_claimed(engine, plan.source), 120, f"{plan.source} claimed", 0.05)
        end = time.monotonic() + timeout
        while any(p.served_at_kill < 0 for p in plans):
            rows = crawl_rows(engine)
            for plan in plans:
                _kill_when_due(plan, fleet, rows.get(plan.source), workers, base[plan.source])
            if time.monotonic() > end:
                raise SystemExit("timed out waiting for the kill moments")
            time.sleep(0.05)
        replacement = start_worker(env, "kreplacement", len(plans), logs / "kreplacement.log")
        try:
            waited = wait_round(env, engine, sources, timeout)
            done = time.monotonic()
        finally:
            replacement.stop()
    finally:
        for worker in workers:
            worker.kill()
    rows = crawl_rows(engine)
    return {
        plan.moment: {
            "source": plan.source,
            "pages_served_at_kill": plan.served_at_kill,
            "pages_expected": plan.expected_pages,
            "killed_worker": plan.killed_worker,
            "attempts": rows[plan.source].attempts,
            "finished_on": rows[plan.source].worker.partition("@")[0],
            "seconds_kill_to_done": round(done - plan.killed_at, 1),
        }
        for plan in plans
    } | {"peak_pg_connections": waited["peak_pg_connections"]}


# --- the report -----------------------------------------------------------------------------------------


def print_rounds(rounds: list[dict[str, Any]]) -> None:
    base = rounds[0]["pages_per_s"]
    print(
        f"{'workers':>7} {'pages':>6} {'s':>7} {'pages/s':>8} {'x 1 worker':>10} {'x previous':>10} "
        f"{'CPU ms/page':>11} {'crawl-phase':>11} {'machine busy':>12}"
    )
    previous = base
    for r in rounds:
        print(
            f"{r['workers']:>7} {r['pages']:>6} {r['seconds']:>7.1f} {r['pages_per_s']:>8.2f} "
            f"{r['pages_per_s'] / base:>10.2f} {r['pages_per_s'] / previous:>10.2f} "
            f"{r['cpu_ms_per_page']:>11.1f} {r['crawl_phase_cpu_ms_per_page']:>11.1f} {r['machine_busy_pct']:>11.0f}%"
        )
        r["ratio_to_1"] = round(r["pages_per_s"] / base, 2)
        r["ratio_to_previous"] = round(r["pages_per_s"] / previous, 2)
        previous = r["pages_per_s"]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sites", type=int, default=40)
    parser.add_argument("--n-job", type=int, default=60, help="job ads per DemoWeb (about 26 pages per site)")
    parser.add_argument("--n-marriage", type=int, default=20)
    parser.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one site")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, one round each")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=4,
        help="crawls each worker runs at once (each holds about 4 PostgreSQL connections: mind max_connections)",
    )
    parser.add_argument("--kills", default="early,middle,late", help="kill moments (empty: none)")
    parser.add_argument("--json", type=Path, help="also write the final JSON here")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    fleet = start_fleet(args.sites, args.n_job, args.n_marriage)
    result: dict[str, Any] = {"sites": args.sites, "delay_s": args.delay, "cpus": os.cpu_count()}
    result["load_average_before"] = os.getloadavg()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            sources = write_sources(data / "sources", fleet, args.delay)
            moments = [m for m in args.kills.split(",") if m]
            print(
                f"{len(sources)} sites on 127.0.0.1, {args.delay} s between requests per site; "
                f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (shared machine)",
                flush=True,
            )
            with fresh_database() as (url, engine):
                seconds = local_run(bench_env(url, data, fleet, REDIS, 600), sources)
                local, local_counts, expected_pages = (
                    snapshot(engine),
                    counts(engine),
                    pages_by_source(engine),
                )
                kill_counts = counts(engine, sources[: len(moments)])
            result["local"] = {
                "seconds": round(seconds, 1),
                **local_counts,
                "pages": sum(expected_pages.values()),
            }
            print(f"local run (no broker): {result['local']}", flush=True)
            rounds = []
            for n in [int(v) for v in args.workers.split(",") if v]:
                with fresh_database() as (url, engine):
                    row = scale_round(
                        bench_env(url, data, fleet, REDIS, 600), engine, sources, n, args.concurrency, data
                    )
                    row["counts"] = counts(engine)
                    row["differences_from_local"] = differences(local, snapshot(engine), sources)
                rounds.append(row)
                print(f"{n} worker(s): {row}", flush=True)
            print_rounds(rounds)
            result["rounds"] = rounds
            if moments:
                kills = run_kills(data, fleet, moments, local, expected_pages)
                kills["counts_uninterrupted"] = kill_counts
                print(f"kills: {kills}", flush=True)
                result["kills"] = kills
    finally:
        fleet.stop()
    result["load_average_after"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    print(json.dumps(result))


def run_kills(
    data: Path,
    fleet: Fleet,
    moments: list[str],
    local: Snapshot,
    expected: dict[str, int],
    redis_url: str = REDIS,
) -> dict[str, Any]:
    """The kill part on a fresh database: one source per moment, compared with the local run."""
    plans = [KillPlan(m, s, KILL_SHARES[m], expected[s]) for m, s in zip(moments, fleet.sites, strict=False)]
    with fresh_database() as (url, engine):
        env = bench_env(url, data, fleet, redis_url, 5)
        flush_broker(redis_url)
        figures = kill_round(env, engine, fleet, plans, data)
        chosen = [p.source for p in plans]
        figures["counts"] = counts(engine, chosen)
        figures["differences_from_local"] = differences(local, snapshot(engine), chosen)
    return figures


if __name__ == "__main__":
    main()
