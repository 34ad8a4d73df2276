"""The scheduler's moving parts: the run ledger, the job subprocess runner and the leader election.

scheduler.py decides *what* is due; this module makes each decision safe: a slot is claimed by inserting
its ledger row (the unique (job, slot) key lets exactly one claimant win), a job runs as a subprocess
that dies with its scheduler, and only the process holding the election lock schedules anything.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from store.enums import JobRunStatus
from store.models import JobRun

_BOX = re.compile(r"[\u2500-\u257f]+")  # table borders of rich output say nothing about a failure
JOB_RUN = JobRun.__table__  # type: ignore[attr-defined]
HOST = socket.gethostname()


def new_owner() -> str:
    """An id for this scheduler process: host, pid and a random tag (the pid says if it still lives)."""
    return f"{HOST}:{os.getpid()}:{os.urandom(3).hex()}"


def owner_is_dead(owner: str) -> bool:
    """True when OWNER ran on this host and its process is gone (other hosts: judged by heartbeat)."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != HOST or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, but someone else's
        return False
    return False


# --- the ledger -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    """One job_run row, as the scheduler reads it."""

    id: int
    job: str
    slot: datetime
    status: str
    attempts: int
    started_at: datetime
    finished_at: datetime | None
    owner: str
    error: str | None
    result: dict[str, Any]


def _rows(connection: Connection, statement: Any) -> list[LedgerRow]:
    return [LedgerRow(**row._mapping) for row in connection.execute(statement)]


def ledger_claim(
    engine: Engine, *, job: str, slot: datetime, owner: str, now: datetime, result: dict
) -> int | None:
    """Insert the running row of (JOB, SLOT); None when another claimant already holds that slot."""
    values = {
        "job": job,
        "slot": slot,
        "status": JobRunStatus.running.value,
        "attempts": 1,
        "started_at": now,
        "owner": owner,
        "result": result,
    }
    try:
        with engine.begin() as connection:
            key = connection.execute(insert(JOB_RUN).values(**values)).inserted_primary_key
            return int(key[0]) if key else None
    except IntegrityError:
        return None


def ledger_reclaim(engine: Engine, row: LedgerRow, *, owner: str, now: datetime, result: dict) -> bool:
    """Take a failed row for another attempt; False when someone else took it first (compare-and-set)."""
    statement = (
        update(JOB_RUN)
        .where(JOB_RUN.c.id == row.id, JOB_RUN.c.status == JobRunStatus.failed.value)
        .where(JOB_RUN.c.attempts == row.attempts)
        .values(
            status=JobRunStatus.running.value,
            attempts=row.attempts + 1,
            owner=owner,
            started_at=now,
            finished_at=None,
            result=result,
        )
    )
    with engine.begin() as connection:
        return connection.execute(statement).rowcount == 1


def ledger_update(engine: Engine, run_id: int, *, owner: str, **values: Any) -> bool:
    """Update a running row this OWNER still holds; False when ownership was lost (run recovered)."""
    statement = (
        update(JOB_RUN)
        .where(JOB_RUN.c.id == run_id, JOB_RUN.c.owner == owner)
        .where(JOB_RUN.c.status == JobRunStatus.running.value)
        .values(**values)
    )
    with engine.begin() as connection:
        return connection.execute(statement).rowcount == 1


def ledger_recover_crashed(
    engine: Engine,
    *,
    now: datetime,
    stale_after: timedelta,
    running_here: Callable[[LedgerRow], bool] = lambda _row: False,
) -> list[LedgerRow]:
    """Mark running rows whose owner died (or went silent) as failed, retry due now; return them.

    RUNNING_HERE says which rows the calling process is running right now: those are never crashed,
    however old their heartbeat (a database hiccup can delay heartbeats, not kill the job).
    """
    with engine.connect() as connection:
        running = _rows(connection, select(JOB_RUN).where(JOB_RUN.c.status == JobRunStatus.running.value))
    recovered = []
    for row in running:
        reason = None if running_here(row) else _crash_reason(row, now, stale_after)
        if reason is None:
            continue
        result = {**row.result, "retry_at": now.isoformat(), "crashed_owner": row.owner}
        statement = (
            update(JOB_RUN)
            .where(JOB_RUN.c.id == row.id, JOB_RUN.c.owner == row.owner)
            .where(JOB_RUN.c.status == JobRunStatus.running.value)
            .values(status=JobRunStatus.failed.value, finished_at=now, error=reason, result=result)
        )
        with engine.begin() as connection:
            if connection.execute(statement).rowcount == 1:
                recovered.append(row)
    return recovered


def _crash_reason(row: LedgerRow, now: datetime, stale_after: timedelta) -> str | None:
    if owner_is_dead(row.owner):
        return f"crashed: owner {row.owner} is no longer running"
    beat = row.result.get("heartbeat_at")
    last = datetime.fromisoformat(beat) if beat else row.started_at
    if now - last > stale_after:
        return f"crashed: no heartbeat from {row.owner} since {last.isoformat(timespec='seconds')}"
    return None


