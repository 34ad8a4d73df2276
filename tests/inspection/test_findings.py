"""Recording findings: taxonomy, victims, attachments, follow-up dates, labels."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session

import inspection.findings
import store.types
from inspection.access import AccessDenied
from inspection.findings import FindingError, Upload, finding_record, labels_from_finding, safe_filename
from inspection.tasks.workflow import WorkflowError
from store.audit import audit_verify
from store.models import AuditEvent, Finding, FindingAttachment, InspectionTask, User
from store.types import beijing_today
from tests.rows import settings, task

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.7\n%test\n"


def _record(session: Session, actor: User, t: InspectionTask, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "violations": ["child_labour"],
        "outcome": "fine",
        "notes": "现场发现两名未满16周岁的工人",
        "victims": [{"name": "李某", "age": 15}],
        "follow_up_date": None,
        "attachments": [],
        "settings": settings(),
    }
    values.update(overrides)
    return finding_record(session, task_id=t.id or 0, expected_version=t.version, actor=actor, **values)


def test_record_moves_task_and_stores_attachments(session: Session, users: dict[str, User]) -> None:
    t = task(session, status="in_progress", assignee=users["insp_sz"], risk_type="child_labour")
    uploads = [Upload("../../现场照片.png", "image/png", PNG), Upload("report.pdf", "application/pdf", PDF)]
    finding = _record(session, users["insp_sz"], t, attachments=uploads)
    session.refresh(t)
    assert (t.status, t.version) == ("finding_recorded", 2)
    assert finding.labels == {"child_labour": 1} and finding.victims == [{"name": "李某", "age": 15}]
    files = session.execute(select(FindingAttachment).order_by(FindingAttachment.id)).scalars().all()
    assert [(f.filename, f.size_bytes, f.sha256) for f in files] == [
        ("现场照片.png", len(PNG), hashlib.sha256(PNG).hexdigest()),
        ("report.pdf", len(PDF), hashlib.sha256(PDF).hexdigest()),
    ]
    event = session.execute(select(AuditEvent).where(AuditEvent.action == "finding.record")).scalar_one()
    assert event.details["victims"] == 1 and "李某" not in repr(event.details)
    assert audit_verify(session).ok


@pytest.mark.parametrize(
    ("violations", "outcome", "message"),
    [
        ([], "fine", "at least one"),
        (["no_violation", "child_labour"], "no_action", "cannot be combined"),
        (["arson"], "fine", "unknown"),
        (["child_labour"], "shrug", "outcome"),
        (["no_violation"], "fine", "no_action"),
    ],
)
def test_taxonomy_validation(session: Session, users: dict[str, User], violations, outcome, message) -> None:  # type: ignore[no-untyped-def]
    t = task(session, status="in_progress", assignee=users["insp_sz"])
    with pytest.raises(FindingError, match=message):
        _record(session, users["insp_sz"], t, violations=violations, outcome=outcome)
    assert session.execute(select(Finding)).first() is None and t.version == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (Upload("x.exe", "application/octet-stream", b"MZ"), "only pdf"),
        (Upload("x.png", "image/jpeg", PNG), "does not match"),
        (Upload("x.pdf", "application/pdf", b"<html>"), "not a pdf"),
        (Upload("x.txt", "text/plain", b"\xff\xfe\x00"), "UTF-8"),
        (Upload("big.pdf", "application/pdf", PDF + b"0" * 100), "over the limit"),
    ],
)
def test_attachment_allow_list_and_size(
    session: Session, users: dict[str, User], upload: Upload, message: str
) -> None:
    t = task(session, status="in_progress", assignee=users["insp_sz"])
    with pytest.raises(FindingError, match=message):
        _record(
            session,
            users["insp_sz"],
            t,
            attachments=[upload],
            settings=settings(finding_attachment_max_bytes=100),
        )
    assert session.execute(select(FindingAttachment)).first() is None


def test_warning_gets_default_follow_up(session: Session, users: dict[str, User]) -> None:
    t = task(session, status="in_progress", assignee=users["insp_sz"])
    finding = _record(session, users["insp_sz"], t, violations=["deposits_or_fees"], outcome="warning",
                      settings=settings(finding_follow_up_days=21))  # fmt: skip
    assert finding.follow_up_date == beijing_today() + timedelta(days=21)


def test_follow_up_dates_are_beijing_calendar_days(
    session: Session, users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 17:00 UTC on 2 March is 01:00 on 3 March in Beijing: the officer's today is the 3rd, so the 2nd is
    # past and three weeks on is the 24th (the UTC date would accept the 2nd and give the 23rd).
    evening = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
    monkeypatch.setattr(store.types, "utcnow", lambda: evening)
    monkeypatch.setattr(inspection.findings, "utcnow", lambda: evening)
    t = task(session, status="in_progress", assignee=users["insp_sz"])
    with pytest.raises(FindingError, match="past"):
        _record(session, users["insp_sz"], t, follow_up_date=date(2026, 3, 2))
    finding = _record(session, users["insp_sz"], t, violations=["deposits_or_fees"], outcome="warning",
                      settings=settings(finding_follow_up_days=21))  # fmt: skip
    assert finding.follow_up_date == date(2026, 3, 24)


def test_past_follow_up_and_bad_victims_are_refused(session: Session, users: dict[str, User]) -> None:
    t = task(session, status="in_progress", assignee=users["insp_sz"])
    with pytest.raises(FindingError, match="past"):
        _record(session, users["insp_sz"], t, follow_up_date=beijing_today() - timedelta(days=1))
    with pytest.raises(FindingError, match="age"):
        _record(session, users["insp_sz"], t, victims=[{"age": 300}])
    with pytest.raises(FindingError, match="unknown fields"):
        _record(session, users["insp_sz"], t, victims=[{"password": "x"}])


def test_only_the_assignee_or_a_supervisor_records(session: Session, users: dict[str, User]) -> None:
    t = task(session, status="in_progress", assignee=users["insp_sz"])
    with pytest.raises(AccessDenied):
        _record(session, users["insp_sz2"], t)
    with pytest.raises(AccessDenied):
        _record(session, users["analyst"], t)
    assert _record(session, users["sup_sz"], t).inspector_id == users["sup_sz"].id


def test_finding_needs_work_in_progress(session: Session, users: dict[str, User]) -> None:
    t = task(session, status="new")
    with pytest.raises(WorkflowError, match="from new to finding_recorded"):
        _record(session, users["sup_sz"], t)


def test_referral_opens_a_market_regulation_task(session: Session, users: dict[str, User]) -> None:
    t = task(session, status="in_progress", assignee=users["insp_sz"])
    _record(
        session, users["insp_sz"], t, violations=["unlicensed_agency"], outcome="referral_market_regulation"
    )
    referral = session.execute(
        select(InspectionTask).where(InspectionTask.follow_up_of_id == t.id)
    ).scalar_one()
    assert (referral.agency, referral.region_code, referral.status) == (
        "market_regulation",
        t.region_code,
        "new",
    )


@pytest.mark.parametrize(
    ("risk", "violations", "labels"),
    [
        ("child_labour", ["child_labour"], {"child_labour": 1}),
        ("child_labour", ["no_violation"], {"child_labour": 0}),
        (
            "illegal_agency",
            ["deposits_or_fees", "id_documents_withheld"],
            {"illegal_agency": 1, "forced_labour": 1},
        ),
        ("illegal_agency", ["child_labour"], {"illegal_agency": 0, "child_labour": 1}),
        ("illegal_agency", ["no_violation"], {"illegal_agency": 0}),
        ("illegal_agency", ["forced_labour_indicators"], {"illegal_agency": 1, "forced_labour": 1}),
        (
            "child_labour",
            ["disabled_worker_exploitation"],
            {"child_labour": 0, "forced_labour": 1, "illegal_agency": 1},
        ),
        ("forced_labour", ["id_documents_withheld"], {"forced_labour": 1, "illegal_agency": 1}),
        ("forced_labour", ["child_labour"], {"forced_labour": 0, "child_labour": 1}),
        ("forced_labour", ["no_violation"], {"forced_labour": 0}),
        ("child_labour", ["deposits_or_fees"], {"child_labour": 0, "illegal_agency": 1}),
        ("illegal_marriage_broker", ["suspected_trafficking"], {"illegal_marriage_broker": 1}),
        (
            "illegal_marriage_broker",
            ["unlicensed_agency"],
            {"illegal_marriage_broker": 0, "illegal_agency": 1},
        ),
    ],
)
def test_labels_from_finding(risk: str, violations: list[str], labels: dict[str, int]) -> None:
    assert labels_from_finding(risk, violations) == labels


def test_safe_filename() -> None:
    assert safe_filename("C:\\Users\\x\\证据 1.jpg") == "证据_1.jpg"
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("...") == "file"
