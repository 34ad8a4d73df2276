"""Leader election: one scheduler is active at a time, the others wait as standbys.

SQLite: an exclusive flock on a lock file beside the database. PostgreSQL: an advisory lock held by a
dedicated session. Either is freed by the operating system or the database when its holder dies.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

ADVISORY_KEY = 0x4C57_5343  # "LWSC"; below 2**31 so pg_locks shows it as objid with classid 0


class FileLockElection:
    """SQLite: the process holding an exclusive flock on the lock file is the scheduler."""

    def __init__(self, path: Path, owner: str) -> None:
        self.path = path
        self.owner = owner
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        """Take the lock if free; the OS frees it when this process dies, however it dies."""
        import fcntl

        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, self.owner.encode())
        self._fd = fd
        return True

    def still_held(self) -> bool:
        """A flock cannot be taken away from a live process."""
        return self._fd is not None

    def release(self) -> None:
        """Give the lock up (closing the descriptor releases the flock)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def holder(self) -> str | None:
        """The owner id of the scheduler holding the lock, or None when no scheduler runs."""
        import fcntl

        if self._fd is not None:
            return self.owner
        if not self.path.exists():
            return None
        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return self.path.read_text(encoding="utf-8", errors="replace").strip() or "unknown"
        finally:
            os.close(fd)
        return None


class PgAdvisoryElection:
    """PostgreSQL: the session holding pg_try_advisory_lock(ADVISORY_KEY) on its database is the scheduler."""

    def __init__(self, engine: Engine, owner: str) -> None:
        self.engine = engine
        self.owner = owner
        self._connection: Connection | None = None

    def try_acquire(self) -> bool:
        """Take the lock on a dedicated connection; PostgreSQL frees it when that connection dies."""
        if self._connection is not None:
            return True
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            connection.execute(
                text("SELECT set_config('application_name', :n, false)"), {"n": self._app_name()}
            )
            got = connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}).scalar()
        except OperationalError:
            connection.invalidate()
            connection.close()
            return False
        if not got:
            _return_to_pool(connection)
            return False
        self._connection = connection
        return True

    def _app_name(self) -> str:
        return f"labourwatch-scheduler {self.owner}"[:63]

    def still_held(self) -> bool:
        """True while the lock's connection answers (a dropped connection means the lock is gone)."""
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1"))
            return True
        except OperationalError:
            self._drop()
            return False

    def release(self) -> None:
        """Unlock and close; a connection that cannot unlock is discarded, which frees the lock too."""
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
            _return_to_pool(self._connection)
        except OperationalError:
            self._drop()
        self._connection = None

    def _drop(self) -> None:
        if self._connection is not None:
            self._connection.invalidate()
            self._connection.close()
            self._connection = None

    def holder(self) -> str | None:
        """The application name of the session holding the lock on this database, or None."""
        statement = text(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = :k "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        with self.engine.connect() as connection:
            name = connection.execute(statement, {"k": ADVISORY_KEY}).scalar()
        if name is None:
            return None
        return str(name).removeprefix("labourwatch-scheduler ") or "unknown"


def _return_to_pool(connection: Connection) -> None:
    """Close a lock connection so the pooled session no longer carries the scheduler's name."""
    try:
        connection.execute(text("RESET application_name"))
        connection.close()
    except OperationalError:
        connection.invalidate()
        connection.close()