def ledger_retry_due(engine: Engine, *, now: datetime, since: datetime, max_attempts: int) -> list[LedgerRow]:
    """Failed rows whose backoff has passed, attempts remain, and no newer slot of the job exists."""
    with engine.connect() as connection:
        failed = _rows(
            connection,
            select(JOB_RUN)
            .where(JOB_RUN.c.status == JobRunStatus.failed.value, JOB_RUN.c.slot >= since)
            .where(JOB_RUN.c.attempts < max_attempts),
        )
        if not failed:
            return []
        latest: dict[str, Any] = dict(
            connection.execute(
                select(JOB_RUN.c.job, func.max(JOB_RUN.c.slot))
                .where(JOB_RUN.c.job.in_({row.job for row in failed}))
                .group_by(JOB_RUN.c.job)
            ).all()
        )
    due = []
    for row in failed:
        retry_at = row.result.get("retry_at")
        # A newer slot supersedes an older failure: retrying it would only repeat work.
        if retry_at and datetime.fromisoformat(retry_at) <= now and _same_instant(latest[row.job], row.slot):
            due.append(row)
    return sorted(due, key=lambda row: row.slot)


def _same_instant(a: datetime, b: datetime) -> bool:
    # SQLite hands max() back as a naive value or text; compare on UTC wall time.
    if isinstance(a, str):
        a = datetime.fromisoformat(a)
    return a.replace(tzinfo=None) == b.replace(tzinfo=None)


def ledger_missing_children(
    engine: Engine, *, chain: dict[str, str], since: datetime
) -> list[tuple[str, datetime]]:
    """(child job, slot) pairs whose parent succeeded at SLOT but the child never started."""
    if not chain:
        return []
    with engine.connect() as connection:
        parents = _rows(
            connection,
            select(JOB_RUN)
            .where(JOB_RUN.c.job.in_(list(chain)), JOB_RUN.c.slot >= since)
            .where(JOB_RUN.c.status == JobRunStatus.succeeded.value),
        )
        children = connection.execute(
            select(JOB_RUN.c.job, JOB_RUN.c.slot).where(
                JOB_RUN.c.job.in_(list(chain.values())), JOB_RUN.c.slot >= since
            )
        ).all()
    existing = {(job, slot) for job, slot in children}
    wanted = [(chain[row.job], row.slot) for row in parents]
    return sorted((pair for pair in wanted if pair not in existing), key=lambda pair: pair[1])


def ledger_get(engine: Engine, job: str, slot: datetime) -> LedgerRow | None:
    """The ledger row of (JOB, SLOT), or None."""
    statement = select(JOB_RUN).where(JOB_RUN.c.job == job, JOB_RUN.c.slot == slot)
    with engine.connect() as connection:
        rows = _rows(connection, statement)
    return rows[0] if rows else None


def ledger_has(engine: Engine, job: str, slot: datetime) -> bool:
    """True when (JOB, SLOT) has a ledger row in any state."""
    with engine.connect() as connection:
        statement = select(JOB_RUN.c.id).where(JOB_RUN.c.job == job, JOB_RUN.c.slot == slot)
        return connection.execute(statement).first() is not None


def ledger_history(engine: Engine, *, job: str | None = None, limit: int = 20) -> list[LedgerRow]:
    """The newest ledger rows (of JOB, or all jobs), newest slot first."""
    statement = select(JOB_RUN).order_by(JOB_RUN.c.slot.desc(), JOB_RUN.c.id.desc()).limit(limit)
    if job:
        statement = statement.where(JOB_RUN.c.job == job)
    with engine.connect() as connection:
        return _rows(connection, statement)


def failing_streak(rows: Iterable[LedgerRow]) -> int:
    """Consecutive failed slots, newest first (running or stop-interrupted slots neither count nor break it)."""
    streak = 0
    for row in rows:
        if row.status == JobRunStatus.running.value or row.result.get("interrupted"):
            continue
        if row.status != JobRunStatus.failed.value:
            break
        streak += 1
    return streak


# --- job subprocesses -----------------------------------------------------------------------------------


@dataclass
class CommandOutcome:
    """How a job's command lines ended."""

    ok: bool
    error: str | None = None
    exit_code: int | None = None
    interrupted: bool = False
    seconds: float = 0.0
    commands: list[str] = field(default_factory=list)


