"""Web latency bench: queue page and task page (p50, p95) on SQLite and PostgreSQL with big case data.

    PYTHONPATH=. .venv/bin/python bench/web.py [--listings 100000] [--tasks 10000] [--requests 200]
        [--db sqlite,postgresql] [--tasks-generate] [--keep NAME]

Builds the deterministic case data (store.seed.cases.build_cases) in a fresh database per backend
(a temporary SQLite file; a PostgreSQL database it creates and drops on LABOURWATCH_BENCH_PG, default
postgresql://postgres@127.0.0.1:5432/postgres), logs in as demo users and times full requests through
the app in-process (routing, session cookie, CSRF, services, SQL, templates). With --tasks-generate,
`tasks generate` is timed over every score after the pages (it adds tasks). Prints a table and a final
JSON line (pages, build seconds, generation counts). Goal: p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool
from sqlmodel import col

from store.db import make_engine, normalise_url, session_scope
from store.migrate import db_upgrade
from store.seed.users import DEMO_PASSWORD
from store.settings import Settings

PG_SERVER = os.environ.get("LABOURWATCH_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
GOAL_P95_MS = 100.0
USERS = ("inspector.sz", "supervisor")


def _admin() -> Engine:
    return create_engine(normalise_url(PG_SERVER), isolation_level="AUTOCOMMIT", poolclass=NullPool)


@contextmanager
def database(kind: str, keep: str | None = None) -> Iterator[str]:
    """A fresh database URL of KIND, removed afterwards; or PostgreSQL database KEEP, created if missing and kept."""
    if keep:
        admin = _admin()
        with admin.connect() as connection:
            known = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": keep}
            ).first()
            if known is None:
                connection.execute(text(f'CREATE DATABASE "{keep}"'))
        admin.dispose()
        yield PG_SERVER.rsplit("/", 1)[0] + "/" + keep
        return
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    name = f"lw_bench_{uuid.uuid4().hex[:10]}"
    admin = _admin()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_SERVER.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def _has_tasks(engine: Engine) -> bool:
    from store.models import InspectionTask

    with engine.connect() as connection:
        return connection.execute(select(col(InspectionTask.id)).limit(1)).first() is not None


def build(engine: Engine, n_listings: int, n_tasks: int) -> float:
    """Migrate and fill the database (a kept database that has tasks is only migrated); seconds taken."""
    from store.seed.cases import build_cases

    started = time.perf_counter()
    db_upgrade(engine)
    if _has_tasks(engine):
        print("database already filled: migrated only", file=sys.stderr, flush=True)
        return time.perf_counter() - started
    with session_scope(engine) as session:
        build_cases(session, seed=2014, n_listings=n_listings, n_tasks=n_tasks)
    if engine.dialect.name == "postgresql":
        # What autovacuum does after a bulk load (statistics, and the visibility map that lets the
        # queue's counts read indexes alone), done now so the pages are timed in that steady state.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - started


def test_client(app: Any) -> Any:
    """Starlette's test client (it warns when only httpx, not httpx2, is installed)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        from starlette.testclient import TestClient
    return TestClient(app)


