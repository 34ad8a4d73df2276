"""The transition table and the role rules."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import Session

from inspection.tasks.workflow import (
    TRANSITIONS,
    StaleTaskError,
    WorkflowError,
    check_transition,
    may_transition,
    permitted_actions,
)
from store.enums import TaskStatus
from store.models import User
from tests.rows import task

ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in sorted(targets)]
REFUSED = [(a, b) for a, b in itertools.product(TaskStatus, TaskStatus) if b not in TRANSITIONS[a]]


def test_every_status_has_a_row() -> None:
    assert set(TRANSITIONS) == set(TaskStatus)
    assert TRANSITIONS[TaskStatus.closed] == {TaskStatus.reopened}


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_allowed_transitions_pass(source: TaskStatus, target: TaskStatus) -> None:
    check_transition(source, target)


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_refused_transitions_name_both_states(source: TaskStatus, target: TaskStatus) -> None:
    with pytest.raises(WorkflowError) as caught:
        check_transition(source, target)
    assert str(source) in str(caught.value) and str(target) in str(caught.value)


def test_the_happy_path_is_in_the_table() -> None:
    path = ["backlog", "new", "assigned", "in_progress", "finding_recorded", "closed", "reopened", "assigned"]
    for source, target in itertools.pairwise(path):
        check_transition(source, target)
    assert len(REFUSED) > 30  # the table refuses far more than it allows


def test_unknown_status_is_a_workflow_error() -> None:
    with pytest.raises(WorkflowError, match="unknown"):
        check_transition("new", "archived")


def test_stale_error_is_a_workflow_error_with_both_versions() -> None:
    error = StaleTaskError(7, 2, 3)
    assert isinstance(error, WorkflowError)
    assert "version 2" in str(error) and "version 3" in str(error)


def test_role_rules(session: Session, users: dict[str, User]) -> None:
    t = task(session, status="in_progress", assignee=users["insp_sz"])
    assert may_transition(users["insp_sz"], t, "finding_recorded")
    assert not may_transition(users["insp_sz2"], t, "finding_recorded")  # not the assignee
    assert not may_transition(users["insp_sz"], t, "closed")  # closing is a supervisor's review
    assert may_transition(users["sup_sz"], t, "escalated")
    assert not may_transition(users["analyst"], t, "escalated")
    assert not may_transition(None, t, "closed")  # the system only releases the backlog


def test_workers_claim_only_for_themselves(session: Session, users: dict[str, User]) -> None:
    t = task(session, status="new")
    me, other = users["insp_sz"], users["insp_sz2"]
    assert may_transition(me, t, "assigned", assignee_id=me.id)
    assert not may_transition(me, t, "assigned", assignee_id=other.id)
    assert permitted_actions(users["analyst"], t) == []
    assert TaskStatus.escalated in permitted_actions(users["sup_prov"], t)