def _pdeathsig_preexec() -> Callable[[], None] | None:
    """On Linux, a pre-exec hook that kills the child when the scheduler dies (no orphaned crawls)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return None
    parent = os.getpid()

    def die_with_parent() -> None:
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return die_with_parent


class CommandRunner:
    """Runs job command lines as subprocesses with a deadline, a heartbeat and a log file."""

    def __init__(self, *, heartbeat_s: float) -> None:
        self.heartbeat_s = heartbeat_s
        self.stopping = threading.Event()
        self._live: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self._preexec = _pdeathsig_preexec()

    def run(
        self,
        argvs: list[list[str]],
        *,
        env: dict[str, str],
        timeout_s: float,
        log_path: Path,
        beat: Callable[[], bool],
    ) -> CommandOutcome:
        """Run ARGVS in order until one fails; BEAT is called while waiting and returns False to abort."""
        started = time.monotonic()
        deadline = started + timeout_s
        log_path.parent.mkdir(parents=True, exist_ok=True)
        outcome = CommandOutcome(ok=True)
        with log_path.open("ab") as log:
            for argv in argvs:
                outcome = self._run_one(argv, env=env, deadline=deadline, log=log, beat=beat)
                outcome.commands = [" ".join(a) for a in argvs]
                if not outcome.ok:
                    break
        outcome.seconds = round(time.monotonic() - started, 3)
        if not outcome.ok and outcome.error and not outcome.interrupted:
            outcome.error = f"{outcome.error}{_log_tail(log_path)}"
        return outcome

    def _run_one(
        self, argv: list[str], *, env: dict[str, str], deadline: float, log: Any, beat: Callable[[], bool]
    ) -> CommandOutcome:
        shown = " ".join(argv)
        if self.stopping.is_set():
            return CommandOutcome(False, "interrupted: the scheduler stopped before it ran", interrupted=True)
        log.write(f"$ {shown}\n".encode())
        log.flush()
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # Ctrl-C reaches the scheduler, which stops children itself
                preexec_fn=self._preexec,
            )
        except OSError as exc:
            return CommandOutcome(False, f"cannot start `{shown}`: {exc.strerror or exc}")
        with self._lock:
            self._live.add(process)
        try:
            return self._wait(process, shown, deadline, beat)
        finally:
            with self._lock:
                self._live.discard(process)

    def _wait(
        self, process: subprocess.Popen[bytes], shown: str, deadline: float, beat: Callable[[], bool]
    ) -> CommandOutcome:
        while True:
            remaining = deadline - time.monotonic()
            try:
                code = process.wait(timeout=max(0.01, min(self.heartbeat_s, remaining)))
                break
            except subprocess.TimeoutExpired:
                if remaining <= 0:
                    _kill_group(process)
                    return CommandOutcome(False, f"timeout: `{shown}` killed after the job's time limit")
                if not beat():
                    _kill_group(process)
                    return CommandOutcome(
                        False, "lost: another scheduler recovered this run", interrupted=True
                    )
        if code == 0:
            return CommandOutcome(True, exit_code=0)
        if self.stopping.is_set():
            return CommandOutcome(False, "interrupted: the scheduler stopped", code, interrupted=True)
        return CommandOutcome(False, f"exit code {code} from `{shown}`", code)

    def stop_all(self, *, wait_s: float, kill_after_s: float = 10.0) -> None:
        """Start nothing new; give running children WAIT_S to finish, then SIGTERM, then SIGKILL."""
        self.stopping.set()
        end = time.monotonic() + wait_s
        while self._live_now() and time.monotonic() < end:
            time.sleep(0.05)
        live = self._live_now()
        for process in live:
            _signal_group(process, signal.SIGTERM)
        end = time.monotonic() + kill_after_s
        for process in live:
            try:
                process.wait(timeout=max(0.0, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                _kill_group(process)

    def _live_now(self) -> list[subprocess.Popen[bytes]]:
        with self._lock:
            return [process for process in self._live if process.poll() is None]


def kill_leftovers(job: str, slot: str) -> list[int]:
    """SIGKILL processes a crashed run of (JOB, SLOT) left on this host; return their pids.

    PR_SET_PDEATHSIG reaches only the direct child; a grandchild (`labourwatch crawl` starts
    `crawlers.run`) would crawl on and race the retry. Every process of a run inherits the
    LABOURWATCH_JOB / LABOURWATCH_JOB_SLOT environment the scheduler set, which finds them in /proc.
    """
    wanted = {f"LABOURWATCH_JOB={job}".encode(), f"LABOURWATCH_JOB_SLOT={slot}".encode()}
    killed = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            environ = set((entry / "environ").read_bytes().split(b"\0"))
        except OSError:  # gone, or not ours to read
            continue
        if wanted <= environ and int(entry.name) != os.getpid():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(int(entry.name), signal.SIGKILL)
                killed.append(int(entry.name))
    return killed


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    _signal_group(process, signal.SIGKILL)
    process.wait()


def _log_tail(path: Path, max_chars: int = 2000) -> str:
    """The last lines of a job's log (table borders dropped): what says why it failed."""
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - max_chars))
            tail = handle.read().decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [_BOX.sub(" ", line).strip() for line in tail.splitlines() if not line.startswith("$ ")]
    lines = [" ".join(line.split()) for line in lines if line.strip(" |")]
    return (": " + " | ".join(lines[-3:])[-600:]) if lines else ""


# --- leader election ------------------------------------------------------------------------------------

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
