"""Turn database errors into one sentence: the broken rule of an integrity error, the cause of an outage."""

from __future__ import annotations

import re

from sqlalchemy.exc import DBAPIError, IntegrityError

_NAMED = re.compile(r"\b((?:ck|uq|fk|pk)_[a-z_]+)")
_SQLITE_NOT_NULL = re.compile(r"NOT NULL constraint failed: (\w+)\.(\w+)")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: ([\w., ]+)")
_PG_NOT_NULL = re.compile(r'null value in column "(\w+)" of relation "(\w+)"')

_KINDS = {
    "ck": "breaks the rule {name}: a value is outside what is allowed",
    "uq": "duplicates an existing row ({name})",
    "fk": "refers to a row that does not exist ({name})",
    "pk": "duplicates a primary key ({name})",
}


def describe_integrity_error(error: IntegrityError) -> str:
    """One clear line for a constraint violation on SQLite or PostgreSQL."""
    message = str(error.orig)
    if match := _SQLITE_NOT_NULL.search(message):
        return f"{match.group(1)}.{match.group(2)} is required (NOT NULL)"
    if match := _PG_NOT_NULL.search(message):
        return f"{match.group(2)}.{match.group(1)} is required (NOT NULL)"
    if "FOREIGN KEY constraint failed" in message:
        return "refers to a row that does not exist (FOREIGN KEY)"
    if match := _SQLITE_UNIQUE.search(message):
        return f"duplicates an existing row (UNIQUE {match.group(1).strip()})"
    if match := _NAMED.search(message):
        name = match.group(1)
        return _KINDS[name[:2]].format(name=name)
    return message.splitlines()[0] if message else "integrity error"


# Why the database refused or could not be reached, said so an operator knows what to fix.
_DATABASE_HINTS = (
    ("readonly", "the database file or its folder is not writable"),
    ("unable to open database file", "the database file's folder is missing or not accessible"),
    ("disk is full", "the disk is full"),
    ("no space left", "the disk is full"),
    (
        "no such table",
        "the database is not migrated (`labourwatch db upgrade`), or the URL names another one",
    ),
    ("database is locked", "another process holds the write lock; try again"),
    ("connection refused", "is the PostgreSQL server running at that address?"),
    ("connection failed", "is the PostgreSQL server running at that address?"),
    ("timeout expired", "the PostgreSQL server did not answer in time"),
    ("does not exist", "the database named in the URL does not exist"),
)


def describe_database_error(error: DBAPIError) -> str:
    """One line naming why the database failed (down, read-only, disk full, not migrated)."""
    message = str(error.orig) if error.orig is not None else str(error)
    first = next((line.strip() for line in message.splitlines() if line.strip()), "no details")
    hint = next((hint for key, hint in _DATABASE_HINTS if key in message.lower()), "")
    return f"database unavailable: {first}" + (f" ({hint})" if hint else "")
