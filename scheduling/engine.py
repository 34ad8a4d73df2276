"""Jobs on Celery workers: the app factory, the one task, the scheduler's dispatcher and `labourwatch worker`.

With LABOURWATCH_BROKER_URL set, `schedule start` only decides *when*; a worker on any machine runs the
same `labourwatch` command lines the embedded scheduler runs, as a child process with the same time
limit, through the same run ledger. The ledger, not the broker, says whether a slot ran: a message
delivered twice (two schedulers, a dead worker's task handed on, a lost acknowledgement) finds its slot
claimed and does nothing more. Tasks are acknowledged late and rejected when their worker dies, so a
killed worker's job is delivered again; crawls and the rest use separate queues, so a slow site never
delays scoring.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update

from scheduling.jobs import JobSpec, Work
from store.enums import JobRunStatus
from store.runs.broker import QUEUES
from store.runs.ledger import JOB_RUN, ledger_get
from store.settings import Settings

log = logging.getLogger("labourwatch.engine")
TASK_NAME = "labourwatch.run_job"
# What `labourwatch crawl` says when crawlers/fetch/run_lock.py finds the source locked by another crawl.
SOURCE_BUSY_MARK = "is already being crawled by another process"
TIME_LIMIT_MARGIN_S = 120  # the child has the kind's limit; Celery's hard limit is only a backstop


def queue_for(kind: str) -> str:
    """Crawls wait in their own queue; scoring, tasks, reports and upkeep never queue behind a slow site."""
    return "crawl" if kind == "crawl" else "work"


def visibility_timeout_s(settings: Settings) -> int:
    """How long Redis waits before handing a dead worker's task to another: longer than any job runs."""
    if settings.broker_visibility_timeout_s:
        return settings.broker_visibility_timeout_s
    return max(settings.schedule_timeouts_s.values()) + TIME_LIMIT_MARGIN_S + 600


