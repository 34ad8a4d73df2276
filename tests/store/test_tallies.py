"""Dashboard tallies: the triggers keep them equal to a fresh count through any change, compacted or not."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from inspection.access import agencies_for
from inspection.clock import BEIJING
from inspection.views.dashboard import dashboard
from inspection.views.filters import is_overdue
from store import tallies
from store.db import make_engine
from store.migrate import db_upgrade
from store.models import DashboardTally, Finding, InspectionTask, User
from store.regions import city_of
from tests.conftest import create_pg_database, drop_pg_database, require_pg, test_db_kind
from tests.rows import NOW, ROWS, make_users

COUNTIES = ["320505", "320506", "320102", "320104", "320982"]
AGENCIES = ["labour_inspection", "market_regulation"]
STATUSES = [
    "backlog",
    "new",
    "assigned",
    "in_progress",
    "finding_recorded",
    "closed",
    "escalated",
    "reopened",
]
VIOLATIONS = [[], ["no_violation"], ["child_labour"], ["no_violation", "illegal_agency"], ["forced_labour"]]


def _moment(rng: random.Random):
    """A time within five weeks of NOW, often on a Sunday evening UTC (Monday morning in Beijing)."""
    if rng.random() < 0.3:
        sunday = NOW - timedelta(days=1 + 7 * rng.randrange(4))  # NOW is a Monday
        return sunday.replace(hour=15 + rng.randrange(2), minute=rng.choice([0, 59]))
    return NOW - timedelta(hours=rng.randrange(-72, 24 * 35))


def _new_task(session: Session, rng: random.Random) -> InspectionTask:
    task = InspectionTask(
        title="t",
        risk_type="illegal_agency",
        agency=rng.choice(AGENCIES),
        region_code=rng.choice(COUNTIES),
        status=rng.choice(STATUSES),
        due_at=_moment(rng) if rng.random() < 0.8 else None,
        created_at=_moment(rng),
        updated_at=_moment(rng),
    )
    session.add(task)
    session.flush()
    return task


def _step(session: Session, rng: random.Random, inspector: User) -> None:
    """One random change to tasks or findings."""
    tasks = session.scalars(select(InspectionTask.id)).all()
    findings = session.scalars(select(Finding.id)).all()
    op = rng.randrange(10)
    if op == 0 or not tasks:
        _new_task(session, rng)
    elif op == 1:
        values = {"status": rng.choice(STATUSES), "updated_at": _moment(rng)}
        session.execute(update(InspectionTask).where(InspectionTask.id == rng.choice(tasks)).values(**values))
    elif op == 2:
        values = {"region_code": rng.choice(COUNTIES), "agency": rng.choice(AGENCIES)}
        session.execute(update(InspectionTask).where(InspectionTask.id == rng.choice(tasks)).values(**values))
    elif op == 3:
        due = _moment(rng) if rng.random() < 0.8 else None
        session.execute(
            update(InspectionTask).where(InspectionTask.id == rng.choice(tasks)).values(due_at=due)
        )
    elif op == 4:
        session.execute(
            update(InspectionTask).where(InspectionTask.id == rng.choice(tasks)).values(title="x")
        )
    elif op in (5, 6):
        found = Finding(task_id=rng.choice(tasks), inspector_id=inspector.id or 0, outcome="fine",
                        violations=rng.choice(VIOLATIONS), created_at=_moment(rng))  # fmt: skip
        session.add(found)
    elif op == 7 and findings:
        values = {"violations": rng.choice(VIOLATIONS), "task_id": rng.choice(tasks)}
        if rng.random() < 0.5:
            values = {"created_at": _moment(rng), "notes": "n"}
        session.execute(update(Finding).where(Finding.id == rng.choice(findings)).values(**values))
    elif op == 8 and findings:
        session.execute(delete(Finding).where(Finding.id == rng.choice(findings)))
    elif op == 9 and rng.random() < 0.5:
        session.execute(delete(InspectionTask).where(InspectionTask.id == rng.choice(tasks)))
    session.flush()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tallies_equal_a_fresh_count_through_random_changes(session: Session, seed: int) -> None:
    rng = random.Random(seed)
    inspector = make_users(session)["insp_sz"]
    for _ in range(30):
        _new_task(session, rng)
    for step in range(160):
        _step(session, rng, inspector)
        if step % 40 == 39:
            connection = session.connection()
            assert tallies.drift(connection) == {}
            before, after = tallies.compact(connection)
            assert after <= before and tallies.drift(connection) == {}
            session.commit()
    assert tallies.drift(session.connection()) == {}
    tallies.compact(session.connection())
    keys = session.execute(select(DashboardTally.agency, DashboardTally.region_code, DashboardTally.kind,
                                  DashboardTally.key, DashboardTally.n)).all()  # fmt: skip
    assert all(n != 0 for *_, n in keys) and len(keys) == len({tuple(k[:4]) for k in keys})


def _expected(session: Session, user: User) -> dict[str, tuple[int, int, int]]:
    """(open, overdue, closed) per city, counted from the tasks in Python."""
    counts: dict[str, list[int]] = {}
    for task in session.scalars(select(InspectionTask)).all():
        if task.agency not in agencies_for(user):
            continue
        row = counts.setdefault(city_of(task.region_code) or task.region_code, [0, 0, 0])
        row[2 if task.status == "closed" else 0] += 1
        row[1] += is_overdue(task, NOW)
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def test_dashboard_reads_the_same_before_and_after_compaction(session: Session) -> None:
    rng = random.Random(7)
    users = make_users(session)
    for _ in range(60):
        task = _new_task(session, rng)
        if rng.random() < 0.2:  # due today (Beijing), before or after NOW
            task.due_at = NOW + timedelta(hours=rng.choice([-8, -1, 1, 10]))
    for _ in range(120):
        _step(session, rng, users["insp_sz"])
    session.commit()
    province = users["sup_prov"]  # all of Jiangsu
    loose = dashboard(session, user=province, now=NOW, weeks=6)
    tallies.compact(session.connection())
    session.commit()
    assert dashboard(session, user=province, now=NOW, weeks=6) == loose
    got = {r.region_code: (r.open, r.overdue, r.closed) for r in loose.regions}
    assert got == _expected(session, province)
    assert sum(loose.created_per_week) > 0 and len(loose.weeks) == 6
    assert (loose.created_per_week, loose.closed_per_week, loose.violations_per_week) == _weekly(
        session, province, loose.weeks
    )


def _weekly(session: Session, user: User, weeks: list[str]) -> tuple[list[int], list[int], list[int]]:
    """Tasks created, closed and findings with violations per Beijing week (Monday), counted in Python."""

    def week(moment) -> str:
        day = moment.astimezone(BEIJING).date()
        return (day - timedelta(days=day.weekday())).isoformat()

    tasks = {t.id: t for t in session.scalars(select(InspectionTask)) if t.agency in agencies_for(user)}
    created = Counter(week(t.created_at) for t in tasks.values())
    closed = Counter(week(t.updated_at) for t in tasks.values() if t.status == "closed")
    found = Counter(
        week(f.created_at)
        for f in session.scalars(select(Finding))
        if f.task_id in tasks and any(v != "no_violation" for v in f.violations)
    )
    return [created[w] for w in weeks], [closed[w] for w in weeks], [found[w] for w in weeks]


def test_head_schema_has_the_tally_triggers(engine: Engine) -> None:
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            names = connection.exec_driver_sql(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            ).scalars()
        else:
            names = connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            ).scalars()
        assert set(tallies.TRIGGERS[connection.dialect.name]) <= set(names)


def test_compaction_keeps_rows_another_transaction_is_writing(db: Engine) -> None:
    """PostgreSQL: a task inserted by a transaction still open while compaction runs keeps its counts."""
    if db.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: compaction cannot overlap another write")
    with Session(db) as first:
        _new_task(first, random.Random(1))
        first.commit()
        writer = Session(db)
        _new_task(writer, random.Random(2))  # flushed, not committed
        with db.begin() as connection:
            assert tallies.compact(connection)[0] >= 2  # status and created at least
        writer.commit()
        writer.close()
        assert tallies.drift(first.connection()) == {}


@pytest.fixture
def at_0009(tmp_path) -> Iterator[Engine]:
    """A database of this test run's dialect migrated to 0009 (before the tallies)."""
    if test_db_kind() == "postgresql":
        require_pg()
        url = create_pg_database("lw_mig10")
    else:
        url = f"sqlite:///{tmp_path / 'm10.db'}"
    eng = make_engine(url)
    db_upgrade(eng, "0009")
    try:
        yield eng
    finally:
        eng.dispose()
        if test_db_kind() == "postgresql":
            drop_pg_database(url)


