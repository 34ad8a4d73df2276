"""Queue latency at scale: `python tests/inspection/bench_queue.py DB_URL [n_listings] [n_tasks]`.

Builds the case data with store.seed.cases.build_cases (once; it is idempotent), then times
queue_for_user for typical requests by several users and prints p50/p95 in milliseconds.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from sqlalchemy import func, select
from sqlmodel import Session

from inspection.views.case_file import task_detail
from inspection.views.dashboard import dashboard
from inspection.views.queries import queue_for_user
from inspection.views.queue_filter import QueueFilter
from store.db import make_engine
from store.migrate import db_upgrade
from store.models import InspectionTask, Listing, User
from store.seed.cases import build_cases


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """(p50, p95) of wall time and the median CPU time of this process, in ms (CPU shows load-free cost)."""
    fn()  # warm caches
    samples, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))], statistics.median(cpu)


def main(url: str, n_listings: int = 100_000, n_tasks: int = 10_000, repeat: int = 40) -> None:
    engine = make_engine(url)
    db_upgrade(engine)
    start = time.perf_counter()
    with Session(engine) as session:
        have = session.execute(select(func.count()).select_from(Listing)).scalar() or 0
        if have < n_listings:  # build once; later runs reuse the database
            summary = build_cases(session, n_listings=n_listings, n_tasks=n_tasks)
            session.commit()
            print(
                f"build_cases: {summary.listings} listings, {summary.tasks} tasks in {time.perf_counter() - start:.1f} s"
            )
    with Session(engine) as session:
        users = {u.username: u for u in session.execute(select(User)).scalars()}
        some_task = (
            session.execute(select(InspectionTask.id).order_by(InspectionTask.id.desc())).scalar() or 0
        )  # type: ignore[union-attr]
        cases: dict[str, Callable[[], object]] = {
            "supervisor (province), page 1": lambda: queue_for_user(session, user=users["supervisor"]),
            "supervisor, open, page 20": lambda: queue_for_user(
                session, user=users["supervisor"], filters=QueueFilter(status="open"), page=20
            ),
            "inspector.sz, open": lambda: queue_for_user(
                session, user=users["inspector.sz"], filters=QueueFilter(status="open")
            ),
            "inspector.sz, q=童工": lambda: queue_for_user(
                session, user=users["inspector.sz"], filters=QueueFilter(q="童工")
            ),
            "supervisor, q=童工": lambda: queue_for_user(
                session, user=users["supervisor"], filters=QueueFilter(q="童工")
            ),
            "supervisor, q=押金 中介": lambda: queue_for_user(
                session, user=users["supervisor"], filters=QueueFilter(q="押金 中介")
            ),
            "supervisor, q=no match 火星": lambda: queue_for_user(
                session, user=users["supervisor"], filters=QueueFilter(q="火星")
            ),
            "supervisor, overdue": lambda: queue_for_user(
                session, user=users["supervisor"], filters=QueueFilter(overdue_only=True)
            ),
            "analyst, child_labour": lambda: queue_for_user(
                session, user=users["analyst"], filters=QueueFilter(risk_type="child_labour")
            ),
            "task_detail (admin)": lambda: task_detail(
                session, user=users["admin"], task_id=some_task, audit_view=False
            ),
            "dashboard (province)": lambda: dashboard(session, user=users["supervisor"]),
        }
        for name, fn in cases.items():
            p50, p95, cpu = _time(fn, repeat)
            print(f"{name:32} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  client CPU p50 {cpu:6.1f} ms")
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:]))
