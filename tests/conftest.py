"""Shared fixtures: a real database per test session (SQLite or PostgreSQL), cleaned between tests.

Choose the database with LABOURWATCH_TEST_DB=sqlite (default) or LABOURWATCH_TEST_DB=postgresql; the
PostgreSQL server is LABOURWATCH_TEST_PG (default postgresql://postgres@127.0.0.1:5432/postgres). Each
session creates its own database and drops it at the end, so runs never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from store.db import make_engine
from store.migrate import db_upgrade
from store.models import metadata

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
PG_SERVER = os.environ.get("LABOURWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def test_db_kind() -> str:
    """Which database this test session runs on."""
    return os.environ.get("LABOURWATCH_TEST_DB", "sqlite").lower()


test_db_kind.__test__ = False  # type: ignore[attr-defined]


@contextmanager
def _pg_admin() -> Iterator[Connection]:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from store.db import normalise_url

    eng = create_engine(normalise_url(PG_SERVER), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with eng.connect() as connection:
            yield connection
    finally:
        eng.dispose()


def pg_available() -> str | None:
    """None when the PostgreSQL test server answers, else why not."""
    try:
        with _pg_admin() as connection:
            connection.execute(text("SELECT 1"))
        return None
    except Exception as exc:
        return f"PostgreSQL at {PG_SERVER} unreachable: {type(exc).__name__}: {str(exc).splitlines()[0]}"


def in_ci() -> bool:
    """True in CI (`.ci/run` sets CI=true), where what a test needs must be there."""
    return os.environ.get("CI", "").lower() == "true"


def require_real_data(path: Path, what: str = "real data") -> None:
    """Return when PATH (real data under ../shared/data) exists; else skip locally, fail in CI.

    CI clones ../shared beside the repository, so a missing folder there is a broken checkout, not a
    reason to pass quietly.
    """
    if path.exists():
        return
    message = f"{what} {path} is absent"
    if in_ci():
        pytest.fail(f"CI needs the real data in ../shared/data: {message}", pytrace=False)
    pytest.skip(message)


def needs_real_data(path: Path, what: str = "real data") -> pytest.MarkDecorator:
    """Mark a test (or a module, in `pytestmark`) that reads PATH: `require_real_data` runs before it."""
    return pytest.mark.realdata(path=path, what=what)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("realdata"):
        if "path" in mark.kwargs:
            require_real_data(mark.kwargs["path"], mark.kwargs.get("what", "real data"))


def require_pg() -> None:
    """Skip (locally) or fail (in CI) when PostgreSQL is unreachable."""
    reason = pg_available()
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"CI needs PostgreSQL: {reason}", pytrace=False)
    pytest.skip(reason)


def create_pg_database(prefix: str = "lw_test") -> str:
    """Create a uniquely named database and return its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with _pg_admin() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return PG_SERVER.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(url: str) -> None:
    """Drop the database at URL, disconnecting anyone still on it."""
    name = url.rsplit("/", 1)[1]
    with _pg_admin() as connection:
        connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
        )
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


@pytest.fixture(autouse=True)
def rows_seeded() -> None:
    """Every test's rows (tests/rows.py) are numbered from the same seed, whatever ran before it."""
    from tests.rows import ROWS, SEED

    ROWS.restart(SEED)


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of this session's own, freshly migrated database."""
    if test_db_kind() == "postgresql":
        require_pg()
        url = create_pg_database()
        yield url
        drop_pg_database(url)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'labourwatch.db'}"


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on the session database, migrated to head."""
    eng = make_engine(db_url)
    db_upgrade(eng)
    yield eng
    eng.dispose()


def clean_tables(eng: Engine) -> None:
    """Delete every row of every table (children first)."""
    with eng.begin() as connection:
        # DELETE beats TRUNCATE on PostgreSQL for the few rows a test leaves.
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
        # The tally triggers appended -1 rows while the tasks and findings went: empty it last.
        connection.execute(metadata.tables["dashboard_tally"].delete())


AUDIT_TEST_KEY = "audit-test-key-" + "k" * 32


@pytest.fixture
def db(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The session's engine, emptied after the test so tests never see each other's rows.

    The audit chain gets a fixed key and an anchor file of the test's own (set in the environment too,
    so `labourwatch` child processes and apps built from settings seal the chain the same way).
    """
    from store.audit import AuditSeal, use_seal

    anchor = tmp_path / "audit_anchor"
    monkeypatch.setenv("LABOURWATCH_AUDIT_KEY", AUDIT_TEST_KEY)
    monkeypatch.setenv("LABOURWATCH_AUDIT_ANCHOR", str(anchor))
    use_seal(engine, AuditSeal(key=AUDIT_TEST_KEY.encode(), anchor_path=anchor))
    yield engine
    clean_tables(engine)


@pytest.fixture
def run_in_process(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Any]]:
    """Invoke `labourwatch ...` in this process against the test database (faster than a subprocess)."""
    from typer.testing import CliRunner

    import labourwatch
    from store.cli import cli_engine, cli_settings

    monkeypatch.setenv("LABOURWATCH_DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "200")
    cli_settings.cache_clear()
    cli_engine.cache_clear()
    yield lambda *args: CliRunner().invoke(labourwatch.app, list(args))
    cli_engine().dispose()
    cli_settings.cache_clear()
    cli_engine.cache_clear()


@pytest.fixture
def session(db: Engine) -> Iterator[Session]:
    """A session on the clean test database (committed work stays until the test ends)."""
    with Session(db, expire_on_commit=False) as sess:
        yield sess
