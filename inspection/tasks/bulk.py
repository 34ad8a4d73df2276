"""A generation run's writes in bulk: new tasks with their evidence, search terms and audit events, and
new evidence attached to open tasks. A province cycle writes tens of thousands of tasks at once, so rows go
in batches (tasks with RETURNING, search terms by COPY) and the audit events in one chained batch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlmodel import Session, col

from inspection.tasks.changes import add_evidence, evidence_terms, index_new_tasks
from inspection.tasks.samples import Candidate, Plan
from inspection.tasks.workflow import StaleTaskError
from store.audit import audit_append_many
from store.models import InspectionTask
from store.text import bigrams

CHUNK = 2000  # tasks whose evidence and search terms are written at a time


def insert_tasks(
    session: Session,
    rows: list[dict[str, Any]],
    plans: list[Plan],
    now: datetime,
    events: list[dict[str, Any]],
) -> list[int]:
    """Insert task ROWS (one per plan), their evidence and search terms; the new ids.

    Then the task.create events and EVENTS (a run's other events) go into the audit chain in one batch,
    last, so the chain's lock is held only from there to the commit.
    """
    session.flush()  # what follows goes through the connection: pending ORM rows first
    table = InspectionTask.__table__  # type: ignore[attr-defined]
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        part = rows[start : start + CHUNK]
        new = list(session.connection().execute(statement, part).scalars())
        evidence: list[tuple[int, int, float | None]] = [
            (tid, c.listing_id, c.probability)
            for tid, plan in zip(new, plans[start : start + CHUNK], strict=True)
            for c in plan.members
        ]
        add_evidence(session, evidence, now=now, index=False)
        terms = evidence_terms(session, [(tid, listing_id) for tid, listing_id, _ in evidence])
        for tid, row in zip(new, part, strict=True):
            terms.setdefault(tid, set()).update(bigrams(row["title"]).split())
        index_new_tasks(session, terms)
        ids += new
    audit_append_many(
        session, [_created(tid, row, plan) for tid, row, plan in zip(ids, rows, plans, strict=True)]
    )
    return ids


def _created(task_id: int, row: dict[str, Any], plan: Plan) -> dict[str, Any]:
    return {
        "action": "task.create",
        "object_type": "task",
        "object_id": task_id,
        "details": {
            "origin": row["origin"],
            "status": row["status"],
            "risk_type": row["risk_type"],
            "region": row["region_code"],
            "model_version_id": row["model_version_id"],
            "score": row["score"],
            "listings": [c.listing_id for c in plan.members],
            "rules": [
                {"listing_id": c.listing_id, "feature": e.get("feature"), "meaning": e.get("meaning")}
                for c in plan.members
                for e in c.rules
            ],
            **({"draw": plan.draw} if plan.draw else {}),
        },
    }


def attach_to_open(
    session: Session, attachments: Sequence[tuple[InspectionTask, list[Candidate]]], now: datetime
) -> tuple[int, list[dict[str, Any]]]:
    """Attach new listings of organisations to their open tasks; raise a task's priority when they are worse.

    Each task changes as tasks.changes.save_change would change it (compare-and-set on its version, the
    version bumped), all in a few statements. Returns the evidence rows added and the task.evidence_add
    events, which the caller appends last (the audit chain's lock is then held only for the batch and the
    commit, not while tasks are written: every audited request waits on that lock).
    """
    if not attachments:
        return 0, []
    added = add_evidence(
        session,
        [(task.id or 0, c.listing_id, c.probability) for task, members in attachments for c in members],
        now=now,
    )
    params, events = [], []
    for task, members in attachments:
        best = max(members, key=lambda c: c.priority)  # members[0] may be a rule listing of lower priority
        priority, score = task.priority, task.score
        if best.priority > task.priority:
            priority, score = best.priority, max(task.score or 0.0, best.probability)
        params.append(
            {"task_id": task.id, "expected": task.version, "new_priority": priority, "new_score": score}
        )
        details = {"version": task.version + 1, "listings": [c.listing_id for c in members]}
        events.append(
            {"action": "task.evidence_add", "object_type": "task", "object_id": task.id, "details": details}
        )
    table = InspectionTask.__table__  # type: ignore[attr-defined]
    statement = (
        update(table)
        .where(table.c.id == bindparam("task_id"), table.c.version == bindparam("expected"))
        .values(
            priority=bindparam("new_priority"),
            score=bindparam("new_score"),
            version=table.c.version + 1,
            updated_at=now,
        )
    )
    changed = 0
    for start in range(0, len(params), CHUNK):
        result: Any = session.connection().execute(statement, params[start : start + CHUNK])
        changed += result.rowcount
    if changed != len(params):
        # Someone changed a task between this run's read and its write; the caller's transaction rolls back.
        _raise_stale(session, attachments)
    for task, _ in attachments:
        session.expire(task)
    return added, events


def _raise_stale(session: Session, attachments: Sequence[tuple[InspectionTask, list[Candidate]]]) -> None:
    """StaleTaskError naming a task that someone else changed between the run's read and its write."""
    wanted = {task.id: task.version + 1 for task, _ in attachments}
    ids = sorted(i for i in wanted if i is not None)
    for start in range(0, len(ids), 500):
        statement = select(col(InspectionTask.id), col(InspectionTask.version)).where(
            col(InspectionTask.id).in_(ids[start : start + 500])
        )
        for task_id, version in session.connection().execute(statement):
            if version != wanted[task_id]:
                raise StaleTaskError(task_id or 0, wanted[task_id] - 1, version)
    first = attachments[0][0]
    raise StaleTaskError(first.id or 0, first.version, first.version + 1)


__all__ = ["attach_to_open", "insert_tasks"]
