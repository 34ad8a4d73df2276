"""Security headers on every response: every route and method of the app, and every error status."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from inspection.web.app import create_app
from tests.inspection.web.conftest import TestClient, login, make_settings
from tests.inspection.web.test_need_to_know import _get_paths, _routes, _seed

# Endpoints that end the session go last, so the walk stays logged in for the others.
SESSION_ENDERS = ("/logout", "/account/password")


def assert_secure_headers(response, where: str) -> None:  # type: ignore[no-untyped-def]
    """The headers every response carries, whatever its status."""
    h = response.headers
    csp = h.get("content-security-policy", "")
    assert "default-src" in csp and "frame-ancestors" in csp, f"{where}: CSP {csp!r}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, f"{where}: CSP {csp!r}"
    assert h.get("x-content-type-options") == "nosniff", where
    assert h.get("x-frame-options") in ("DENY", "SAMEORIGIN"), where
    assert h.get("referrer-policy") == "no-referrer", where
    if not response.request.url.path.startswith("/static/"):  # only our vendored scripts and styles
        assert "no-store" in h.get("cache-control", ""), f"{where}: cache-control {h.get('cache-control')}"


def _fill(full: str, params: dict[str, str]) -> str:
    for name in re.findall(r"{(\w+)(?::\w+)?}", full):
        full = re.sub(rf"{{{name}(?::\w+)?}}", params[name], full)
    return full


def test_every_route_and_method_answers_with_the_security_headers(  # type: ignore[no-untyped-def]
    app: FastAPI, login_as, cases
) -> None:
    params = _seed(login_as, cases)
    client, token = login_as("supervisor.sz")
    analyst, _ = login_as("analyst")  # refused objects: the 404 of need-to-know
    anonymous = TestClient(app, base_url="http://testserver")
    statuses: Counter[int] = Counter()
    checked = 0
    for path in [*_get_paths(app, params), "/static/htmx.min.js"]:
        for who, c in (("supervisor", client), ("analyst", analyst), ("anonymous", anonymous)):
            response = c.get(path, follow_redirects=False)
            assert response.status_code < 500, f"GET {path} as {who}: {response.status_code}"
            assert_secure_headers(response, f"GET {path} as {who}")
            statuses[response.status_code] += 1
            checked += 1
    unsafe = [
        (method, _fill(full, params))
        for full, route in _routes(list(app.routes))
        for method in sorted((route.methods or set()) - {"GET", "HEAD"})
    ]
    unsafe.sort(key=lambda item: item[1].endswith(SESSION_ENDERS))
    assert len(unsafe) >= 10
    for method, path in unsafe:
        for label, headers in (("no csrf", {}), ("csrf", {"X-CSRF-Token": token})):
            response = client.request(method, path, headers=headers, follow_redirects=False)
            assert response.status_code < 500, f"{method} {path} ({label}): {response.status_code}"
            assert_secure_headers(response, f"{method} {path} ({label})")
            statuses[response.status_code] += 1
            checked += 1
    anonymous.close()
    assert checked >= 110 and {200, 303, 403, 404, 422} <= set(statuses), statuses
    print(f"\nheaders checked on {checked} responses: {dict(sorted(statuses.items()))}")


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/no-such-page", 404),
        ("GET", "/api/no-such-thing", 404),
        ("DELETE", "/login", 405),
        ("PUT", "/api/tasks", 405),
        ("GET", "/tasks/not-a-number", 422),
        ("GET", "/api/tasks/not-a-number", 422),
        ("GET", "/api/tasks?page=banana", 422),
    ],
)
def test_error_statuses_carry_the_security_headers(  # type: ignore[no-untyped-def]
    login_as, method: str, path: str, status: int
) -> None:
    client, _ = login_as("supervisor.sz")
    response = client.request(method, path, follow_redirects=False)
    assert response.status_code == status, response.text[:200]
    assert_secure_headers(response, f"{method} {path}")


def test_429_500_and_503_carry_the_security_headers(
    db: Engine, tmp_path: Path, users: dict[str, object]
) -> None:
    settings = make_settings(tmp_path, export_max_per_window=1, login_max_failures=1)
    app = create_app(settings, engine=db)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("internals")

    @app.get("/api/db-down")
    def db_down() -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        login(client, "analyst")
        assert client.get("/export/tasks.csv").status_code == 200
        responses = {
            "export 429": client.get("/export/tasks.csv"),
            "500": client.get("/boom"),
            "503": client.get("/api/db-down"),
        }
        with TestClient(app, base_url="http://testserver") as anon:
            form = {"username": "inspector.nj", "password": "wrong-password-1"}
            for _ in range(3):
                token = re.search(r'name="csrf_token" value="([^"]+)"', anon.get("/login").text)
                assert token
                last = anon.post("/login", data={**form, "csrf_token": token.group(1)})
            responses["login 429"] = last
    assert {k: r.status_code for k, r in responses.items()} == {
        "export 429": 429,
        "500": 500,
        "503": 503,
        "login 429": 429,
    }
    for label, response in responses.items():
        assert_secure_headers(response, label)
