"""Task generation from scores: thresholds, one open task per organisation, routing, audits, capacity."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlmodel import Session, col

from inspection.tasks.generate import tasks_generate, tasks_release_backlog
from inspection.tasks.routing import audit_draw, priority_band
from store.models import AuditEvent, InspectionTask, Listing, ModelVersion, RiskScore, TaskEvidence, User
from tests.rows import (
    NOW,
    champion,
    listing,
    next_serial,
    organisation,
    rule_entry,
    score,
    settings,
    source,
)


def _tasks(session: Session) -> list[InspectionTask]:
    return list(session.execute(select(InspectionTask).order_by(InspectionTask.id)).scalars())


def test_threshold_per_risk_type_and_idempotence(session: Session) -> None:
    model, src = champion(session), source(session)
    a, b, c = (listing(session, src) for _ in range(3))
    score(session, model, a, "illegal_agency", 0.9)
    score(session, model, b, "illegal_agency", 0.4)  # below 0.5
    score(session, model, c, "child_labour", 0.35)  # above the child-labour threshold 0.3
    first = tasks_generate(session, settings=settings(), now=NOW)
    assert (first.created, first.created_audit, first.model_version_id) == (2, 0, model.id)
    assert {(t.listing_id, t.risk_type) for t in _tasks(session)} == {
        (a.id, "illegal_agency"),
        (c.id, "child_labour"),
    }
    second = tasks_generate(session, settings=settings(), now=NOW)
    assert (second.created, second.created_audit, second.attached) == (0, 0, 0)
    assert len(_tasks(session)) == 2
    t = next(t for t in _tasks(session) if t.risk_type == "illegal_agency")
    assert t.model_version_id == model.id and t.score == 0.9 and t.origin == "model"


def test_thresholds_are_settings(session: Session) -> None:
    model, src = champion(session), source(session)
    score(session, model, listing(session, src), "illegal_agency", 0.4)
    assert (
        tasks_generate(session, settings=settings(task_threshold_illegal_agency=0.35), now=NOW).created == 1
    )


def test_no_champion_means_nothing(session: Session) -> None:
    report = tasks_generate(session, settings=settings(), now=NOW)
    assert report.model_version_id is None and report.created == 0


def test_one_open_task_per_organisation_and_new_listings_attach(session: Session) -> None:
    model, src = champion(session), source(session)
    org = organisation(session, "苏州某某人力资源有限公司")
    first, second = listing(session, src, org=org), listing(session, src, org=org)
    score(session, model, first, "illegal_agency", 0.7)
    score(session, model, second, "illegal_agency", 0.95)
    report = tasks_generate(session, settings=settings(), now=NOW)
    (task,) = _tasks(session)
    assert report.created == 1 and task.organisation_id == org.id
    assert task.listing_id == second.id and task.score == 0.95  # the riskiest listing leads
    third = listing(session, src, org=org)
    score(session, model, third, "illegal_agency", 0.99)
    again = tasks_generate(session, settings=settings(), now=NOW)
    assert (again.created, again.attached) == (0, 1)
    session.refresh(task)
    evidence = session.execute(
        select(TaskEvidence.listing_id).where(TaskEvidence.task_id == task.id)
    ).scalars()
    assert set(evidence) == {first.id, second.id, third.id}
    assert task.version == 2 and task.score == 0.99  # attaching raised its priority


def test_listings_without_organisation_group_by_themselves(session: Session) -> None:
    model, src = champion(session), source(session)
    for _ in range(3):
        score(session, model, listing(session, src), "illegal_agency", 0.8)
    assert tasks_generate(session, settings=settings(), now=NOW).created == 3


def test_routing_by_risk_type_and_region(session: Session) -> None:
    model = champion(session)
    job, marriage = source(session, "job"), source(session, "marriage")
    county = listing(session, job, city="320500", county="320506")
    city = listing(session, job, city="320100")
    nowhere = listing(session, job, city=None)
    broker = listing(session, marriage, city="320200", county="320214")
    score(session, model, county, "child_labour", 0.9)
    score(session, model, city, "illegal_agency", 0.9)
    score(session, model, nowhere, "illegal_agency", 0.9)
    score(session, model, broker, "illegal_marriage_broker", 0.9)
    tasks_generate(session, settings=settings(), now=NOW)
    routed = {t.listing_id: (t.agency, t.region_code) for t in _tasks(session)}
    assert routed == {
        county.id: ("labour_inspection", "320506"),
        city.id: ("labour_inspection", "320100"),
        nowhere.id: ("labour_inspection", "320000"),
        broker.id: ("market_regulation", "320214"),
    }


def test_priority_child_labour_first_and_due_dates_by_band(session: Session) -> None:
    model, src = champion(session), source(session)
    child, agency = listing(session, src), listing(session, src)
    score(session, model, child, "child_labour", 0.8)
    score(session, model, agency, "illegal_agency", 0.8)
    tasks_generate(session, settings=settings(task_due_days_p1=5, task_due_days_p2=11), now=NOW)
    by_risk = {t.risk_type: t for t in _tasks(session)}
    assert by_risk["child_labour"].priority > by_risk["illegal_agency"].priority
    for t in by_risk.values():
        days = {1: 5, 2: 11, 3: 30}[priority_band(t.priority)]
        assert (t.due_at - NOW).days == days  # type: ignore[operator]


def _many_below_threshold(session: Session, model: ModelVersion, city: str, n: int) -> list[int]:
    """N listings in CITY scored 0.1 for illegal_agency, inserted in bulk (ORM objects one by one are slow)."""
    src = source(session)
    first = next_serial(n)
    rows: list[dict[str, Any]] = [
        {
            "source_id": src.id,
            "key": f"bulk{city}-{first + i}",
            "url": f"http://127.0.0.1/bulk/{city}/{first + i}",
            "kind": "job",
            "title": f"招聘普工{i}",
            "body": "工厂招聘普工，包吃住。",
            "contacts": {},
            "province_code": "320000",
            "city_code": city,
            "content_hash": f"{city}{first + i:058d}",
            "search_bigrams": "",
            "first_seen": NOW,
            "last_seen": NOW,
        }
        for i in range(n)
    ]
    session.execute(insert(Listing), rows)
    ids = list(session.execute(select(col(Listing.id)).where(col(Listing.source_id) == src.id)).scalars())
    scores = [
        {
            "listing_id": lid,
            "model_version_id": model.id,
            "risk_type": "illegal_agency",
            "probability": 0.1,
            "content_hash": "-",
            "explanation": [],
            "scored_at": NOW,
        }
        for lid in ids
    ]
    session.execute(insert(RiskScore), scores)
    session.flush()
    return ids


def test_audit_slice_is_a_share_of_the_team_capacity_not_of_all_listings(session: Session) -> None:
    model = champion(session)
    ids = _many_below_threshold(session, model, "320500", 10_000)
    config = settings(task_team_capacity=150, task_audit_capacity_share=0.05)
    report = tasks_generate(session, settings=config, now=NOW, rng_seed=7)
    audit = [t for t in _tasks(session) if t.origin == "audit"]
    assert report.created_audit == len(audit) == math.ceil(0.05 * 150) == 8  # 7.5, rounded up
    assert all(t.organisation_id is None and t.region_code == "320500" for t in audit)
    assert all(t.title.startswith("随机抽查") for t in audit)
    # drawn at random with the seed: the 8 smallest draws among the team's 10,000 candidates
    by_draw = sorted(ids, key=lambda lid: audit_draw(7, model.id or 0, lid, "illegal_agency"))
    assert {t.listing_id for t in audit} == set(by_draw[:8])
    events = (
        session.execute(select(AuditEvent).where(col(AuditEvent.action) == "task.create")).scalars().all()
    )
    assert {e.details["draw"]["seed"] for e in events} == {7}  # the seed is recorded with each audit task
    # the slice is full: a second run draws nothing until inspectors close some
    assert tasks_generate(session, settings=config, now=NOW, rng_seed=7).created_audit == 0
    for task in audit[:3]:
        task.status = "closed"
    session.flush()
    again = tasks_generate(session, settings=config, now=NOW, rng_seed=7)
    assert again.created_audit == 3
    assert {t.listing_id for t in _tasks(session) if t.origin == "audit"} == set(by_draw[:11])


def test_each_team_draws_its_own_audit_slice_reproducibly(session: Session) -> None:
    model = champion(session)
    suzhou = _many_below_threshold(session, model, "320500", 300)
    nanjing = _many_below_threshold(session, model, "320100", 300)
    overrides = {"320500:labour_inspection": 100, "320100": 40}
    config = settings(task_team_capacity_overrides=overrides, task_audit_capacity_share=0.05)
    drawn = []
    for seed in (11, 11, 12):  # the same seed and candidates draw the same listings; another seed does not
        savepoint = session.begin_nested()
        tasks_generate(session, settings=config, now=NOW, rng_seed=seed)
        drawn.append({(t.region_code, t.listing_id) for t in _tasks(session) if t.origin == "audit"})
        savepoint.rollback()
    assert drawn[0] == drawn[1] != drawn[2]
    assert Counter(region for region, _ in drawn[0]) == {"320500": 5, "320100": 2}
    assert {lid for region, lid in drawn[0] if region == "320500"} <= set(suzhou)
    assert {lid for region, lid in drawn[0] if region == "320100"} <= set(nanjing)


def test_audit_draw_depends_on_the_seed() -> None:
    draws = [audit_draw(seed, 1, 42, "child_labour") for seed in (1, 2, 1)]
    assert draws[0] == draws[2] != draws[1]
    assert all(0 <= d < 1 for d in draws)


def test_capacity_sends_the_rest_to_backlog_in_priority_order(
    session: Session, users: dict[str, User]
) -> None:
    model, src = champion(session), source(session)
    probabilities = [0.55, 0.95, 0.75, 0.65, 0.85]
    for p in probabilities:
        score(session, model, listing(session, src, city="320500"), "illegal_agency", p)
    report = tasks_generate(session, settings=settings(task_team_capacity=2), now=NOW)
    assert report.backlog == 3
    by_status = {s: sorted(t.score for t in _tasks(session) if t.status == s) for s in ("new", "backlog")}
    assert by_status == {"new": [0.85, 0.95], "backlog": [0.55, 0.65, 0.75]}
    # Capacity frees: one task is worked to the end; the best backlog task moves up, the rest waits.
    top = max(_tasks(session), key=lambda t: t.score or 0)
    top.status = "closed"
    session.flush()
    assert tasks_release_backlog(session, settings=settings(task_team_capacity=2), now=NOW) == 1
    assert sorted(t.score for t in _tasks(session) if t.status == "backlog") == [0.55, 0.65]
    assert tasks_release_backlog(session, settings=settings(task_team_capacity=2), now=NOW) == 0


def test_capacity_overrides_per_team(session: Session) -> None:
    model, src = champion(session), source(session)
    for _ in range(3):
        score(session, model, listing(session, src, city="320500"), "illegal_agency", 0.9)
        score(session, model, listing(session, src, city="320100"), "illegal_agency", 0.9)
    overrides = {"320500:labour_inspection": 1}
    tasks_generate(
        session, settings=settings(task_team_capacity=5, task_team_capacity_overrides=overrides), now=NOW
    )
    backlog = [t.region_code for t in _tasks(session) if t.status == "backlog"]
    assert backlog == ["320500", "320500"]


def test_active_learning_share_goes_to_the_least_sure_listings(session: Session) -> None:
    model, src = champion(session), source(session)
    model.thresholds = {"illegal_agency": 0.5}
    for i in range(20):
        item = listing(
            session, src, title=f"高薪招聘{i}号", body=f"第{i}家工厂招聘普工，月薪{3000 + 97 * i}元，包吃住。"
        )
        score(session, model, item, "illegal_agency", 0.9)
    near, far = [], []
    for i, probability in enumerate([0.45, 0.44, 0.05, 0.02, 0.43, 0.01]):
        item = listing(
            session,
            src,
            title=f"普通岗位{i}",
            body=f"商场{i}楼招聘导购员{i}名，底薪{2500 + 111 * i}元加提成。",
        )
        score(session, model, item, "illegal_agency", probability)
        (near if probability > 0.4 else far).append(item.id)
    config = settings(task_team_capacity=40, task_active_capacity_share=0.05)  # 2 places
    report = tasks_generate(session, settings=config, now=NOW)
    active = [t for t in _tasks(session) if t.origin == "active_learning"]
    assert report.created == 20 and report.created_active == 2 == len(active)
    assert {t.listing_id for t in active} <= set(near[:2]) | {near[2]}
    assert all(t.title.startswith("主动学习") and t.model_version_id == model.id for t in active)
    again = tasks_generate(session, settings=config, now=NOW)
    assert again.created == 0 and again.created_active == 0


def test_a_must_inspect_rule_opens_a_task_below_threshold(session: Session) -> None:
    model, src = champion(session), source(session)
    org = organisation(session, "昆山某电子厂")
    hire = listing(session, src, org=org, body="招聘14岁以上学徒，包吃住。")
    plain = listing(session, src, body="招聘普工，包吃住。")
    score(session, model, hire, "child_labour", 0.05, [rule_entry(hire, "14岁以上")])
    score(session, model, plain, "child_labour", 0.05)
    report = tasks_generate(session, settings=settings(), now=NOW)
    (task,) = _tasks(session)
    assert (report.created, report.created_rule) == (0, 1)
    assert (task.origin, task.listing_id, task.organisation_id, task.score) == ("rule", hire.id, org.id, 0.05)
    assert task.title == "必查 使用童工：昆山某电子厂（招用不满16周岁的未成年人）"
    assert priority_band(task.priority) == 1 and task.agency == "labour_inspection"
    again = tasks_generate(session, settings=settings(), now=NOW)
    assert (again.created_rule, len(_tasks(session))) == (0, 1)


def test_a_rule_listing_of_an_organisation_with_an_open_task_attaches(session: Session) -> None:
    model, src = champion(session), source(session)
    org = organisation(session, "某劳务派遣队")
    first = listing(session, src, org=org)
    score(session, model, first, "forced_labour", 0.5)
    tasks_generate(session, settings=settings(), now=NOW)
    (task,) = _tasks(session)
    before = task.priority
    kept = listing(session, src, org=org, body="入职须交身份证由公司保管。")
    entry = rule_entry(
        kept, "交身份证由公司保管", feature="rule_documents_kept", meaning="扣押劳动者身份证件"
    )
    score(session, model, kept, "forced_labour", 0.02, [entry])
    report = tasks_generate(session, settings=settings(), now=NOW)
    assert (report.created_rule, report.attached) == (0, 1) and len(_tasks(session)) == 1
    session.refresh(task)
    assert task.origin == "model" and task.priority > before and priority_band(task.priority) == 1
    evidence = session.execute(select(TaskEvidence.listing_id).where(TaskEvidence.task_id == task.id))
    assert set(evidence.scalars()) == {first.id, kept.id}


def test_a_rule_only_counts_for_its_own_risk_type(session: Session) -> None:
    model, src = champion(session), source(session)
    item = listing(session, src, body="招聘14岁以上学徒。")
    score(session, model, item, "child_labour", 0.01, [rule_entry(item, "14岁以上")])
    score(session, model, item, "illegal_agency", 0.01)
    tasks_generate(session, settings=settings(), now=NOW)
    assert [(t.risk_type, t.origin) for t in _tasks(session)] == [("child_labour", "rule")]


def test_attaching_to_a_task_changed_meanwhile_fails_whole(session: Session, monkeypatch: Any) -> None:
    import inspection.tasks.generate as generate
    from inspection.tasks.workflow import StaleTaskError

    model, src = champion(session), source(session)
    org = organisation(session, "无锡某某劳务派遣有限公司")
    score(session, model, listing(session, src, org=org), "illegal_agency", 0.8)
    tasks_generate(session, settings=settings(), now=NOW)
    (task,) = _tasks(session)
    session.commit()
    score(session, model, listing(session, src, org=org), "illegal_agency", 0.9)
    read = generate._open_org_tasks

    def read_then_someone_edits(s: Session) -> dict[tuple[int, str], InspectionTask]:
        found = read(s)
        s.connection().execute(
            InspectionTask.__table__.update()
            .where(InspectionTask.__table__.c.id == task.id)
            .values(version=5)
        )
        return found

    monkeypatch.setattr(generate, "_open_org_tasks", read_then_someone_edits)
    events = session.execute(select(AuditEvent.id)).all()
    with pytest.raises(StaleTaskError) as raised:
        tasks_generate(session, settings=settings(), now=NOW)
    session.rollback()
    assert raised.value.task_id == task.id
    evidence = session.execute(select(TaskEvidence.listing_id).where(TaskEvidence.task_id == task.id)).all()
    assert len(evidence) == 1 and session.execute(select(AuditEvent.id)).all() == events


def test_thousands_of_tasks_in_one_run_are_each_audited_indexed_and_evidenced(session: Session) -> None:
    from store.audit import audit_verify
    from store.models import TaskSearchTerm

    model, src = champion(session), source(session)
    for i in range(2500):
        item = listing(session, src, title=f"招聘{i}号普工")
        score(session, model, item, "illegal_agency", 0.6 + (i % 300) / 1000)
    report = tasks_generate(session, settings=settings(task_team_capacity=100_000), now=NOW)
    assert report.created == 2500 and len(set(report.task_ids)) == 2500
    created = session.execute(
        select(AuditEvent.object_id).where(AuditEvent.action == "task.create")
    ).scalars()
    assert sorted(int(i) for i in created) == sorted(report.task_ids)
    evidence = session.execute(select(TaskEvidence.task_id, TaskEvidence.listing_id)).all()
    tasks = {t.id: t.listing_id for t in _tasks(session)}
    assert sorted(evidence) == sorted(tasks.items())
    hits = session.execute(select(TaskSearchTerm.task_id).where(TaskSearchTerm.term == "普工")).scalars()
    assert set(hits) == set(tasks)
    assert audit_verify(session).ok
