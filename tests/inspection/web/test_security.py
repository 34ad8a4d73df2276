"""Login, throttling, session cookie, CSRF on every change, security headers, friendly errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from inspection.web.app import create_app
from inspection.web.security.headers import PAGE_CSP
from store.db import make_engine
from store.models import AuditEvent, User
from store.seed.users import DEMO_PASSWORD
from tests.inspection.web.conftest import TestClient, csrf_from, login, make_settings


def audit_actions(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(session.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars())


def test_login_page_renders_chinese_form_with_csrf(client: TestClient) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    assert response.template.name == "login.html"  # type: ignore[attr-defined]
    assert response.context["lang"] == "zh"  # type: ignore[attr-defined]
    assert "用户名" in response.text and 'lang="zh-CN"' in response.text
    assert csrf_from(response.text) == response.context["csrf_token"]  # type: ignore[attr-defined]


def test_login_sets_httponly_samesite_cookie_and_audits(
    client: TestClient, users: dict[str, User], db: Engine
) -> None:
    login(client, "inspector.sz")
    cookie = client.cookies.get("lw_session")
    assert cookie
    # The login response is the one that set the cookie; inspect its header directly.
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": "inspector.sz", "password": DEMO_PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    set_cookie = response.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=lax" in set_cookie and "secure" not in set_cookie
    assert "auth.login" in audit_actions(db)


def test_secure_cookie_setting(db: Engine, tmp_path: Path, users: dict[str, User]) -> None:
    app = create_app(make_settings(tmp_path, session_cookie_secure=True), engine=db)
    with TestClient(app, base_url="https://testserver") as client:
        response = client.get("/login")
        assert "secure" in response.headers["set-cookie"].lower()


def test_wrong_password_is_refused_and_audited(
    client: TestClient, users: dict[str, User], db: Engine
) -> None:
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "inspector.sz", "password": "wrong-password", "csrf_token": token}
    )
    assert response.status_code == 401
    assert response.context["error"] == "login.failed"  # type: ignore[attr-defined]
    assert client.get("/api/me").status_code == 401
    assert audit_actions(db).count("auth.login_failed") == 1


def test_login_throttled_after_max_failures_on_the_account(
    db: Engine, tmp_path: Path, users: dict[str, User]
) -> None:
    app = create_app(make_settings(tmp_path, login_max_failures=3), engine=db)
    with TestClient(app) as client:
        token = csrf_from(client.get("/login").text)
        for _ in range(3):
            bad = {"username": "inspector.sz", "password": "nope-nope-nope", "csrf_token": token}
            assert client.post("/login", data=bad).status_code == 401
        good = {"username": "inspector.sz", "password": DEMO_PASSWORD, "csrf_token": token}
        refused = client.post("/login", data=good, follow_redirects=False)
        assert refused.status_code == 429
        assert refused.context["error"] == "login.throttled"  # type: ignore[attr-defined]
        # Another username from the same address is not affected.
        other = {"username": "inspector.nj", "password": DEMO_PASSWORD, "csrf_token": token}
        assert client.post("/login", data=other, follow_redirects=False).status_code == 303


def test_open_redirect_after_login_is_refused(client: TestClient, users: dict[str, User]) -> None:
    token = csrf_from(client.get("/login").text)
    data = {
        "username": "inspector.sz",
        "password": DEMO_PASSWORD,
        "csrf_token": token,
        "next": "//evil.example/x",
    }
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.headers["location"] == "/"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/login", {"username": "inspector.sz", "password": DEMO_PASSWORD}),
        ("/logout", {}),
        ("/lang", {"lang": "en"}),
    ],
)
def test_forms_without_csrf_token_are_refused(
    client: TestClient, users: dict[str, User], path: str, data: dict[str, str]
) -> None:
    client.get("/login")
    response = client.post(path, data=data, follow_redirects=False)
    assert response.status_code == 403
    assert response.template.name == "error.html"  # type: ignore[attr-defined]
    response = client.post(path, data={**data, "csrf_token": "forged"}, follow_redirects=False)
    assert response.status_code == 403


def test_api_changes_need_the_csrf_header(login_as, cases) -> None:  # type: ignore[no-untyped-def]
    client, token = login_as("supervisor")
    case = cases.make()
    body = {"expected_version": 1, "to_status": "escalated", "note": ""}
    assert client.post(f"/api/tasks/{case.task_id}/transition", json=body).status_code == 403
    wrong = {"X-CSRF-Token": "x" * 43}
    assert client.post(f"/api/tasks/{case.task_id}/transition", json=body, headers=wrong).status_code == 403
    _other, other_token = login_as("admin")
    assert other_token != token
    stolen = {"X-CSRF-Token": other_token}
    assert client.post(f"/api/tasks/{case.task_id}/transition", json=body, headers=stolen).status_code == 403


def test_logout_ends_the_session(login_as) -> None:  # type: ignore[no-untyped-def]
    client, token = login_as("inspector.sz")
    assert client.get("/api/me").status_code == 200
    assert client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert client.get("/api/me").status_code == 401
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")


def test_logout_revokes_a_copied_cookie_and_other_sessions(  # type: ignore[no-untyped-def]
    login_as, db: Engine
) -> None:
    client, token = login_as("inspector.sz")
    stolen = client.cookies.get("lw_session")
    second, _ = login_as("inspector.sz")  # the same person on another device
    assert second.get("/api/me").status_code == 200
    client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    client.cookies.set("lw_session", stolen)  # replaying the cookie copied before logout
    assert client.get("/api/me").status_code == 401
    assert second.get("/api/me").status_code == 401
    assert audit_actions(db).count("auth.logout") == 1
    fresh, _ = login_as("inspector.sz")  # logging in again works and issues a current cookie
    assert fresh.get("/api/me").status_code == 200


def test_language_switch_to_english(login_as) -> None:  # type: ignore[no-untyped-def]
    client, token = login_as("inspector.sz")
    client.post("/lang", data={"lang": "en", "csrf_token": token, "next": "/login"})
    response = client.get("/login")
    assert response.context["lang"] == "en" and "Username" in response.text  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path", ["/login", "/api/openapi.json", "/static/htmx.min.js", "/no-such-page", "/api/tasks"]
)
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["content-security-policy"] == PAGE_CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_not_found_is_a_friendly_page_and_json_for_the_api(client: TestClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.template.name == "error.html"  # type: ignore[attr-defined]
    api = client.get("/api/no-such-thing")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_server_error_shows_no_traceback(db: Engine, tmp_path: Path) -> None:
    app: FastAPI = create_app(make_settings(tmp_path), engine=db)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals /srv/app.py line 42")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
        assert response.status_code == 500
        assert "secret internals" not in response.text and "Traceback" not in response.text
        assert response.headers["content-security-policy"] == PAGE_CSP


def test_create_app_builds_nothing_at_import() -> None:
    import importlib

    module = importlib.import_module("inspection.web.app")
    assert not [name for name, value in vars(module).items() if isinstance(value, FastAPI)]


def test_users_own_language_is_the_default(login_as, users: dict[str, User], db: Engine) -> None:  # type: ignore[no-untyped-def]
    with Session(db) as session:
        user = session.get(User, users["analyst"].id)
        assert user is not None
        user.language = "en"
        session.add(user)
        session.commit()
    client, _ = login_as("analyst")
    assert client.get("/").context["lang"] == "en"  # type: ignore[attr-defined]
    other, _ = login_as("supervisor")
    assert other.get("/").context["lang"] == "zh"  # type: ignore[attr-defined]


def test_health_answers_for_the_database(client: TestClient, tmp_path: Path) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    broken = make_engine("postgresql://postgres@127.0.0.1:1/nowhere")  # nothing listens on port 1
    with TestClient(create_app(make_settings(tmp_path), engine=broken)) as down:
        response = down.get("/healthz")
    assert response.status_code == 503 and response.json() == {"status": "unavailable"}
