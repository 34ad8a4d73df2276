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


def insert_missing(
    bind: Session | Connection,
    model: Any,
    rows: Sequence[Mapping[str, Any]],
    *,
    keys: Sequence[str],
    returning: Sequence[str],
) -> list[tuple[Any, ...]]:
    """Insert the ROWS whose KEYS are not in MODEL's table yet; RETURNING's columns of the rows inserted.

    A caller learns new rows' ids without a lookup (a lookup inside a long transaction may be planned on
    stale statistics and scan the whole table).
    """
    table = _table(model)
    connection = bind.connection() if isinstance(bind, Session) else bind
    out: list[tuple[Any, ...]] = []
    for batch in _batches(rows, BATCH_ROWS * 4):
        statement = (
            _insert_for(connection.dialect.name, table)
            .on_conflict_do_nothing(index_elements=list(keys))
            .returning(*(table.c[c] for c in returning))
        )
        out += [tuple(r) for r in connection.execute(statement, [dict(r) for r in batch])]
    return out


def insert_plain(
    bind: Session | Connection, model: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert ROWS (tuples in COLUMNS' order) through the driver: COPY on PostgreSQL, executemany on SQLite.

    For large batches of rows that cannot conflict (the search terms of tasks just created, bench data):
    no per-row statement compilation, about ten times faster than an ORM or Core insert. Values must be
    what both drivers take as is (str, int, float, None: no dates, JSON or enums). Returns the rows written.
    """
    table = _table(model)
    connection = bind.connection() if isinstance(bind, Session) else bind
    names = ", ".join(table.c[c].name for c in columns)
    written = 0
    if connection.dialect.name == "postgresql":
        raw: Any = connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        return written
    marks = ", ".join("?" for _ in columns)
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 20_000:
            connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", batch)
            written, batch = written + len(batch), []
    if batch:
        connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", batch)
        written += len(batch)
    return written