def transport_options(settings: Settings) -> dict[str, int]:
    """Redis keeps a taken task in its `unacked` set; a sweep hands it out again once its timeout passed.

    kombu sweeps every `unacked_restore_interval` seconds but scans only on every
    `unacked_restore_throttle`-th sweep (10 x 10 s by default), so a dead worker's job could wait 100 s
    past its timeout; sweep (and scan) a few times per timeout instead, at most once a minute.
    """
    timeout = visibility_timeout_s(settings)
    return {
        "visibility_timeout": timeout,
        "unacked_restore_interval": max(1, min(60, timeout // 3)),
        "unacked_restore_throttle": 1,
    }


class SlotBusy(Exception):
    """The slot cannot run here now (its source is being crawled, or it runs on a live worker)."""


def make_celery(settings: Settings, build: Callable[[Settings], Any]) -> Any:
    """The Celery app for SETTINGS (nothing is connected until a task is sent or a worker starts).

    BUILD makes the scheduler a worker process runs its delivered jobs with (scheduling.service.build_scheduler).
    """
    from celery import Celery
    from kombu import Queue

    app = Celery("labourwatch", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,  # acknowledged after the job ends: a worker that dies loses nothing
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a worker holds only the jobs it is running
        # A broker restart must not kill running jobs (a 3-hour crawl would start again from nothing): they
        # go on, and their message, re-delivered after the visibility timeout, finds the slot done in the ledger.
        worker_cancel_long_running_tasks_on_connection_loss=False,
        task_queues=[Queue(name) for name in QUEUES],
        task_default_queue="work",
        task_ignore_result=True,  # the run ledger is the result store
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        broker_transport_options=transport_options(settings),
        worker_hijack_root_logger=False,
        enable_utc=True,
    )
    schedulers: dict[int, Any] = {}  # one per worker process, built after the pool forks

    def local_scheduler(worker: str, job: str) -> Any:
        scheduler = schedulers.get(os.getpid())
        if scheduler is None or job not in scheduler.jobs:  # first task here, or a source added since
            scheduler = schedulers[os.getpid()] = build(settings)
        scheduler.worker = worker
        return scheduler

    @app.task(name=TASK_NAME, bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
    def run_job(task: Any, job: str, slot: str) -> str:
        scheduler = local_scheduler(task.request.hostname or "worker", job)
        try:
            return run_delivered(scheduler, Dispatcher(settings, app, scheduler.jobs), job, slot)
        except SlotBusy as busy:
            log.info("%s@%s: %s; trying again in %.0f s", job, slot, busy, settings.worker_busy_retry_s)
            raise task.retry(countdown=settings.worker_busy_retry_s) from None

    return app


class Dispatcher:
    """Sends due work to the broker; the same slot is sent once per visibility timeout (the ledger dedupes)."""

    def __init__(self, settings: Settings, app: Any, jobs: dict[str, JobSpec]) -> None:
        self.settings, self.app, self.jobs = settings, app, jobs
        self.resend_after_s = visibility_timeout_s(settings)
        self._sent: dict[tuple[str, str, int], float] = {}

    def dispatch(self, work: Work) -> bool:
        """Send WORK to its queue; False when it was sent recently and is still due."""
        slot = work.slot.isoformat()
        key = (work.job, slot, work.retry.attempts if work.retry is not None else 0)
        now = time.monotonic()
        self._sent = {k: t for k, t in self._sent.items() if now - t < self.resend_after_s}
        if key in self._sent:
            return False
        kind = self.jobs[work.job].kind
        self.app.send_task(
            TASK_NAME,
            args=[work.job, slot],
            queue=queue_for(kind),
            time_limit=self.settings.schedule_timeouts_s[kind] + TIME_LIMIT_MARGIN_S,
        )
        self._sent[key] = now
        log.info("sent %s@%s to queue %s", work.job, slot, queue_for(kind))
        return True


def run_delivered(scheduler: Any, dispatcher: Dispatcher, job: str, slot_text: str) -> str:
    """Run one delivered (JOB, SLOT) through the ledger on this worker; send the chain's next step on success.

    Returns what happened; raises SlotBusy when the task should come back later.
    """
    slot = datetime.fromisoformat(slot_text)
    if job not in scheduler.jobs:
        return f"unknown job {job} (not in this worker's SOURCES_DIR)"
    work = _work_for(scheduler, job, slot)
    if isinstance(work, str):
        return work
    results = scheduler.execute(work, follow=False)
    if not results:  # another worker claimed it between our read and our claim
        row = ledger_get(scheduler.engine, job, slot)
        if row is not None and row.status == JobRunStatus.running.value:
            raise SlotBusy(f"running on {row.result.get('worker') or row.owner}")
        return "claimed elsewhere"
    result = results[0]
    if result.status == JobRunStatus.failed.value and SOURCE_BUSY_MARK in (result.error or ""):
        _release_busy(scheduler, job, slot)
        raise SlotBusy("its source is being crawled by another process")
    then = scheduler.jobs[job].then
    if result.status == JobRunStatus.succeeded.value and then:
        dispatcher.dispatch(Work(then, slot))
    return result.status


def _work_for(scheduler: Any, job: str, slot: datetime) -> Any:
    """The Work to run for (JOB, SLOT) as the ledger stands, or a string saying why there is none."""
    row = ledger_get(scheduler.engine, job, slot)
    if row is not None and row.status == JobRunStatus.running.value:
        scheduler._recover_crashed(scheduler.clock())  # a dead worker's row is failed, then retried here
        row = ledger_get(scheduler.engine, job, slot)
    if row is None:
        return Work(job, slot)
    if row.status == JobRunStatus.succeeded.value:
        return "already succeeded"
    if row.status == JobRunStatus.running.value:
        raise SlotBusy(f"running on {row.result.get('worker') or row.owner}")
    retry_at = row.result.get("retry_at")
    if row.attempts >= scheduler.settings.schedule_retry_max_attempts or not retry_at:
        return "failed, no attempts left"
    if datetime.fromisoformat(retry_at) > scheduler.clock():
        return "failed, retry not due yet (the scheduler sends it then)"
    return Work(job, slot, row)


def _release_busy(scheduler: Any, job: str, slot: datetime) -> None:
    """A crawl that found its source locked did nothing: it costs no attempt and is retried later."""
    row = ledger_get(scheduler.engine, job, slot)
    if row is None or row.status != JobRunStatus.failed.value:
        return
    retry_at = scheduler.clock() + timedelta(seconds=scheduler.settings.worker_busy_retry_s)
    result = {k: v for k, v in row.result.items() if k != "gave_up"}
    result.update(busy=True, retry_at=retry_at.isoformat())
    statement = (
        update(JOB_RUN)
        .where(JOB_RUN.c.id == row.id, JOB_RUN.c.status == row.status, JOB_RUN.c.attempts == row.attempts)
        .values(attempts=row.attempts - 1, result=result)
    )
    with scheduler.engine.begin() as connection:
        connection.execute(statement)


def queue_lengths(app: Any) -> dict[str, int]:
    """Messages waiting in each queue (not counting those workers are running)."""
    lengths = {}
    with app.connection_for_write() as connection:
        for name in QUEUES:
            try:
                lengths[name] = connection.default_channel.queue_declare(name, passive=True).message_count
            except connection.channel_errors:  # never declared: nothing was ever sent to it
                lengths[name] = 0
    return lengths
