"""Model actions on the analyst pages: compare, promote (gate and forced with a reason), roll back.

Real small models (tests/risk_model/ops_support.py): a good champion and a deliberately useless candidate
trained on shuffled labels, so the promotion gate refuses it exactly as `labourwatch model promote` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from risk_model.ops.registry import champion, model_promote
from risk_model.ops.reports import synthetic_only
from store.audit import audit_verify
from store.models import AuditEvent, ModelVersion, User
from tests.risk_model.ops_support import noisy, register, small_settings


@pytest.fixture
def versions(app: FastAPI, db: Engine, users: dict[str, User]) -> tuple[ModelVersion, ModelVersion]:
    """(champion, regressing candidate), both real files under the app's data directory."""
    settings = small_settings(Path(app.state.settings.data_dir))
    with Session(db, expire_on_commit=False) as session:
        good = register(session, settings)
        model_promote(session, version=good.version, actor="test", settings=settings)
        bad = register(session, settings, noisy())
        session.commit()
        return good, bad


def events(db: Engine, action: str) -> list[AuditEvent]:
    with Session(db) as session:
        statement = select(AuditEvent).where(col(AuditEvent.action) == action).order_by(col(AuditEvent.id))
        return list(session.execute(statement).scalars())


def current(db: Engine) -> str:
    with Session(db) as session:
        found = champion(session)
        assert found is not None
        return found.version


def notice(client: Any, url: str, data: dict[str, str] | None = None) -> str:
    """The result message on the page a POST to URL (with DATA) leads to, or on the page at URL."""
    response = client.post(url, data=data) if data is not None else client.get(url)
    return response.text.split('id="model-notice">', 1)[1].split("</p>", 1)[0]


def test_only_analysts_get_the_forms_and_the_actions(login_as: Any, versions: Any) -> None:
    _, bad = versions
    analyst, _ = login_as("analyst")
    page = analyst.get(f"/analyst/models/{bad.version}").text
    assert f'action="/analyst/models/{bad.version}/promote"' in page
    assert f'action="/analyst/models/{bad.version}/compare"' in page
    assert 'name="force_reason"' in page and "上线此版本" in page
    for name in ("supervisor", "admin"):
        client, csrf = login_as(name)
        assert 'id="model-actions"' not in client.get(f"/analyst/models/{bad.version}").text
        response = client.post(
            f"/analyst/models/{bad.version}/promote", data={"csrf_token": csrf, "confirm": "yes"}
        )
        assert response.status_code == 404
        assert (
            client.post("/analyst/models/rollback", data={"csrf_token": csrf, "confirm": "yes"}).status_code
            == 404
        )
    inspector, csrf = login_as("inspector.sz")
    assert (
        inspector.post("/analyst/models/rollback", data={"csrf_token": csrf, "confirm": "yes"}).status_code
        == 404
    )


def test_csrf_and_confirmation_are_required(login_as: Any, versions: Any, db: Engine) -> None:
    good, bad = versions
    client, csrf = login_as("analyst")
    assert client.post(f"/analyst/models/{bad.version}/promote", data={"confirm": "yes"}).status_code == 403
    assert client.post(f"/analyst/models/{bad.version}/promote", data={"csrf_token": csrf}).status_code == 422
    assert current(db) == good.version