def test_migration_0010_fills_the_tallies_from_existing_tasks(at_0009: Engine) -> None:
    rng = random.Random(5)
    with Session(at_0009) as session:
        inspector = ROWS.user(session, "insp", "inspector", "320500")
        for _ in range(40):
            task = _new_task(session, rng)
            session.add(Finding(task_id=task.id or 0, inspector_id=inspector.id or 0, outcome="fine",
                                violations=rng.choice(VIOLATIONS), created_at=_moment(rng)))  # fmt: skip
        session.commit()
    db_upgrade(at_0009)
    with at_0009.connect() as connection:
        assert tallies.drift(connection) == {}
        kinds = connection.exec_driver_sql("SELECT DISTINCT kind FROM dashboard_tally").scalars().all()
        assert {"status", "created", "violation"} <= set(kinds)


def test_db_tallies_folds_checks_and_rebuilds(session: Session, run_in_process: Any) -> None:
    rng = random.Random(11)
    for _ in range(20):
        _new_task(session, rng)
    session.commit()
    ok = run_in_process("db", "tallies")
    assert ok.exit_code == 0, ok.output
    assert "看板计数已合并" in ok.output and "一致" in ok.output
    session.add(
        DashboardTally(agency="labour_inspection", region_code="320505", kind="status", key="new", n=5)
    )
    session.commit()
    wrong = run_in_process("db", "tallies")
    assert wrong.exit_code != 0 and "--rebuild" in str(wrong.exception)  # CliError: shown without a traceback
    fixed = run_in_process("db", "tallies", "--rebuild")
    assert fixed.exit_code == 0 and "一致" in fixed.output
    assert tallies.drift(session.connection()) == {}


