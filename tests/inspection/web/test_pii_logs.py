"""Personal data never reaches the application log: every route walked, error paths included."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI

from tests.inspection.web.test_need_to_know import ID_NUMBER, PHONE, PII_TEXT, UNMASKED, _get_paths, _seed


def test_no_phone_or_id_number_is_ever_logged(  # type: ignore[no-untyped-def]
    app: FastAPI, login_as, cases, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level
    params = _seed(login_as, cases)
    requests = 0
    for username in ("supervisor.sz", "analyst", "officer.sz"):
        client, token = login_as(username)
        for path in [*_get_paths(app, params), f"/?q={PHONE}", f"/api/tasks?q={ID_NUMBER}"]:
            client.get(path)
            requests += 1
        header = {"X-CSRF-Token": token}
        bad = [  # refused inputs that carry personal data: each is logged or audited, never echoed to the log
            ("POST", "/api/tips", {"json": {"risk_type": "nope", "region_code": PHONE, "title": PII_TEXT}}),
            ("POST", "/api/tips", {"json": {"risk_type": "child_labour", "title": PII_TEXT + "\x00"}}),
            ("POST", f"/api/tasks/{params['task_id']}/transition", {"json": {"note": PII_TEXT, "x": 1}}),
            ("POST", f"/tasks/{params['task_id']}/transition", {"data": {"note": PII_TEXT}}),
            ("GET", f"/tasks/{PHONE}", {}),
            ("GET", f"/api/tasks/{ID_NUMBER}", {}),
            (
                "POST",
                f"/tasks/{params['task_id']}/finding",
                {"data": {"notes": PII_TEXT, "csrf_token": token}},
            ),
        ]
        for method, path, kwargs in bad:
            response = client.request(method, path, headers=header, follow_redirects=False, **kwargs)
            assert response.status_code < 500, f"{method} {path}: {response.status_code}"
            requests += 1
    assert requests > 60 and caplog.records, "the walk logged nothing at all: the capture is not working"
    app_records = [r for r in caplog.records if not r.name.startswith("httpx")]  # the test client's own
    leaks = [f"{r.name}: {r.getMessage()}" for r in app_records if UNMASKED.search(r.getMessage())]
    assert leaks == [], leaks[:3]
    print(
        f"\nPII in logs: {requests} requests, {len(caplog.records)} log records, 0 with a phone or ID number"
    )


def test_the_server_access_log_masks_phones_and_id_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    from inspection.web import app as web_app
    from inspection.web.security.headers import MaskPersonalData

    access = logging.getLogger("uvicorn.access")
    monkeypatch.setattr(access, "filters", [])
    monkeypatch.setattr(web_app, "create_app", lambda settings: None)
    web_app.app_from_environment()  # what `labourwatch serve` runs in each worker
    web_app.app_from_environment()
    assert [type(f) for f in access.filters] == [MaskPersonalData]  # installed once
    # The record uvicorn's access logger writes: client, method, path with query, HTTP version, status.
    line = '%s - "%s %s HTTP/%s" %d'
    args = ("127.0.0.1:5000", "GET", f"/?q={PHONE}&id={ID_NUMBER}", "1.1", 200)
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, line, args, None)
    assert access.filters[0].filter(record)
    message = record.getMessage()
    assert not UNMASKED.search(message) and '"GET /?q=' in message and message.endswith(" 200"), message
