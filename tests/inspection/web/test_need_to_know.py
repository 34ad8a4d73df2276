"""Need-to-know: analysts and market officers walk every route the app has and never see a phone or ID."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.routing import Route

from tests.inspection.web.test_pages import finding_form, start_work

PHONE = "13912345678"
ID_NUMBER = "320102199001011232"
# Any 11-digit mobile or 18-digit ID number standing alone (masked forms replace digits with *).
UNMASKED = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")
PII_TEXT = f"联系电话{PHONE}，身份证{ID_NUMBER}"


def _seed(login_as, cases) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Real rows with personal data everywhere a route can show it; the path parameters to fill."""
    labour = cases.make(title=f"举报童工 {PHONE}")
    market = cases.make(agency="market_regulation", risk_type="illegal_agency", title=f"黑中介 {PHONE}")
    inspector, token = login_as("inspector.sz")
    start_work(inspector, token, labour.task_id)
    files = [("attachments", ("名单.txt", f"受害人 张三 {PHONE} {ID_NUMBER}".encode(), "text/plain"))]
    form = finding_form(token, 3, notes=PII_TEXT, victim_id_number=[ID_NUMBER, ""])
    recorded = inspector.post(
        f"/tasks/{labour.task_id}/finding", data=form, files=files, follow_redirects=False
    )
    assert recorded.status_code == 303, recorded.text[:300]
    supervisor, stoken = login_as("supervisor.sz")
    note = {"csrf_token": stoken, "expected_version": "1", "to_status": "escalated", "note": PII_TEXT}
    assert supervisor.post(f"/tasks/{market.task_id}/transition", data=note).status_code < 400
    tip = {"risk_type": "illegal_agency", "region_code": "320505", "title": f"举报 {PHONE}"}
    tip |= {"tip_source": f"来电 {PHONE}", "tip_text": PII_TEXT}
    assert supervisor.post("/api/tips", json=tip, headers={"X-CSRF-Token": stoken}).status_code == 201
    page = supervisor.get(f"/tasks/{labour.task_id}")
    attachment_id = page.context["detail"].findings[0].attachments[0]["id"]
    assert PHONE in page.text  # the supervisor may see it: the seed really holds personal data
    return {
        "task_id": str(labour.task_id),
        "version_id": str(labour.version_id),
        "attachment_id": str(attachment_id),
        "org_id": str(labour.organisation_id),
        "version": "test-1",
        "name": "reliability",
        "market_task": str(market.task_id),
        "market_version": str(market.version_id),
        "view_id": "1",  # a saved queue view (none exists: its delete answers 404)
    }


def _routes(routes: list[Any], prefix: str = "") -> list[tuple[str, Route]]:
    """(full path, route) of every route, included routers opened (FastAPI 0.16x wraps them)."""
    found: list[tuple[str, Route]] = []
    for route in routes:
        if isinstance(route, Route):
            found.append((prefix + route.path, route))
        elif hasattr(route, "original_router"):
            inner = prefix + str(getattr(route.include_context, "prefix", "") or "")
            found += _routes(route.original_router.routes, inner)
    return found


def _get_paths(app: FastAPI, params: dict[str, str]) -> list[str]:
    """Every GET route of the app with its path parameters filled from the seeded rows."""
    paths = []
    for full, route in _routes(list(app.routes)):
        if "GET" not in (route.methods or set()):
            continue
        names = re.findall(r"{(\w+)(?::\w+)?}", full)
        assert all(n in params for n in names), f"no value for {names} in {full}"
        filled = full
        for name in names:
            filled = re.sub(rf"{{{name}(?::\w+)?}}", params[name], filled)
        paths.append(filled)
        if "task_id" in names:  # the market task too (its transition note holds personal data)
            other = {**params, "task_id": params["market_task"], "version_id": params["market_version"]}
            alt = full
            for name in names:
                alt = re.sub(rf"{{{name}(?::\w+)?}}", other[name], alt)
            paths.append(alt)
    return paths


def _readable(content: bytes, content_type: str) -> str:
    """What a reader of the response sees: a PDF's text (its streams are compressed, and its random
    file /ID could hold 11 digits that read like a phone number), anything else as text."""
    if content_type.startswith("application/pdf"):
        from io import BytesIO

        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(content)).pages)
    return content.decode("utf-8", errors="replace")


@pytest.mark.parametrize("username", ["analyst", "officer.sz"])
def test_no_route_shows_an_unmasked_phone_or_id_to_roles_without_pii_rights(  # type: ignore[no-untyped-def]
    app: FastAPI, login_as, cases, username: str
) -> None:
    params = _seed(login_as, cases)
    client, _token = login_as(username)
    paths = [*_get_paths(app, params), "/?q=童工", "/api/tasks?status=open", "/export/tasks.csv"]
    assert len(paths) > 20
    seen = 0
    for path in paths:
        response = client.get(path)
        body = _readable(response.content, response.headers.get("content-type", ""))
        assert not UNMASKED.search(body), f"{username} sees {UNMASKED.search(body)} on {path}"
        if response.headers.get("content-type", "").startswith("application/pdf"):
            assert "案" in body, path  # the PDF's text was read (a case file names its case)
        seen += response.status_code == 200
    assert seen >= 10  # the walk really read pages, not only refusals
    download = client.get(f"/tasks/{params['task_id']}/attachments/{params['attachment_id']}")
    assert download.status_code == 404


def test_victims_data_follows_one_rule(login_as, cases) -> None:  # type: ignore[no-untyped-def]
    params = _seed(login_as, cases)
    url = f"/tasks/{params['task_id']}"
    attachment = f"{url}/attachments/{params['attachment_id']}"
    for username, allowed in [
        ("inspector.sz", True),
        ("supervisor.sz", True),
        ("admin", True),
        ("analyst", False),
    ]:
        client, _ = login_as(username)
        page = client.get(url)
        assert ("张三" in page.text) is allowed, username
        assert (client.get(attachment).status_code == 200) is allowed, username