def test_a_time_just_before_beijing_midnight_stays_in_its_day(session: Session) -> None:
    """SQLite's date() rounds to the millisecond; the tallies cut to the second so 23:59:59.9999 stays put."""
    users = make_users(session)
    late = (NOW - timedelta(days=1)).replace(
        hour=15, minute=59, second=59, microsecond=999_900
    )  # Sun 23:59:59
    task = InspectionTask(title="t", risk_type="illegal_agency", agency="labour_inspection", region_code="320505",
                          status="new", due_at=late, created_at=late, updated_at=late)  # fmt: skip
    session.add(task)
    session.commit()
    board = dashboard(session, user=users["sup_prov"], now=NOW, weeks=2)
    assert board.created_per_week == [1, 0]  # the week before NOW's Monday
    assert [(r.region_code, r.overdue) for r in board.regions] == [("320500", 1)]


def test_a_finding_written_while_its_task_moves_counts_where_the_task_went(db: Engine) -> None:
    """PostgreSQL: the finding's trigger waits for the task's move to commit, then counts in the new county."""
    if db.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: the two writes cannot overlap")
    import threading
    import time

    with Session(db) as setup:
        inspector = make_users(setup)["insp_sz"]
        task = InspectionTask(title="t", risk_type="illegal_agency", agency="labour_inspection",
                              region_code="320505", status="in_progress")  # fmt: skip
        setup.add(task)
        setup.commit()
        task_id, inspector_id = task.id or 0, inspector.id or 0
    mover = Session(db)
    mover.execute(update(InspectionTask).where(InspectionTask.id == task_id).values(region_code="320506"))
    mover.flush()  # the move holds the task row, not committed

    def record() -> None:
        with Session(db) as writer:
            writer.add(Finding(task_id=task_id, inspector_id=inspector_id, violations=["child_labour"],
                               outcome="fine"))  # fmt: skip
            writer.commit()

    thread = threading.Thread(target=record)
    thread.start()
    with db.connect() as watch:  # poll until the finding's transaction waits on the task row's lock
        for _ in range(600):
            waiting = watch.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            ).scalar()
            if waiting:
                break
            time.sleep(0.05)
        assert waiting, "the finding's insert never waited for the task's move"
    mover.commit()
    mover.close()
    thread.join(timeout=60)
    assert not thread.is_alive()
    with db.connect() as connection:
        assert tallies.drift(connection) == {}
