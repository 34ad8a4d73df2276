"""Bulk writes through the driver (COPY on PostgreSQL, executemany on SQLite) and inserts that return ids."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.models import InspectionTask, Source, TaskSearchTerm
from store.upsert import insert_missing, insert_plain


def _task(session: Session) -> int:
    task = InspectionTask(
        title="t", risk_type="child_labour", agency="labour_inspection", region_code="320500"
    )
    session.add(task)
    session.flush()
    return task.id or 0


def test_insert_plain_writes_every_row_as_given_and_rolls_back_with_the_transaction(db: Engine) -> None:
    with Session(db) as session:
        task = _task(session)
        session.commit()
    rows = [(f"童工{i}", task) for i in range(25_000)] + [("含'引号\t制表", task), ("全角ＡＢ", task)]
    with Session(db) as session:
        assert insert_plain(session, TaskSearchTerm, ["term", "task_id"], iter(rows)) == len(rows)
        session.rollback()
        assert session.execute(select(TaskSearchTerm)).first() is None  # nothing half-written
        insert_plain(session, TaskSearchTerm, ["term", "task_id"], rows)
        session.commit()
        stored = set(session.execute(select(TaskSearchTerm.term, TaskSearchTerm.task_id)).all())
    assert stored == set(rows)


def test_insert_missing_returns_only_the_rows_it_inserted(db: Engine) -> None:
    with Session(db) as session:
        first = insert_missing(
            session,
            Source,
            [{"name": n, "kind": "job", "title": n, "config": {}} for n in ("a", "b")],
            keys=["name"],
            returning=["name", "id"],
        )
        again = insert_missing(
            session,
            Source,
            [{"name": n, "kind": "job", "title": "新" + n, "config": {}} for n in ("b", "c")],
            keys=["name"],
            returning=["name", "id"],
        )
        session.commit()
        titles = dict(session.execute(select(Source.name, Source.title)).all())
    assert sorted(name for name, _ in first) == ["a", "b"] and [name for name, _ in again] == ["c"]
    assert titles == {"a": "a", "b": "b", "c": "新c"}  # an existing row is left as it was
