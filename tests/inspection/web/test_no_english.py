"""Every GET page, as every role, reads in Chinese: no English word is left in the visible text."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.routing import APIRoute

from tests.inspection.web.conftest import CaseFactory

ROLES = ("inspector.sz", "officer.sz", "analyst", "supervisor.sz", "admin")
# Words that are names of formats, standards or identifiers and read the same in a Chinese text.
ALLOWED = {
    "CSV",
    "PDF",
    "URL",
    "SHA",
    "HTTP",
    "API",
    "PSI",
    "ROC",
    "AUC",
    "PNG",
    "JPG",
    "TXT",
    "ORFD",
    "Brier",
    "Markdown",
}
ALLOWED |= {"English"}  # the language switch names the language it switches to
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
# Verbatim data (URLs, hashes, codes) is marked in the templates and skipped: it is not UI text.
DATA_TAGS = {"script", "style", "code", "pre", "iframe", "title"}
CHINESE_BODY = "电子厂招聘16岁童工，包吃住，押金500元，身份证统一保管。"


class VisibleText(HTMLParser):
    """The text a reader sees, without scripts, styles, code and elements marked as data."""

    def __init__(self) -> None:
        super().__init__()
        self.skip_depth = 0
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "img", "input", "meta", "link", "hr", "wbr", "col", "source"}:
            return
        classes = (dict(attrs).get("class") or "").split()
        skip = tag in DATA_TAGS or "data" in classes or dict(attrs).get("translate") == "no"
        self.stack.append(skip)
        self.skip_depth += skip

    def handle_endtag(self, tag: str) -> None:
        if tag in {"br", "img", "input", "meta", "link", "hr", "wbr", "col", "source"} or not self.stack:
            return
        self.skip_depth -= self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    """ASCII words of three letters or more in the visible text, less the allowed ones."""
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    return {w for w in ENGLISH_WORD.findall(text) if w not in ALLOWED}


def _worked_case(cases: CaseFactory, login_as: Any, users: dict[str, Any]) -> Any:
    """A labour task with history and a finding, a market task, for every page to have something to show."""
    case = cases.make(
        title="电子厂急招普工", body=CHINESE_BODY, status="assigned", assignee_id=users["inspector.sz"].id
    )
    cases.make(title="婚介所招聘", body=CHINESE_BODY, agency="market_regulation", risk_type="illegal_agency")
    cases.make(title="已结任务", body=CHINESE_BODY, status="closed", overdue=True)
    client, token = login_as("inspector.sz")
    for to_status in ("in_progress",):
        version = client.get(f"/api/tasks/{case.task_id}").json()["version"]
        client.post(
            f"/tasks/{case.task_id}/transition",
            data={"csrf_token": token, "expected_version": version, "to_status": to_status},
        )
    version = client.get(f"/api/tasks/{case.task_id}").json()["version"]
    response = client.post(
        f"/tasks/{case.task_id}/finding",
        data={
            "csrf_token": token,
            "expected_version": version,
            "violations": "child_labour",
            "outcome": "fine",
            "notes": "现场查实一名15岁员工。",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:800]
    return case


def _all_routes(routes: list[Any]) -> list[Any]:
    """Routes, with those of included routers (FastAPI wraps them) flattened."""
    flat: list[Any] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        flat.extend(_all_routes(inner.routes) if inner is not None else [route])
    return flat


def page_paths(app: Any, case: Any) -> list[str]:
    """Every GET page route with its path parameters filled from CASE (API, static and files excluded)."""
    values = {
        "task_id": case.task_id,
        "version_id": case.version_id,
        "org_id": case.organisation_id,
        "version": "test-1",
    }
    paths = []
    for route in _all_routes(app.routes):
        if not isinstance(route, APIRoute) or "GET" not in route.methods:
            continue
        if (
            route.path.startswith("/api")
            or route.path.endswith((".png", ".md"))
            or "attachment" in route.path
        ):
            continue
        if "/raw/" in route.path:  # the crawled page itself, shown in a sandbox
            continue
        paths.append(route.path.format(**values))
    return [*paths, "/?status=closed", "/?q=没有这样的任务", "/tasks/999999", "/?mine=true"]


@pytest.mark.parametrize("username", ROLES)
def test_no_english_on_any_page(
    app: Any, cases: CaseFactory, login_as: Any, users: dict[str, Any], username: str
) -> None:
    case = _worked_case(cases, login_as, users)
    client, _ = login_as(username)
    found: dict[str, set[str]] = {}
    for path in page_paths(app, case):
        response = client.get(path)
        kind = response.headers.get("content-type", "")
        if kind.startswith("text/html"):
            words = english_words(response.text)
        elif kind.startswith("text/csv"):
            words = _csv_english(response.text)
        else:
            continue
        if words:
            found[f"{path} ({response.status_code})"] = words
    assert not found, {k: sorted(v) for k, v in found.items()}


def _csv_english(text: str) -> set[str]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    words: set[str] = set()
    for row in rows:
        for cell in row:
            if cell.startswith("http"):
                continue
            words |= {w for w in ENGLISH_WORD.findall(cell) if w not in ALLOWED}
    return words


def test_visible_text_skips_code_and_data() -> None:
    html = (
        '<p>任务</p><code>task.assign</code><span class="data">https://x.example</span><script>var a</script>'
    )
    assert english_words(html) == set()
    assert english_words("<p>Status 状态</p>") == {"Status"}


def test_error_pages_and_validation_messages_are_chinese(
    cases: CaseFactory, login_as: Any, users: dict[str, Any]
) -> None:
    case = cases.make(status="in_progress", assignee_id=users["inspector.sz"].id)
    client, token = login_as("inspector.sz")
    finding = f"/tasks/{case.task_id}/finding"
    form = {"csrf_token": token, "expected_version": 1}
    responses = {
        "bad filter": client.get("/?risk_type=zzz"),
        "bad sort": client.get("/?sort=x"),
        "bad date": client.post(
            finding, data={**form, "outcome": "fine", "violations": "child_labour", "follow_up_date": "x"}
        ),
        "no violation chosen": client.post(finding, data={**form, "outcome": "zzz"}),
        "transition not allowed": client.post(
            f"/tasks/{case.task_id}/transition", data={**form, "to_status": "backlog"}
        ),
        "bad tip": client.post(
            "/tips",
            data={
                **form,
                "risk_type": "child_labour",
                "region_code": "999999",
                "title": "某厂",
                "tip_source": "热线",
            }
            | {"tip_text": "举报"},
        ),
    }
    for name, response in responses.items():
        assert response.status_code in (409, 422), name
        assert not english_words(response.text), (name, english_words(response.text))
    assert "请至少选择一项违法情形" in responses["no violation chosen"].text
    assert "任务不能从「办理中」变为「待分派池」" in responses["transition not allowed"].text
    assert "以下内容无效：风险类型" in responses["bad filter"].text
