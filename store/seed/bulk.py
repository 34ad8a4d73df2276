"""Bulk inserts in batches (SQLAlchemy Core), so a hundred thousand demo rows build in about a minute."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

BATCH = 5000


def batched(rows: Sequence[dict[str, Any]]) -> Iterable[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def insert_rows(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    for chunk in batched(rows):
        session.execute(insert(model), list(chunk))


def insert_returning_ids(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert ROWS (which must not conflict); their new ids, in the rows' order."""
    table = model.__table__
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for chunk in batched(rows):
        ids += session.connection().execute(statement, list(chunk)).scalars().all()
    return ids
