"""What the Celery engine costs and how workers scale, on this machine's Redis and PostgreSQL.

Usage: python bench/engine.py [--jobs 40] [--sleep 2]. Jobs are `{python} -c "import time; time.sleep(S)"`
stand-ins for a politeness-bound crawl (waiting, not computing), each under its own slot of one job.
Measures: seconds from dispatch to the last ledger row succeeded with 1 worker x concurrency 1, 4 and 8,
and with 2 workers x 4; the overhead per job (wall / jobs at concurrency 1 minus the sleep); last line JSON.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from scheduling.jobs import Work  # noqa: E402
from scheduling.service import build_scheduler  # noqa: E402
from store.db import make_engine  # noqa: E402
from store.migrate import db_upgrade  # noqa: E402
from store.runs.ledger import JOB_RUN  # noqa: E402
from store.settings import load_settings  # noqa: E402
from tests.conftest import create_pg_database, drop_pg_database  # noqa: E402

REDIS = os.environ.get("LABOURWATCH_BENCH_REDIS", "redis://127.0.0.1:6379/14")


def _env(url: str, data: Path, sleep: float) -> dict[str, str]:
    command = f'{{python}} -c "import time; time.sleep({sleep})"'
    return dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        LABOURWATCH_DATABASE_URL=url,
        LABOURWATCH_DATA_DIR=str(data),
        LABOURWATCH_SOURCES_DIR=str(data / "sources"),
        LABOURWATCH_BROKER_URL=REDIS,
        LABOURWATCH_AUDIT_KEY="bench-audit-key-" + "k" * 32,
        LABOURWATCH_SCHEDULE_COMMANDS=json.dumps({"audit": [command]}),
        LABOURWATCH_LOG_LEVEL="WARNING",
    )


def _round(url: str, env: dict[str, str], workers: list[int], jobs: int) -> float:
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(JOB_RUN.delete())
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "labourwatch", "worker", f"--concurrency={n}", f"--name=b{i}@%h"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for i, n in enumerate(workers)
    ]
    try:
        time.sleep(4)  # workers up (startup is measured apart from throughput)
        os.environ.update(env)
        settings = load_settings()
        scheduler = build_scheduler(settings, engine=engine, dispatch=True)
        base = datetime(2026, 1, 1, tzinfo=UTC)
        started = time.monotonic()
        for i in range(jobs):
            scheduler.execute(Work("audit", base + timedelta(minutes=i)))
        done = select(func.count()).select_from(JOB_RUN).where(JOB_RUN.c.status == "succeeded")
        while True:
            with engine.connect() as connection:
                if connection.execute(done).scalar_one() >= jobs:
                    break
            time.sleep(0.05)
        return time.monotonic() - started
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=40)
    parser.add_argument("--sleep", type=float, default=2.0)
    args = parser.parse_args()
    url = create_pg_database("lw_bench_engine")
    try:
        db_upgrade(make_engine(url))
        with tempfile.TemporaryDirectory() as tmp:
            env = _env(url, Path(tmp), args.sleep)
            results = {}
            for label, workers in {"1x1": [1], "1x4": [4], "1x8": [8], "2x4": [4, 4]}.items():
                jobs = args.jobs if label != "1x1" else max(4, args.jobs // 8)
                seconds = _round(url, env, workers, jobs)
                results[label] = {
                    "jobs": jobs,
                    "seconds": round(seconds, 2),
                    "jobs_per_s": round(jobs / seconds, 2),
                }
                print(label, results[label], flush=True)
        one = results["1x1"]
        overhead = one["seconds"] / one["jobs"] - args.sleep
        print(
            json.dumps({"sleep_s": args.sleep, "rounds": results, "overhead_per_job_s": round(overhead, 3)})
        )
    finally:
        drop_pg_database(url)


if __name__ == "__main__":
    main()
