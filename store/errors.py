"""Turn database integrity errors into one sentence that names the table, column and rule."""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError

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
