"""PostgreSQL backups with the server's own tools: `pg_dump -Fc` of one snapshot, `pg_restore` in one transaction."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

TOOL_TIMEOUT_S = 6 * 3600


class ToolError(Exception):
    """A PostgreSQL client tool is missing, too old, or failed (one line)."""


def tool(name: str) -> str:
    """The path of pg_dump / pg_restore, or a one-line error saying how to get it."""
    found = shutil.which(name)
    if found is None:
        raise ToolError(f"{name} not found on PATH: install the PostgreSQL client tools (postgresql-client)")
    return found


def check_tool_version(path: str, connection: Connection) -> None:
    """Refuse a pg_dump older than the server (it cannot dump a newer server)."""
    out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout
    match = re.search(r"(\d+)\.", out)
    server = int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    if match is None or int(match.group(1)) < server:
        raise ToolError(
            f"{Path(path).name} {match.group(1) if match else '?'} is older than the server "
            f"(PostgreSQL {server}): install postgresql-client {server} or newer"
        )


def tool_env(engine: Engine) -> dict[str, str]:
    """libpq settings for the tools, passed in the environment so no password shows in the process list."""
    url = engine.url
    env = dict(os.environ)
    parts = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }
    env.update({k: str(v) for k, v in parts.items() if v})
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    return env


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT_S)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise ToolError(f"{what} failed: {lines[0] if lines else f'exit code {done.returncode}'}")


def dump(engine: Engine, draft: Path, read_snapshot: Callable[[Connection], None]) -> None:
    """`pg_dump -Fc` into DRAFT from the very snapshot READ_SNAPSHOT reads (counts match the dump)."""
    pg_dump = tool("pg_dump")
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            check_tool_version(pg_dump, connection)
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            read_snapshot(connection)
            # The snapshot lives as long as this transaction, so pg_dump runs inside it.
            argv = [pg_dump, "-Fc", f"--snapshot={snapshot}", "-f", str(draft)]
            _run(argv, tool_env(engine), "pg_dump")


def dump_tables(path: Path) -> set[str]:
    """Names of the tables a custom-format dump holds."""
    listing = subprocess.run(
        [tool("pg_restore"), "-l", str(path)], capture_output=True, text=True, timeout=300
    )
    if listing.returncode != 0:
        first = (listing.stderr.strip().splitlines() or [f"exit code {listing.returncode}"])[0]
        raise ToolError(f"pg_restore cannot read {path}: {first}")
    return {m.group(1) for m in re.finditer(r" TABLE (?:public )?(\w+) ", listing.stdout)}


def restore(engine: Engine, path: Path) -> None:
    """Replace the database with the dump at PATH, all or nothing (one transaction)."""
    pg_restore = tool("pg_restore")
    with engine.connect() as connection:
        check_tool_version(pg_restore, connection)
        present = set(
            connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            ).scalars()
        )
    extra = present - dump_tables(path)
    if extra:
        # --clean drops only what the dump holds; tables of a newer schema would stay and break upgrades.
        raise ToolError(
            f"the database has tables the backup lacks ({', '.join(sorted(extra))}): downgrade it to the "
            "backup's revision (`labourwatch db downgrade REV`) or restore into an empty database"
        )
    engine.dispose()  # our own pooled connections must not hold locks the restore waits for
    argv = [pg_restore, "--clean", "--if-exists", "--single-transaction", "--exit-on-error"]
    argv += ["--no-owner", "--no-privileges", "-d", engine.url.database or "", str(path)]
    _run(argv, tool_env(engine), "pg_restore (nothing was changed)")
