"""The job runner: a job's command lines as subprocesses with a deadline, a heartbeat and a log file.

Each child runs in its own session and dies with the scheduler (PR_SET_PDEATHSIG on Linux), so a crash
or a hung Scrapy reactor stays in the child; `kill_leftovers` finds what a crashed run left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_BOX = re.compile(r"[\u2500-\u257f]+")  # table borders of rich output say nothing about a failure


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
