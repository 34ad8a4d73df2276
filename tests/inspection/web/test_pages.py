"""Pages: template names and contexts for the queue, a task, the finding form, dashboard, market view."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from inspection.web.security.headers import RAW_CSP
from store.models import AuditEvent, Finding, FindingAttachment, InspectionTask, User


def actions(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(session.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars())


def task_row(engine: Engine, task_id: int) -> InspectionTask:
    with Session(engine) as session:
        task = session.get(InspectionTask, task_id)
        assert task is not None
        return task


def test_queue_shows_own_region_in_priority_order_with_overdue_flag(login_as, cases) -> None:
    low = cases.make(region="320505", priority=0.2)
    high = cases.make(region="320506", priority=0.9, overdue=True)
    nanjing = cases.make(region="320102")
    client, _ = login_as("inspector.sz")
    response = client.get("/")
    assert response.status_code == 200
    assert response.template.name == "queue.html"
    items = response.context["queue"].items
    assert [i.id for i in items] == [high.task_id, low.task_id]
    assert nanjing.task_id not in [i.id for i in items]
    assert items[0].overdue and 'class="badge overdue"' in response.text


def test_queue_filters_and_htmx_partial(login_as, cases) -> None:
    child = cases.make(risk_type="child_labour")
    agency = cases.make(risk_type="illegal_agency", body="收取押金的中介", title="中介收押金")
    client, _ = login_as("inspector.sz")
    response = client.get("/?risk_type=illegal_agency&region=&status=&q=")
    assert [i.id for i in response.context["queue"].items] == [agency.task_id]
    partial = client.get("/?q=童工", headers={"HX-Request": "true"})
    assert partial.template.name == "queue_rows.html"
    assert [i.id for i in partial.context["queue"].items] == [child.task_id]
    assert "<html" not in partial.text


def test_queue_refuses_a_region_outside_the_users_own(login_as, cases) -> None:
    client, _ = login_as("inspector.sz")
    assert client.get("/?region=320100").status_code == 404


def test_task_page_sanitises_and_highlights_evidence(login_as, cases, users: dict[str, User]) -> None:
    case = cases.make()
    client, _ = login_as("inspector.sz")
    response = client.get(f"/tasks/{case.task_id}")
    assert response.status_code == 200 and response.template.name == "task.html"
    html = str(response.context["evidence"][0]["html"])
    assert '<mark class="risk">童工</mark>' in html and '<mark class="risk">押金</mark>' in html
    assert (
        "<script" not in html and "<img" not in html and "javascript:" not in html.lower().replace(" ", "")
    ) or ("javascript:" in html and "<a" not in html)
    assert "<script>window" not in response.text and "onerror=" not in response.text.replace(
        "onerror=&#34;", ""
    )
    assert "《禁止使用童工规定》第二条" in response.text  # the reason's legal basis
    assert 'sandbox="" ' in response.text and f"/tasks/{case.task_id}/raw/{case.version_id}" in response.text
    assert response.context["detail"].organisation["licence_status"] == "missing"


RULE_BODY = "招聘14岁学徒<script>window.__pwned = 1</script>，押金500元，包吃住。"


def _rule_explanation(body: str) -> list[dict]:
    start = body.index("14岁")
    return [
        {"feature": "押金", "kind": "phrase", "value": 1.0, "weight": 0.4, "legal_basis": ""},
        {"feature": "minimum_age_under_16", "kind": "indicator", "value": 1.0, "weight": 3.0,
         "legal_basis": "禁止使用童工规定第二条"},
        {"feature": "rule_under_16_hire", "kind": "rule", "value": 1.0, "weight": 0.0,
         "meaning": "招用不满16周岁的未成年人", "legal_basis": "《禁止使用童工规定》第二条（不得招用不满16周岁）",
         "spans": [{"field": "body", "start": start, "end": start + 3, "text": "14岁"}]},
    ]  # fmt: skip


def test_task_page_marks_explained_spans_and_gives_reasons_in_chinese(login_as, cases) -> None:
    case = cases.make(risk_type="child_labour", body=RULE_BODY, explanation=_rule_explanation(RULE_BODY))
    client, token = login_as("inspector.sz")
    response = client.get(f"/tasks/{case.task_id}")
    item = response.context["evidence"][0]
    assert (
        str(item["html"])
        == '招聘<mark class="risk">14岁</mark>学徒，<mark class="risk">押金</mark>500元，包吃住。'
    )
    assert '<mark class="risk">14岁</mark>学徒' in response.text and "<script>window" not in response.text
    reasons = [(r["text"], r["rule"], r["legal_basis"]) for r in item["reasons"]]
    assert reasons == [
        ("招用不满16周岁的未成年人", True, "《禁止使用童工规定》第二条（不得招用不满16周岁）"),
        ("招用不满16周岁", False, "禁止使用童工规定第二条"),
        ("文本片段「押金」", False, ""),
    ]
    assert "必查规则" in response.text and "rule_under_16_hire" not in response.text.replace(
        'data-feature="rule_under_16_hire"', ""
    )
    client.post("/lang", data={"csrf_token": token, "lang": "en", "next": "/"})
    english = client.get(f"/tasks/{case.task_id}").context["evidence"][0]["reasons"]
    assert [r["text"] for r in english][1:] == ["Hires under-16s", "Text fragment “押金”"]


def test_phone_and_id_masked_for_unassigned_inspector_not_for_supervisor(login_as, cases, db: Engine) -> None:
    case = cases.make()
    inspector, _ = login_as("inspector.sz")
    masked = inspector.get(f"/tasks/{case.task_id}").text
    assert "13912345678" not in masked and "320102199001011232" not in masked
    assert "task.view_pii" not in actions(db)
    supervisor, _ = login_as("supervisor")
    shown = supervisor.get(f"/tasks/{case.task_id}").text
    assert "13912345678" in shown
    assert "task.view_pii" in actions(db)


def test_raw_snapshot_has_its_own_strict_csp_and_stays_within_the_task(login_as, cases) -> None:
    case = cases.make()
    other = cases.make()
    client, _ = login_as("supervisor")
    raw = client.get(f"/tasks/{case.task_id}/raw/{case.version_id}")
    assert raw.status_code == 200
    assert raw.headers["content-security-policy"] == RAW_CSP
    assert raw.headers["x-frame-options"] == "SAMEORIGIN"
    assert raw.headers["content-type"].startswith("text/html")
    assert client.get(f"/tasks/{case.task_id}/raw/{other.version_id}").status_code == 404


def test_claim_start_and_stale_transition_gives_409_with_both_sides(login_as, cases, db: Engine) -> None:
    case = cases.make()
    client, token = login_as("inspector.sz")
    me = client.get("/api/me").json()["id"]
    claim = {"csrf_token": token, "expected_version": "1", "assignee_id": str(me)}
    assert client.post(f"/tasks/{case.task_id}/assign", data=claim, follow_redirects=False).status_code == 303
    start = {"csrf_token": token, "expected_version": "2", "to_status": "in_progress", "note": "出发检查"}
    assert (
        client.post(f"/tasks/{case.task_id}/transition", data=start, follow_redirects=False).status_code
        == 303
    )
    assert task_row(db, case.task_id).status == "in_progress"
    stale = {**start, "to_status": "finding_recorded", "note": "我的备注不能丢"}
    response = client.post(f"/tasks/{case.task_id}/transition", data=stale)
    assert response.status_code == 409 and response.template.name == "conflict.html"
    assert response.context["submitted"]["note"] == "我的备注不能丢" and "我的备注不能丢" in response.text
    assert response.context["detail"].task.version == 3


def start_work(client, token: str, task_id: int) -> None:  # type: ignore[no-untyped-def]
    me = client.get("/api/me").json()["id"]
    client.post(
        f"/tasks/{task_id}/assign",
        data={"csrf_token": token, "expected_version": "1", "assignee_id": str(me)},
    )
    client.post(
        f"/tasks/{task_id}/transition",
        data={"csrf_token": token, "expected_version": "2", "to_status": "in_progress"},
    )


def finding_form(token: str, version: int, **extra: object) -> dict[str, object]:
    return {
        "csrf_token": token,
        "expected_version": str(version),
        "violations": ["child_labour", "deposits_or_fees"],
        "outcome": "fine",
        "notes": "现场发现两名15岁工人",
        "victim_name": ["张三", ""],
        "victim_age": ["15", ""],
        "victim_phone": ["13800001111", ""],
        **extra,
    }


def test_finding_form_records_finding_with_attachment(login_as, cases, db: Engine) -> None:
    case = cases.make()
    client, token = login_as("inspector.sz")
    start_work(client, token, case.task_id)
    form = client.get(f"/tasks/{case.task_id}/finding")
    assert form.template.name == "finding_form.html" and form.context["form"]["expected_version"] == 3
    files = [("attachments", ("现场.pdf", b"%PDF-1.4 evidence", "application/pdf"))]
    response = client.post(
        f"/tasks/{case.task_id}/finding", data=finding_form(token, 3), files=files, follow_redirects=False
    )
    assert response.status_code == 303, response.text[:300]
    assert task_row(db, case.task_id).status == "finding_recorded"
    with Session(db) as session:
        finding = session.execute(select(Finding)).scalar_one()
        assert finding.victims == [{"name": "张三", "age": 15, "phone": "13800001111"}]
        assert session.execute(select(FindingAttachment.filename)).scalar_one().endswith(".pdf")
    page = client.get(f"/tasks/{case.task_id}")
    assert "张三" in page.text  # the assignee sees victims' details
    attachment_id = page.context["detail"].findings[0].attachments[0]["id"]
    download = client.get(f"/tasks/{case.task_id}/attachments/{attachment_id}")
    assert download.content == b"%PDF-1.4 evidence"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "attachment.download" in actions(db)
    other = cases.make()
    assert client.get(f"/tasks/{other.task_id}/attachments/{attachment_id}").status_code == 404


def test_finding_stale_version_keeps_everything_typed(login_as, cases) -> None:
    case = cases.make()
    client, token = login_as("inspector.sz")
    start_work(client, token, case.task_id)
    response = client.post(
        f"/tasks/{case.task_id}/finding", data=finding_form(token, 1, notes="长长的检查记录")
    )
    assert response.status_code == 409 and response.context["conflict"] is True
    assert response.context["form"]["notes"] == "长长的检查记录" and "长长的检查记录" in response.text
    assert response.context["form"]["victim_rows"][0]["name"] == "张三"
    assert (
        response.context["form"]["expected_version"] == 3
        and response.context["form"]["submitted_version"] == 1
    )


def test_finding_refuses_bad_upload_type_and_invalid_values(login_as, cases) -> None:
    case = cases.make()
    client, token = login_as("inspector.sz")
    start_work(client, token, case.task_id)
    files = [("attachments", ("evil.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"))]
    response = client.post(f"/tasks/{case.task_id}/finding", data=finding_form(token, 3), files=files)
    assert response.status_code == 422 and "evil.pdf" in response.context["error"]
    bad = finding_form(token, 3, violations=["no_violation", "child_labour"])
    assert client.post(f"/tasks/{case.task_id}/finding", data=bad).status_code == 422


def test_victims_hidden_from_other_inspector_of_the_region(login_as, cases, users: dict[str, User]) -> None:
    case = cases.make()
    client, token = login_as("inspector.sz")
    start_work(client, token, case.task_id)
    client.post(f"/tasks/{case.task_id}/finding", data=finding_form(token, 3))
    analyst, _ = login_as("analyst")
    page = analyst.get(f"/tasks/{case.task_id}")
    assert "张三" not in page.text and "task.victims_hidden" not in page.text
    assert page.context["detail"].findings[0].victim_count == 1


def test_dashboard_for_supervisor_with_svg_chart(login_as, cases) -> None:
    cases.make(region="320505", overdue=True)
    cases.make(region="320102", status="closed")
    client, _ = login_as("supervisor")
    response = client.get("/dashboard")
    assert response.status_code == 200 and response.template.name == "dashboard.html"
    regions = {r.region_code: r for r in response.context["board"].regions}
    assert regions["320500"].overdue == 1 and regions["320100"].closed == 1
    assert "<svg" in response.text and "<script" not in response.text.split("</head>")[1]
    inspector, _ = login_as("inspector.sz")
    assert inspector.get("/dashboard").status_code == 404


def test_market_view_lists_flagged_organisations_in_region(login_as, cases) -> None:
    mine = cases.make(region="320505", risk_type="illegal_marriage_broker", agency="market_regulation")
    cases.make(region="320102", risk_type="illegal_marriage_broker", agency="market_regulation")
    cases.make(region="320506", licence_status="valid")
    client, _ = login_as("officer.sz")
    response = client.get("/market")
    assert response.template.name == "market.html"
    rows = response.context["organisations"]
    assert [r.id for r in rows] == [mine.organisation_id]
    assert rows[0].task_ids == [mine.task_id] and rows[0].max_risk == 0.91
    api = client.get("/api/organisations?flagged=1").json()
    assert [r["id"] for r in api] == [mine.organisation_id]
    everyone = client.get("/api/organisations?flagged=0").json()
    assert len(everyone) == 2 and {r["licence_status"] for r in everyone} == {"missing", "valid"}
    inspector, _ = login_as("inspector.sz")
    assert inspector.get("/market").status_code == 404


def test_csv_export_is_audited(login_as, cases, db: Engine) -> None:
    case = cases.make()
    client, _ = login_as("inspector.sz")
    response = client.get("/export/tasks.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.text.startswith("\ufeff编号,标题,风险类型") and f"\r\n{case.task_id}," in response.text
    assert "使用童工" in response.text and "期限（北京时间）" in response.text
    assert "tasks.export" in actions(db)


def test_english_ui(login_as, cases) -> None:
    cases.make()
    client, token = login_as("inspector.sz")
    client.post("/lang", data={"csrf_token": token, "lang": "en", "next": "/"})
    response = client.get("/")
    assert (
        response.context["lang"] == "en" and "Task queue" in response.text and "Child labour" in response.text
    )


def test_tip_form_opens_a_task_and_keeps_input_on_error(login_as, users) -> None:  # type: ignore[no-untyped-def]
    client, token = login_as("supervisor.sz")
    form = client.get("/tips/new")
    assert form.template.name == "tip_form.html" and form.context["form"]["region_code"] == "320500"
    data = {
        "csrf_token": token,
        "risk_type": "child_labour",
        "region_code": "320505",
        "title": "12333举报：工地有未成年人",
        "tip_source": "12333热线",
        "tip_text": "来电人称工地有14岁少年",
    }
    created = client.post("/tips", data=data, follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"].startswith("/tasks/")
    assert client.get(created.headers["location"]).context["task"].origin == "tip"
    outside = client.post("/tips", data={**data, "region_code": "320102"})
    assert outside.status_code == 404  # another city's region: refused like any object outside the remit
    bad = client.post("/tips", data={**data, "region_code": "999999"})
    assert bad.status_code == 422 and bad.context["form"]["tip_text"] == "来电人称工地有14岁少年"


def test_mine_only_filter(login_as, cases) -> None:  # type: ignore[no-untyped-def]
    mine = cases.make()
    cases.make()
    client, token = login_as("inspector.sz")
    me = client.get("/api/me").json()["id"]
    client.post(
        f"/tasks/{mine.task_id}/assign",
        data={"csrf_token": token, "expected_version": "1", "assignee_id": str(me)},
    )
    assert [i.id for i in client.get("/?mine=true").context["queue"].items] == [mine.task_id]
    assert [i["id"] for i in client.get("/api/tasks?mine=true").json()["items"]] == [mine.task_id]
    assert client.get("/").context["queue"].total == 2


def test_market_listings_fragment_is_region_checked(login_as, cases) -> None:  # type: ignore[no-untyped-def]
    mine = cases.make(region="320505", agency="market_regulation", risk_type="illegal_marriage_broker")
    nanjing = cases.make(region="320102", agency="market_regulation", risk_type="illegal_marriage_broker")
    client, _ = login_as("officer.sz")
    fragment = client.get(f"/market/organisations/{mine.organisation_id}/listings")
    assert fragment.template.name == "market_listings.html" and "<html" not in fragment.text
    assert [(row.id, row.max_risk) for row in fragment.context["listings"]] == [(mine.listing_id, 0.91)]
    assert "<b>" not in fragment.text and "&lt;b&gt;" in fragment.text  # the hostile title stays text
    assert client.get(f"/market/organisations/{nanjing.organisation_id}/listings").status_code == 404