def logged_in(app: Any, username: str) -> Any:
    """A client logged in as USERNAME."""
    import re

    client = test_client(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token, "no CSRF token on the login page"
    data = {"username": username, "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 303, f"login as {username} failed: {response.status_code}"
    return client


def timings(call: Callable[[], Any], n: int) -> list[float]:
    """Milliseconds of N calls (after two warm-up calls); every call must answer 200."""
    for _ in range(2):
        call()
    out = []
    for _ in range(n):
        started = time.perf_counter()
        response = call()
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, f"{response.status_code}: {response.text[:200]}"
    return out


def visible_task_ids(engine: Engine, user_region: str, limit: int = 200) -> list[int]:
    """Task ids in the user's region (city prefix) to open in the task-page bench."""
    from store.models import InspectionTask

    with engine.connect() as connection:
        rows = connection.execute(
            select(col(InspectionTask.id))
            .where(
                col(InspectionTask.region_code).like(user_region[:4] + "%"),
                col(InspectionTask.agency) == "labour_inspection",
            )
            .order_by(col(InspectionTask.id))
            .limit(limit)
        ).scalars()
        return [int(task_id) for task_id in rows if task_id is not None]


def time_tasks_generate(engine: Engine) -> dict[str, Any]:
    """`tasks generate` over every scored listing of the built data (its own transaction): time and counts."""
    from inspection.tasks.generate import tasks_generate

    settings = Settings(secret_key="b" * 40, audit_key="bench-audit-key-" + "k" * 32)
    started, cpu = time.perf_counter(), time.process_time()
    with session_scope(engine) as session:
        report = tasks_generate(session, settings=settings)
    seconds = time.perf_counter() - started
    made = len(report.task_ids)
    result = {
        "db": engine.dialect.name,
        "seconds": round(seconds, 1),
        "cpu_s": round(time.process_time() - cpu, 1),
        "tasks_created": made,
        "model": report.created,
        "rule": report.created_rule,
        "audit": report.created_audit,
        "active_learning": report.created_active,
        "backlog": report.backlog,
        "attached": report.attached,
        "ms_per_task": round(1000 * seconds / max(made, 1), 2),
    }
    print(f"tasks generate: {json.dumps(result)}", file=sys.stderr, flush=True)
    return result


def measure(
    url: str, n_listings: int, n_tasks: int, n_requests: int, generate: bool = False
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Build, then time each page for each bench user (and then `tasks generate` when GENERATE)."""
    from inspection.web.app import create_app

    engine = make_engine(url)
    seconds = build(engine, n_listings, n_tasks)
    kind = engine.dialect.name
    print(f"{kind}: built {n_listings} listings, {n_tasks} tasks in {seconds:.1f} s", file=sys.stderr)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Settings(data_dir=Path(folder), secret_key="b" * 40), engine=engine)
        results = []
        rng = random.Random(7)
        inspector = logged_in(app, "inspector.sz")
        supervisor = logged_in(app, "supervisor")
        ids = visible_task_ids(engine, "320500")
        pages: list[tuple[str, str, Any, Callable[[], str]]] = [
            ("queue", "inspector.sz", inspector, lambda: "/"),
            ("queue search 童工", "inspector.sz", inspector, lambda: "/?q=童工"),
            ("queue", "supervisor", supervisor, lambda: "/"),
            ("task", "inspector.sz", inspector, lambda: f"/tasks/{rng.choice(ids)}"),
            ("dashboard", "supervisor", supervisor, lambda: "/dashboard"),
        ]
        for page, user, client, path in pages:
            values = timings(_getter(client, path), n_requests)
            results.append(_row(kind, page, user, values))
            print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    # After the pages: generation adds tasks (a quarter of a million at 1M listings), and the pages are
    # measured at the asked number of tasks.
    generated = [{"db": kind, "build_s": round(seconds, 1)}]
    if generate:
        generated[0]["tasks_generate"] = time_tasks_generate(engine)
    engine.dispose()
    return results, generated


def _getter(client: Any, path: Callable[[], str]) -> Callable[[], Any]:
    return lambda: client.get(path())


def _row(kind: str, page: str, user: str, values: list[float]) -> dict[str, Any]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "db": kind,
        "page": page,
        "user": user,
        "n": len(values),
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(p95, 1),
        "ok": p95 < GOAL_P95_MS,
    }


def main() -> None:
    """Parse the arguments, run every backend, print the table and the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument(
        "--tasks-generate", action="store_true", help="also time `tasks generate` over the scored listings"
    )
    parser.add_argument(
        "--keep",
        metavar="NAME",
        help="PostgreSQL only: build into database NAME and keep it; a later run with the same NAME "
        "migrates it to head and measures again without rebuilding",
    )
    args = parser.parse_args()
    if args.keep and args.db != "postgresql":
        parser.error("--keep needs --db postgresql")
    rows: list[dict[str, Any]] = []
    generation: list[dict[str, Any]] = []
    for kind in args.db.split(","):
        with database(kind.strip(), args.keep) as url:
            pages, generated = measure(url, args.listings, args.tasks, args.requests, args.tasks_generate)
            rows, generation = rows + pages, generation + generated
    print(
        f"{'db':11} {'page':18} {'user':13} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}  goal p95<{GOAL_P95_MS:.0f}"
    )
    for r in rows:
        print(
            f"{r['db']:11} {r['page']:18} {r['user']:13} {r['n']:5d} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f}  "
            f"{'ok' if r['ok'] else 'MISSED'}"
        )
    print(
        json.dumps(
            {
                "bench": "web",
                "listings": args.listings,
                "tasks": args.tasks,
                "results": rows,
                "builds": generation,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
