"""Workflow services: optimistic locking, assignment, transitions, tips, re-inspections, audit events."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from inspection.access import AccessDenied
from inspection.findings import finding_record
from inspection.tasks.actions import (
    ASSIGNEE_REFUSED,
    task_assign,
    task_close,
    task_escalate,
    task_open_from_tip,
    task_reopen,
    task_transition,
)
from inspection.tasks.reinspections import reinspections_generate
from inspection.tasks.workflow import StaleTaskError, WorkflowError
from store.audit import audit_verify
from store.models import AuditEvent, Finding, InspectionTask, TaskEvidence, User
from store.types import beijing_today, utcnow
from tests.rows import NOW, listing, organisation, settings, source, task

ESCALATION = {
    "reason": "多名未成年人",
    "office": "江苏省人社厅",
    "deadline": date.today() + timedelta(days=30),
}


def _events(session: Session) -> int:
    return session.execute(select(func.count()).select_from(AuditEvent)).scalar() or 0


def test_every_change_bumps_version_and_is_audited(session: Session, users: dict[str, User]) -> None:
    t = task(session)
    before = t.updated_at
    t = task_assign(
        session,
        task_id=t.id or 0,
        expected_version=1,
        actor=users["sup_sz"],
        assignee_id=users["insp_sz"].id or 0,
    )
    assert (t.status, t.version, t.assignee_id) == ("assigned", 2, users["insp_sz"].id)
    t = task_transition(
        session, task_id=t.id or 0, expected_version=2, actor=users["insp_sz"], to_status="in_progress"
    )
    assert (t.status, t.version) == ("in_progress", 3) and t.updated_at >= before
    actions = session.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
    assert actions == ["task.assign", "task.in_progress"]
    assert audit_verify(session).ok


def test_stale_version_raises_and_writes_nothing(session: Session, users: dict[str, User]) -> None:
    t = task(session)
    session.commit()
    # Two supervisors read version 1; the first saves, the second must get StaleTaskError.
    task_assign(
        session,
        task_id=t.id or 0,
        expected_version=1,
        actor=users["sup_sz"],
        assignee_id=users["insp_sz"].id or 0,
    )
    session.commit()
    events = _events(session)
    with pytest.raises(StaleTaskError) as caught:
        task_assign(
            session,
            task_id=t.id or 0,
            expected_version=1,
            actor=users["sup_prov"],
            assignee_id=users["insp_sz2"].id or 0,
        )
    assert (caught.value.expected_version, caught.value.actual_version) == (1, 2)
    session.rollback()
    fresh = session.get(InspectionTask, t.id, populate_existing=True)
    assert fresh is not None and (fresh.assignee_id, fresh.version) == (users["insp_sz"].id, 2)
    assert _events(session) == events


def test_stale_write_from_another_session_is_caught_at_save(
    session: Session, users: dict[str, User], db
) -> None:  # type: ignore[no-untyped-def]
    t = task(session, status="assigned", assignee=users["insp_sz"])
    session.commit()
    with Session(db) as other:
        task_transition(
            other, task_id=t.id or 0, expected_version=1, actor=users["insp_sz"], to_status="in_progress"
        )
        other.commit()
    with pytest.raises(StaleTaskError):
        task_escalate(session, task_id=t.id or 0, expected_version=1, actor=users["sup_sz"], **ESCALATION)


def test_assignee_must_work_the_agency_and_region(session: Session, users: dict[str, User]) -> None:
    t = task(session, region="320505")
    messages = set()
    unknown_id = max(u.id or 0 for u in users.values()) + 1000
    ids = [
        users[n].id or 0 for n in ("insp_nj", "off_sz", "insp_wz", "analyst")
    ]  # city, agency, county, role
    for assignee_id in [*ids, unknown_id]:
        with pytest.raises(WorkflowError) as refused:
            task_assign(
                session,
                task_id=t.id or 0,
                expected_version=1,
                actor=users["sup_prov"],
                assignee_id=assignee_id,
            )
        messages.add(str(refused.value))
    # One refusal for all: it names no user, role or region, and an unknown id reads the same.
    assert messages == {ASSIGNEE_REFUSED}
    for user in users.values():
        assert user.username not in ASSIGNEE_REFUSED and user.region_code not in ASSIGNEE_REFUSED
    assert not any(role in ASSIGNEE_REFUSED for role in ("inspector", "analyst", "market_officer"))


def test_worker_may_claim_but_not_assign_others(session: Session, users: dict[str, User]) -> None:
    t = task(session)
    with pytest.raises(AccessDenied):
        task_assign(
            session,
            task_id=t.id or 0,
            expected_version=1,
            actor=users["insp_sz"],
            assignee_id=users["insp_sz2"].id or 0,
        )
    t = task_assign(
        session,
        task_id=t.id or 0,
        expected_version=1,
        actor=users["insp_sz"],
        assignee_id=users["insp_sz"].id or 0,
    )
    assert t.assignee_id == users["insp_sz"].id
    # Handing it back frees it.
    t = task_transition(
        session, task_id=t.id or 0, expected_version=2, actor=users["insp_sz"], to_status="new"
    )
    assert (t.status, t.assignee_id) == ("new", None)


def test_refused_transition_changes_nothing(session: Session, users: dict[str, User]) -> None:
    t = task(session, status="new")
    with pytest.raises(WorkflowError, match="from new to closed"):
        task_close(session, task_id=t.id or 0, expected_version=1, actor=users["sup_sz"])
    with pytest.raises(WorkflowError, match="finding_record"):
        task_transition(
            session,
            task_id=t.id or 0,
            expected_version=1,
            actor=users["sup_sz"],
            to_status="finding_recorded",
        )
    assert t.version == 1 and _events(session) == 0


def test_escalated_task_keeps_its_status_when_assigned(session: Session, users: dict[str, User]) -> None:
    t = task(session)
    t = task_escalate(
        session, task_id=t.id or 0, expected_version=1, actor=users["sup_prov"], note="挂牌督办", **ESCALATION
    )
    t = task_assign(
        session,
        task_id=t.id or 0,
        expected_version=2,
        actor=users["sup_prov"],
        assignee_id=users["insp_sz"].id or 0,
    )
    assert (t.status, t.assignee_id) == ("escalated", users["insp_sz"].id)


def test_close_and_reopen_by_supervisor(session: Session, users: dict[str, User]) -> None:
    t = task(session, status="finding_recorded", assignee=users["insp_sz"])
    session.add(Finding(task_id=t.id or 0, inspector_id=users["insp_sz"].id or 0, outcome="warning"))
    session.flush()
    with pytest.raises(AccessDenied):
        task_close(session, task_id=t.id or 0, expected_version=1, actor=users["insp_sz"])
    with pytest.raises(WorkflowError, match="审核意见"):
        task_close(session, task_id=t.id or 0, expected_version=1, actor=users["sup_sz"], note="  ")
    t = task_close(session, task_id=t.id or 0, expected_version=1, actor=users["sup_sz"], note="复核通过")
    with pytest.raises(WorkflowError, match="理由"):
        task_reopen(session, task_id=t.id or 0, expected_version=2, actor=users["sup_sz"])
    t = task_reopen(session, task_id=t.id or 0, expected_version=2, actor=users["sup_sz"], note="新线索")
    assert (t.status, t.version) == ("reopened", 3)


def test_closing_needs_a_finding(session: Session, users: dict[str, User]) -> None:
    t = task(session, status="escalated", assignee=users["insp_sz"])
    with pytest.raises(WorkflowError, match="检查结论"):
        task_close(session, task_id=t.id or 0, expected_version=1, actor=users["sup_sz"], note="同意")


def test_reopen_refused_while_the_organisation_has_another_open_task(
    session: Session, users: dict[str, User]
) -> None:
    org = organisation(session, "某劳务公司")
    old = task(session, status="closed")
    old.organisation_id = org.id
    current = task(session)
    current.organisation_id = org.id
    session.flush()
    with pytest.raises(WorkflowError, match="already has an open"):
        task_reopen(session, task_id=old.id or 0, expected_version=1, actor=users["sup_sz"])


def test_open_from_tip(session: Session, users: dict[str, User]) -> None:
    item = listing(session, source(session))
    t = task_open_from_tip(
        session, actor=users["insp_sz"], risk_type="child_labour", region_code="320506", title="学校报告：未成年人在厂打工",
        tip_source="吴中区某中学", tip_text="学生反映同学在电子厂上夜班", origin="mandated_report",
        listing_id=item.id, settings=settings(),
    )  # fmt: skip
    assert (t.agency, t.status, t.origin, t.region_code) == (
        "labour_inspection",
        "new",
        "mandated_report",
        "320506",
    )
    assert t.priority == 1.0 and t.due_at is not None
    assert (
        session.execute(select(TaskEvidence.listing_id).where(TaskEvidence.task_id == t.id)).scalar()
        == item.id
    )
    with pytest.raises(AccessDenied):
        task_open_from_tip(session, actor=users["insp_sz"], risk_type="child_labour", region_code="320100", title="x",
                           tip_source="热线", tip_text="...", settings=settings())  # fmt: skip
    with pytest.raises(WorkflowError):
        task_open_from_tip(session, actor=users["insp_sz"], risk_type="arson", region_code="320500", title="x",
                           tip_source="热线", tip_text="...", settings=settings())  # fmt: skip


def _work_to_finding(
    session: Session, users: dict[str, User], outcome: str, follow_up: date | None
) -> InspectionTask:
    t = task(session, status="in_progress", assignee=users["insp_sz"])
    finding_record(
        session, task_id=t.id or 0, expected_version=1, actor=users["insp_sz"], violations=["deposits_or_fees"],
        outcome=outcome, notes="收取押金", victims=[], follow_up_date=follow_up, attachments=[], settings=settings(),
    )  # fmt: skip
    return t


def test_reinspection_when_follow_up_falls_due(session: Session, users: dict[str, User]) -> None:
    today = beijing_today()  # a follow-up is a Beijing calendar day
    t = _work_to_finding(session, users, "order_to_correct", today + timedelta(days=10))
    assert reinspections_generate(session, now=utcnow(), settings=settings()) == []
    later = utcnow() + timedelta(days=10)
    (follow_up,) = reinspections_generate(session, now=later, settings=settings())
    assert (follow_up.origin, follow_up.follow_up_of_id, follow_up.status) == (
        "reinspection",
        t.id,
        "assigned",
    )
    assert follow_up.assignee_id == users["insp_sz"].id and follow_up.title.startswith("复查")
    assert reinspections_generate(session, now=later + timedelta(days=1), settings=settings()) == []


def test_a_follow_up_falls_due_at_midnight_in_beijing(session: Session, users: dict[str, User]) -> None:
    due = beijing_today() + timedelta(days=10)
    t = _work_to_finding(session, users, "order_to_correct", due)
    eve = datetime.combine(due - timedelta(days=1), time(15, 59), tzinfo=UTC)  # 23:59 the day before, Beijing
    assert reinspections_generate(session, now=eve, settings=settings()) == []
    (follow_up,) = reinspections_generate(session, now=eve + timedelta(minutes=2), settings=settings())
    assert follow_up.follow_up_of_id == t.id  # 00:01 in Beijing, still the day before in UTC


def test_no_reinspection_without_follow_up(session: Session, users: dict[str, User]) -> None:
    _work_to_finding(session, users, "fine", None)
    assert reinspections_generate(session, now=NOW + timedelta(days=400), settings=settings()) == []
