"""Read side: queue order and filters, Chinese search, task detail, dashboard, CSV export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlmodel import Session

from inspection.tasks.actions import task_assign
from inspection.tasks.changes import add_evidence
from inspection.tasks.generate import tasks_generate
from inspection.views.case_file import task_detail
from inspection.views.dashboard import dashboard
from inspection.views.export import export_tasks_csv
from inspection.views.queries import queue_for_user
from inspection.views.queue_filter import QueueFilter
from store.models import Finding, User
from tests.rows import NOW, champion, listing, organisation, score, settings, source, task


def test_queue_in_priority_order_with_pages(session: Session, users: dict[str, User]) -> None:
    for p in (0.2, 0.9, 0.5, 0.7):
        task(session, priority=p)
    page = queue_for_user(session, user=users["sup_sz"], per_page=3, now=NOW)
    assert [i.priority for i in page.items] == [0.9, 0.7, 0.5] and (page.total, page.pages) == (4, 2)
    second = queue_for_user(session, user=users["sup_sz"], per_page=3, page=2, now=NOW)
    assert [i.priority for i in second.items] == [0.2]


def test_queue_filters(session: Session, users: dict[str, User]) -> None:
    overdue = task(session, due_at=NOW - timedelta(days=1), risk_type="child_labour")
    task(session, due_at=NOW - timedelta(days=1), status="finding_recorded")  # work done: not overdue
    task(session, due_at=NOW + timedelta(days=1))
    closed = task(session, status="closed")
    task(session, region="320100")
    sup = users["sup_prov"]
    assert [
        i.id for i in queue_for_user(session, user=sup, filters=QueueFilter(overdue_only=True), now=NOW).items
    ] == [overdue.id]
    assert queue_for_user(session, user=sup, filters=QueueFilter(overdue_only=True), now=NOW).items[0].overdue
    assert closed.id not in {
        i.id for i in queue_for_user(session, user=sup, filters=QueueFilter(status="open"), now=NOW).items
    }
    assert [
        i.id for i in queue_for_user(session, user=sup, filters=QueueFilter(status="closed"), now=NOW).items
    ] == [closed.id]
    assert [
        i.id
        for i in queue_for_user(
            session, user=sup, filters=QueueFilter(risk_type="child_labour"), now=NOW
        ).items
    ] == [overdue.id]
    assert queue_for_user(session, user=sup, filters=QueueFilter(region="320100"), now=NOW).total == 1
    assert queue_for_user(session, user=sup, filters=QueueFilter(region="320500"), now=NOW).total == 4


def test_search_finds_two_character_words(session: Session, users: dict[str, User]) -> None:
    src = source(session)
    child = listing(session, src, title="电子厂招工", body="长期招童工，十四五岁也可以，包吃住")
    agency = listing(session, src, title="劳务派遣", body="正规中介，先交押金三百元")
    plain = listing(session, src, title="招聘普工", body="工厂招聘普工，年满十八岁")
    for item in (child, agency, plain):
        t = task(session, listing_id=item.id)
        add_evidence(session, [(t.id or 0, item.id or 0, 0.5)])
        item.title = str(t.id)  # remember which task holds which listing
    by_task = {int(i.title): i for i in (child, agency, plain)}
    sup = users["sup_sz"]

    def found(q: str) -> set[int]:
        return {
            by_task[i.id].id or 0
            for i in queue_for_user(session, user=sup, filters=QueueFilter(q=q), now=NOW).items
        }

    assert found("童工") == {child.id}
    assert found("中介") == {agency.id}
    assert found("押金 中介") == {agency.id}
    assert found("童工 押金") == set()  # every term must match
    assert found("招聘") == {plain.id}
    assert found("童") == set()  # a single character is no bigram: only literal title/tip matches count


def test_search_matches_tip_text_without_listing(session: Session, users: dict[str, User]) -> None:
    t = task(session, tip_text="家长举报：孩子被带去黑作坊打工")
    assert [
        i.id
        for i in queue_for_user(session, user=users["sup_sz"], filters=QueueFilter(q="黑作坊"), now=NOW).items
    ] == [t.id]


def test_task_detail_gathers_the_case(session: Session, users: dict[str, User]) -> None:
    model, src = champion(session), source(session)
    org = organisation(session, "吴中某劳务公司", licence_status="missing")
    risky, other = listing(session, src, org=org), listing(session, src, org=org)
    score(session, model, risky, "illegal_agency", 0.9)
    report = tasks_generate(session, settings=settings(), now=NOW)
    (task_id,) = report.task_ids
    task_assign(
        session,
        task_id=task_id,
        expected_version=1,
        actor=users["sup_sz"],
        assignee_id=users["insp_sz"].id or 0,
    )
    detail = task_detail(session, user=users["sup_sz"], task_id=task_id, now=NOW)
    assert detail.organisation is not None and detail.organisation["licence_status"] == "missing"
    assert detail.task.title.endswith("（无证）")
    assert [e.listing_id for e in detail.evidence] == [risky.id]
    assert detail.evidence[0].version_no == 1 and len(detail.evidence[0].versions) == 1
    assert detail.evidence[0].scores[0]["probability"] == 0.9 and detail.evidence[0].scores[0]["explanation"]
    assert [o["id"] for o in detail.other_listings] == [other.id]
    assert [h["action"] for h in detail.history] == ["task.create", "task.assign"]
    assert "closed" not in detail.allowed_actions and "escalated" in detail.allowed_actions


def test_dashboard_counts_and_trends(session: Session, users: dict[str, User]) -> None:
    for made in (
        task(session, region="320505", due_at=NOW - timedelta(days=2)),
        task(session, region="320505", status="escalated"),
    ):
        made.created_at = NOW
    done = task(session, region="320100", status="closed", assignee=users["insp_nj"])
    done.created_at = done.updated_at = NOW - timedelta(days=8)
    session.add(Finding(task_id=done.id or 0, inspector_id=users["insp_nj"].id or 0, violations=["child_labour"],
                        outcome="fine", created_at=NOW - timedelta(days=1)))  # fmt: skip
    session.flush()
    province = dashboard(session, user=users["sup_prov"], now=NOW, weeks=4)
    rows = {r.region_code: r for r in province.regions}
    assert (rows["320500"].open, rows["320500"].overdue, rows["320500"].escalated) == (2, 1, 1)
    assert (rows["320100"].closed, rows["320100"].violations_found) == (1, 1)
    assert len(province.weeks) == 4 and sum(province.created_per_week) == 3
    # NOW is a Monday: the closed task falls in the week before last, the finding in last week.
    assert province.created_per_week == [0, 1, 0, 2] and province.closed_per_week == [0, 1, 0, 0]
    assert province.violations_per_week == [0, 0, 1, 0]
    city = dashboard(session, user=users["sup_sz"], now=NOW)
    assert [r.region_code for r in city.regions] == ["320505"]  # counties for a city supervisor


def test_csv_export_is_masked_and_safe(session: Session, users: dict[str, User]) -> None:
    t = task(session)
    t.title = '=HYPERLINK("x") 联系13812345678'
    session.flush()
    text = export_tasks_csv(session, user=users["analyst"], now=NOW)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["id", "title", "risk_type"] and len(rows) == 2
    assert rows[1][1].startswith("'=") and "13812345678" not in rows[1][1]
    assert "13812345678" in export_tasks_csv(session, user=users["sup_sz"], now=NOW)
