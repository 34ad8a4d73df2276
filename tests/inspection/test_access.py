"""Who sees which task (role × region × agency), and who sees personal data."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import Session

from inspection.access import (
    AccessDenied,
    NotFound,
    can_see_pii,
    can_see_region,
    ensure_task_visible,
    mask_for,
)
from inspection.tasks.actions import task_transition
from inspection.views.case_file import task_detail
from inspection.views.queries import queue_for_user
from inspection.views.queue_filter import QueueFilter
from store.models import AuditEvent, Finding, User
from tests.rows import listing, source, task

# (task region, agency) → the accounts that may see it; everyone else in STAFF must be refused.
MATRIX = {
    ("320100", "labour_inspection"): {"insp_nj", "analyst", "sup_prov", "admin"},
    ("320100", "market_regulation"): {"off_nj", "analyst", "sup_prov", "admin"},
    ("320506", "labour_inspection"): {
        "insp_sz",
        "insp_sz2",
        "insp_wz",
        "analyst",
        "sup_prov",
        "sup_sz",
        "admin",
    },
    ("320505", "labour_inspection"): {"insp_sz", "insp_sz2", "analyst", "sup_prov", "sup_sz", "admin"},
    ("320500", "market_regulation"): {"off_sz", "analyst", "sup_prov", "sup_sz", "admin"},
}
PHONE, ID_NUMBER = "13812345678", "320102199001011232"  # a valid ID (check digit as zhtext.pii computes it)


def test_region_containment(users: dict[str, User]) -> None:
    sz = users["insp_sz"]
    assert can_see_region(sz, "320500") and can_see_region(sz, "320505") and can_see_region(sz, "320571")
    assert not can_see_region(sz, "320100") and not can_see_region(sz, "320000")
    assert can_see_region(users["sup_prov"], "320100") and can_see_region(users["sup_prov"], "321302")
    assert not can_see_region(users["sup_prov"], "110000")  # Jiangsu only


@pytest.mark.parametrize(("region", "agency"), sorted(MATRIX))
def test_access_matrix(session: Session, users: dict[str, User], region: str, agency: str) -> None:
    risk = "illegal_agency" if agency == "labour_inspection" else "illegal_marriage_broker"
    t = task(session, region=region, agency=agency, risk_type=risk)
    session.commit()
    for name, user in users.items():
        allowed = name in MATRIX[(region, agency)]
        listed = {i.id for i in queue_for_user(session, user=user).items}
        assert (t.id in listed) == allowed, name
        if allowed:
            assert task_detail(session, user=user, task_id=t.id or 0).task.id == t.id
        else:
            with pytest.raises(AccessDenied):
                task_detail(session, user=user, task_id=t.id or 0)


def test_missing_task_is_not_found(session: Session, users: dict[str, User]) -> None:
    with pytest.raises(NotFound):
        task_detail(session, user=users["admin"], task_id=999_999)
    with pytest.raises(NotFound):
        ensure_task_visible(users["admin"], None)


def test_analysts_only_read(session: Session, users: dict[str, User]) -> None:
    t = task(session, region="320500")
    with pytest.raises(AccessDenied, match="only read"):
        task_transition(
            session, task_id=t.id or 0, expected_version=1, actor=users["analyst"], to_status="escalated"
        )


def test_queue_region_filter_outside_remit_is_refused(session: Session, users: dict[str, User]) -> None:
    with pytest.raises(AccessDenied):
        queue_for_user(session, user=users["insp_sz"], filters=QueueFilter(region="320100"))


def _pii_task(session: Session, users: dict[str, User]):  # type: ignore[no-untyped-def]
    item = listing(
        session,
        source(session),
        body=f"急招普工，联系电话{PHONE}，身份证{ID_NUMBER}",
        contacts={"phones": [PHONE], "wechat": ["zhaogong888"]},
    )
    t = task(
        session,
        status="finding_recorded",
        assignee=users["insp_sz"],
        listing_id=item.id,
        tip_text=f"举报人电话{PHONE}",
    )
    from inspection.tasks.changes import add_evidence

    add_evidence(session, [(t.id or 0, item.id or 0, 0.9)])
    session.add(
        Finding(
            task_id=t.id or 0,
            inspector_id=users["insp_sz"].id or 0,
            violations=["child_labour"],
            outcome="fine",
            notes=f"受害人电话{PHONE}",
            victims=[{"name": "张某", "age": 14, "phone": PHONE}],
        )
    )
    session.commit()
    return t


def test_pii_rules(session: Session, users: dict[str, User]) -> None:
    t = _pii_task(session, users)
    assert (
        can_see_pii(users["insp_sz"], t)
        and can_see_pii(users["sup_sz"], t)
        and can_see_pii(users["admin"], t)
    )
    assert not can_see_pii(users["insp_sz2"], t)  # same team, not the assignee
    assert not can_see_pii(users["analyst"], t)
    assert not can_see_pii(users["sup_prov"].model_copy(update={"region_code": "320100"}), t)
    assert mask_for(users["analyst"], t, f"电话{PHONE}") == "电话138****5678"
    assert mask_for(users["insp_sz"], t, f"电话{PHONE}") == f"电话{PHONE}"


@pytest.mark.parametrize("viewer", ["analyst", "insp_sz2"])
def test_task_detail_masks_for_roles_without_need(
    session: Session, users: dict[str, User], viewer: str
) -> None:
    t = _pii_task(session, users)
    detail = task_detail(session, user=users[viewer], task_id=t.id or 0)
    text = repr([detail.evidence, detail.tip_text, detail.findings, detail.history])
    assert PHONE not in text and ID_NUMBER not in text and "zhaogong888" not in text
    assert "138****5678" in detail.evidence[0].body
    assert detail.findings[0].victims == [] and detail.findings[0].victim_count == 1
    assert not detail.can_see_pii


def test_task_detail_shows_and_audits_for_the_assignee(session: Session, users: dict[str, User]) -> None:
    t = _pii_task(session, users)
    detail = task_detail(session, user=users["insp_sz"], task_id=t.id or 0)
    assert PHONE in detail.evidence[0].body and PHONE in detail.tip_text
    assert detail.findings[0].victims[0]["name"] == "张某"
    session.commit()
    views = session.execute(select(AuditEvent).where(AuditEvent.action == "task.view_pii")).scalars().all()
    assert [(v.actor, v.object_id) for v in views] == [("insp_sz", str(t.id))]