def test_gate_refuses_a_regression_then_a_forced_promotion_needs_a_reason(
    login_as: Any, versions: Any, db: Engine
) -> None:
    good, bad = versions
    client, csrf = login_as("analyst")
    url = f"/analyst/models/{bad.version}/promote"
    response = client.post(url, data={"csrf_token": csrf, "confirm": "yes"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/analyst/models/{bad.version}"
    refused = notice(client, response.headers["location"])
    assert refused.startswith("未上线：与在用模型") and "ROC-AUC" in refused and "强制上线" in refused
    assert "regresses" not in refused and current(db) == good.version
    [event] = events(db, "model.promote_refused")
    assert event.actor == "analyst" and "regresses" in event.details["error"]

    blank = {"csrf_token": csrf, "confirm": "yes", "force": "true", "force_reason": "  "}
    assert notice(client, url, blank) == "未上线：强制上线须填写理由。"
    assert current(db) == good.version

    reason = "演练：验证回滚流程"
    forced = {"csrf_token": csrf, "confirm": "yes", "force": "true", "force_reason": reason}
    assert notice(client, url, forced) == f"已上线：{bad.version} 现为在用模型。"
    assert current(db) == bad.version
    promoted = events(db, "model.promote")[-1]
    assert promoted.details["forced"] is True and promoted.details["reason"] == reason
    assert promoted.actor == "analyst" and promoted.actor_id is not None and promoted.details["regressions"]


def test_reason_without_force_is_not_a_forced_promotion(login_as: Any, versions: Any, db: Engine) -> None:
    good, bad = versions
    client, csrf = login_as("analyst")
    data = {"csrf_token": csrf, "confirm": "yes", "force_reason": "没有勾选强制"}
    client.post(f"/analyst/models/{bad.version}/promote", data=data)
    assert (
        current(db) == good.version
    )  # the gate still applies, as on the command line without --force-reason


def test_rollback_restores_the_previous_champion(login_as: Any, versions: Any, db: Engine) -> None:
    good, bad = versions
    client, csrf = login_as("analyst")
    data = {"csrf_token": csrf, "confirm": "yes", "force": "true", "force_reason": "演练"}
    client.post(f"/analyst/models/{bad.version}/promote", data=data)
    page = client.get(f"/analyst/models/{bad.version}").text
    assert 'action="/analyst/models/rollback"' in page and good.version in page
    response = client.post(
        "/analyst/models/rollback", data={"csrf_token": csrf, "confirm": "yes"}, follow_redirects=False
    )
    assert response.headers["location"] == f"/analyst/models/{good.version}"
    assert notice(client, response.headers["location"]) == f"已回滚：恢复 {good.version} 为在用模型。"
    assert current(db) == good.version
    [event] = events(db, "model.rollback")
    assert event.actor == "analyst" and event.details == {"restored": good.version, "retired": bad.version}
    again = notice(client, "/analyst/models/rollback", {"csrf_token": csrf, "confirm": "yes"})
    assert again == "未回滚：在用模型没有可恢复的上一版本，无法回滚。"
    with Session(db) as session:
        assert audit_verify(session).ok


def test_compare_shows_both_models_on_the_same_hold_out(login_as: Any, versions: Any, db: Engine) -> None:
    good, bad = versions
    client, csrf = login_as("analyst")
    response = client.post(
        f"/analyst/models/{bad.version}/compare", data={"csrf_token": csrf, "confirm": "yes"}
    )
    assert response.status_code == 200 and response.template.name == "analyst_compare.html"
    rows = [row for risk in response.context["rows"].values() for row in risk]
    compared = [row for row in rows if row["metric"] == "roc_auc" and row["diff"] is not None]
    assert compared and all(
        row["diff"] == pytest.approx(row["candidate"] - row["champion"]) for row in compared
    )
    assert any(row["better"] is False for row in rows)  # the shuffled-label candidate is worse somewhere
    assert 'id="compare-table"' in response.text and "已比较：候选" in response.text
    assert f'action="/analyst/models/{bad.version}/promote"' in response.text
    [event] = events(db, "model.compare")
    assert event.details == {"version": bad.version, "champion": good.version} and event.actor == "analyst"


def test_synthetic_only_metrics_are_flagged(login_as: Any, versions: Any) -> None:
    good, _ = versions
    flagged = synthetic_only(good)
    client, _ = login_as("analyst")
    page = client.get(f"/analyst/models/{good.version}").text
    for risk in ("child_labour", "illegal_marriage_broker"):  # never from ORFD: synthetic unless findings
        assert risk in flagged
    assert page.count("的指标仅来自合成或手写样本") == len(flagged)
    assert "无真实样本" in client.get("/analyst/models").text


def test_model_card_is_chinese_and_english_on_request(login_as: Any, versions: Any) -> None:
    good, _ = versions
    client, csrf = login_as("analyst")
    card = client.get(f"/analyst/models/{good.version}/card.md").text
    assert card.startswith(f"# 模型说明：{good.version}") and "## 用途" in card and "| 使用童工 |" in card
    assert "状态：**在用**" in card and good.sha256 in card and "仅来自合成或手写样本" in card
    client.post("/lang", data={"csrf_token": csrf, "lang": "en", "next": "/"})
    english = client.get(f"/analyst/models/{good.version}/card.md").text
    assert english.startswith(f"# Model card: {good.version}") and "## Intended use" in english
