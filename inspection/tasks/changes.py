"""The one way tasks change: checked against a version (optimistic locking), bumped, stamped and audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlmodel import Session, col

from inspection.access import NotFound
from inspection.tasks.workflow import StaleTaskError
from store.audit import audit_append
from store.models import InspectionTask, Listing, ListingVersion, TaskEvidence, TaskSearchTerm, User
from store.text import bigrams
from store.types import utcnow
from store.upsert import insert_plain, upsert

MAX_TERM = 40  # longer ASCII words are not indexed (nobody searches for them whole)


def actor_fields(actor: User | None) -> dict[str, Any]:
    """audit_append's actor arguments for a user, or the system."""
    if actor is None:
        return {"actor_id": None, "actor": "system"}
    return {"actor_id": actor.id, "actor": actor.username}


def load_task(session: Session, task_id: int) -> InspectionTask:
    """The task with this id (fresh from the database), or NotFound."""
    task = session.get(InspectionTask, task_id, populate_existing=True)
    if task is None:
        raise NotFound(f"no task {task_id}")
    return task


def ensure_version(task: InspectionTask, expected_version: int) -> None:
    """StaleTaskError unless the caller edited the version the task is at now."""
    if task.version != expected_version:
        raise StaleTaskError(task.id or 0, expected_version, task.version)


def save_change(
    session: Session,
    task: InspectionTask,
    *,
    expected_version: int,
    actor: User | None,
    action: str,
    values: dict[str, Any],
    details: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> InspectionTask:
    """Write VALUES only if the task is still at EXPECTED_VERSION (compare-and-set), then audit the change."""
    stamp = now or utcnow()
    statement = (
        update(InspectionTask)
        .where(col(InspectionTask.id) == task.id, col(InspectionTask.version) == expected_version)
        .values(**values, version=expected_version + 1, updated_at=stamp)
        .execution_options(synchronize_session=False)
    )
    result: Any = session.execute(statement)
    if result.rowcount != 1:
        # Someone committed between our read and our write: nothing was written.
        session.refresh(task)
        raise StaleTaskError(task.id or 0, expected_version, task.version)
    session.refresh(task)
    audit_append(
        session,
        action=f"task.{action}",
        object_type="task",
        object_id=task.id,
        details={"version": task.version, **(details or {})},
        **actor_fields(actor),
    )
    return task


def latest_versions(session: Session, listing_ids: Iterable[int]) -> dict[int, int]:
    """listing id → id of its newest ListingVersion (listings without versions are absent)."""
    ids, found = sorted(set(listing_ids)), {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.execute(
            select(col(ListingVersion.listing_id), func.max(col(ListingVersion.id)))
            .where(col(ListingVersion.listing_id).in_(chunk))
            .group_by(col(ListingVersion.listing_id))
        )
        found.update({listing_id: version_id for listing_id, version_id in rows})
    return found


def add_evidence(
    session: Session,
    rows: list[tuple[int, int, float | None]],
    *,
    now: datetime | None = None,
    index: bool = True,
) -> int:
    """Attach (task id, listing id, score) rows as evidence at each listing's newest version.

    With INDEX (the default) the listings' terms join their tasks' search index; a caller that indexes
    the tasks itself (tasks_generate, for the tasks it creates) passes False.
    """
    if not rows:
        return 0
    session.flush()  # the rows below go through the connection: pending tasks must be written first
    versions = latest_versions(session, (listing_id for _, listing_id, _ in rows))
    stamp = now or utcnow()
    values = [
        {
            "task_id": task_id,
            "listing_id": listing_id,
            "listing_version_id": versions.get(listing_id),
            "score": score,
            "added_at": stamp,
        }
        for task_id, listing_id, score in rows
    ]
    for start in range(0, len(values), 5000):
        session.connection().execute(insert(TaskEvidence), values[start : start + 5000])
    if index:
        index_terms(
            session, evidence_terms(session, [(task_id, listing_id) for task_id, listing_id, _ in rows])
        )
    return len(values)


def index_terms(session: Session, terms_by_task: dict[int, set[str]]) -> int:
    """Add (term, task) rows to the search index; rows already there are left alone."""
    rows = [
        {"term": term, "task_id": task_id}
        for task_id, terms in terms_by_task.items()
        for term in sorted(terms)
        if len(term) <= MAX_TERM
    ]
    return upsert(session, TaskSearchTerm, rows, keys=["term", "task_id"], update=[])


def index_new_tasks(session: Session, terms_by_task: dict[int, set[str]]) -> int:
    """The search index of tasks created in this transaction (nothing to conflict with), in bulk."""
    rows = sorted(
        (term, task_id) for task_id, terms in terms_by_task.items() for term in terms if len(term) <= MAX_TERM
    )
    return insert_plain(session, TaskSearchTerm, ["term", "task_id"], rows)


def evidence_terms(session: Session, pairs: list[tuple[int, int]]) -> dict[int, set[str]]:
    """task id → the bigrams of its evidence listings in PAIRS (task id, listing id)."""
    listing_ids = sorted({listing_id for _, listing_id in pairs})
    text_of: dict[int, str] = {}
    for start in range(0, len(listing_ids), 500):
        chunk = listing_ids[start : start + 500]
        statement = select(col(Listing.id), col(Listing.search_bigrams)).where(col(Listing.id).in_(chunk))
        text_of.update({listing_id: text for listing_id, text in session.execute(statement)})
    terms: dict[int, set[str]] = {}
    for task_id, listing_id in pairs:
        terms.setdefault(task_id, set()).update(text_of.get(listing_id, "").split())
    return terms


def index_task_text(session: Session, task: InspectionTask) -> int:
    """Index the bigrams of a task's own title and tip text."""
    return index_terms(session, {task.id or 0: set(bigrams(f"{task.title} {task.tip_text or ''}").split())})


def has_open_task(session: Session, organisation_id: int | None, risk_type: str) -> bool:
    """True when the organisation already has an open task of RISK_TYPE (the one-open-task rule)."""
    if organisation_id is None:
        return False
    found = session.execute(
        select(col(InspectionTask.id)).where(
            col(InspectionTask.organisation_id) == organisation_id,
            col(InspectionTask.risk_type) == risk_type,
            col(InspectionTask.status) != "closed",
        )
    ).first()
    return found is not None
