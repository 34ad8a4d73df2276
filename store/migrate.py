"""Schema migrations (Alembic) driven from code: upgrade, downgrade, current revision, autogenerate."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(engine: Engine) -> Config:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("version_locations", str(MIGRATIONS / "versions"))
    config.attributes["engine"] = engine
    return config


def _run(engine: Engine, action: str, *args: object, **kwargs: object) -> None:
    with engine.connect() as connection, _sqlite_foreign_keys_off(connection), connection.begin():
        config = _config(engine)
        config.attributes["connection"] = connection
        getattr(command, action)(config, *args, **kwargs)
        _check_foreign_keys(connection)


@contextmanager
def _sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite batch migrations copy a table and drop the old one; with foreign keys on, that drop would
    run every ON DELETE CASCADE / SET NULL pointing at it (findings deleted, assignees cleared).

    The pragma only takes effect outside a transaction, so it is set before the migration's transaction.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def _check_foreign_keys(connection: Connection) -> None:
    """Refuse (roll back) a SQLite migration that left rows pointing at nothing."""
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migration left {len(broken)} rows with broken foreign keys: {broken[:5]}")


def db_upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to REVISION."""
    _run(engine, "upgrade", revision)


def db_downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations down to REVISION ('base' for an empty schema)."""
    _run(engine, "downgrade", revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None when never migrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision in the code."""
    return ScriptDirectory.from_config(_config_for_scripts()).get_current_head()


def known_revision(revision: str) -> bool:
    """True when REVISION is one of the code's migrations (an unknown one is newer than the code)."""
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(_config_for_scripts()).get_revision(revision) is not None
    except CommandError:
        return False


def _config_for_scripts() -> Config:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def schema_problem(engine: Engine) -> str | None:
    """One line saying what to run when the database is not migrated to the code's schema, else None."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return None
    where = engine.url.render_as_string(hide_password=True)
    if current is None:
        return f"the database {where} has no tables yet; run `labourwatch db upgrade` first"
    return (
        f"the database {where} is at revision {current}, the code needs {head}; run `labourwatch db upgrade`"
    )
