"""One crawl per source at a time: a PostgreSQL advisory lock, or a flock beside the SQLite file.

Two crawls of one source at once each "succeeded" and marked the other's listings missed (four at once
left 1,600 of 1,809 live listings inactive). The lock belongs to the crawl process: the operating
system (flock) or PostgreSQL (the session ends) frees it however the process dies, so a SIGKILLed crawl
never blocks the next one.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine, make_url

LOCK_CLASS = 0x4C57_4352  # "LWCR": the first key of pg_try_advisory_lock(int, int); the second is the source


class SourceBusy(RuntimeError):
    """Another process is crawling this source."""

    def __init__(self, source: str):
        super().__init__(
            f"source {source} is already being crawled by another process; this start did nothing "
            f"(数据源 {source} 正在被另一个进程抓取，本次未启动)"
        )


def _source_key(source: str) -> int:
    value = zlib.crc32(source.encode("utf-8"))
    return value - 2**32 if value >= 2**31 else value  # a signed int4


class SourceLock:
    """Held for the life of one crawl process; `acquire` raises SourceBusy when another crawl holds it."""

    def __init__(self, engine: Engine, source: str):
        self.engine = engine
        self.source = source
        self._fd: int | None = None
        self._connection: Connection | None = None

    def lock_path(self) -> Path:
        database = make_url(str(self.engine.url)).database or "labourwatch.db"
        return Path(f"{database}.crawl-{self.source}.lock")

    def acquire(self) -> None:
        got = self._flock() if self.engine.dialect.name == "sqlite" else self._advisory()
        if not got:
            raise SourceBusy(self.source)

    def _flock(self) -> bool:
        import fcntl

        path = self.lock_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def _advisory(self) -> bool:
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        statement = text("SELECT pg_try_advisory_lock(:c, :k)")
        if connection.execute(statement, {"c": LOCK_CLASS, "k": _source_key(self.source)}).scalar():
            self._connection = connection
            return True
        connection.close()
        return False

    def release(self) -> None:
        """Give the lock up (closing the descriptor or the session frees it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._connection is not None:
            self._connection.invalidate()  # a closed session drops its advisory locks
            self._connection.close()
            self._connection = None
