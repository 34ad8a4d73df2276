"""Batched INSERT ... ON CONFLICT upserts that work the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

BATCH_ROWS = 500


def _table(model: Any) -> Table:
    return model if isinstance(model, Table) else model.__table__


def _insert_for(dialect: str, table: Table) -> Any:
    if dialect == "sqlite":
        return sqlite.insert(table)
    if dialect == "postgresql":
        return postgresql.insert(table)
    raise ValueError(f"upsert does not support the {dialect} dialect")


def _batches(rows: Sequence[Mapping[str, Any]], size: int) -> Iterable[Sequence[Mapping[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def upsert(
    bind: Session | Connection,
    model: Any,
    rows: Sequence[Mapping[str, Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str] | None = None,
) -> int:
    """Insert ROWS into MODEL's table; on a KEYS conflict update the UPDATE columns (or do nothing).

    UPDATE defaults to every column given in the rows except the keys. Returns the rows sent.
    Idempotent: the same rows twice leave the table as once.
    """
    if not rows:
        return 0
    table = _table(model)
    columns = list(rows[0].keys())
    to_update = [c for c in (columns if update is None else update) if c not in keys]
    connection = bind.connection() if isinstance(bind, Session) else bind
    dialect = connection.dialect.name
    for batch in _batches(rows, BATCH_ROWS):
        statement = _insert_for(dialect, table)
        if to_update:
            excluded = statement.excluded
            statement = statement.on_conflict_do_update(
                index_elements=list(keys), set_={c: excluded[c] for c in to_update}
            )
        else:
            statement = statement.on_conflict_do_nothing(index_elements=list(keys))
        connection.execute(statement, [dict(r) for r in batch])
    return len(rows)
