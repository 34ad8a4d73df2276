"""Analyst pages: model versions, a version's metrics, PNG charts, label bias, model card, drift and its banner."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session

from risk_model.ops.drift import drift_report
from risk_model.ops.registry import model_promote
from risk_model.ops.scoring import score_listings
from store.models import ModelVersion, User
from store.types import utcnow
from tests.risk_model.ops_support import register, small_settings
from tests.rows import make_finding, make_listing, make_source

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CLEAN = ["招聘会计{i}号，大专以上学历，五险一金", "超市招收银员{i}名，年满18周岁，带薪年假"]
SHIFTED = ["电子厂招小工{i}名，年满14周岁即可，入职交押金500元", "餐厅招学徒{i}名，15岁以上，身份证统一保管"]


def data_dir(app: FastAPI) -> Path:
    return Path(app.state.settings.data_dir)


@pytest.fixture
def champion(app: FastAPI, db: Engine, users: dict[str, User]) -> ModelVersion:
    """A real small model (shared training), promoted, with findings from model-chosen and audit tasks."""
    settings = small_settings(data_dir(app))
    with Session(db, expire_on_commit=False) as session:
        version = register(session, settings)
        model_promote(session, version=version.version, actor="test", settings=settings)
        source = make_source(session)
        for i, origin in enumerate(["model", "model", "model", "audit"]):
            listing = make_listing(session, source, f"f{i}", f"电子厂招小工{i}名，年满14周岁即可")
            make_finding(
                session, listing, {"child_labour": int(i != 2)}, risk_type="child_labour", origin=origin
            )
        session.commit()
        return version


def test_analyst_sees_versions_with_metrics_and_provenance(login_as, champion: ModelVersion) -> None:
    client, _ = login_as("analyst")
    response = client.get("/analyst/models")
    assert response.status_code == 200 and response.template.name == "analyst_models.html"
    [row] = response.context["versions"]
    assert row.version == champion.version and row.status == "champion" and row.promoted_at is not None
    child = row.metrics["child_labour"]
    assert set(child) == {"roc_auc", "average_precision", "f1", "brier"}
    assert 0.5 < child["roc_auc"] <= 1.0 and 0.0 <= child["brier"] < 0.25
    assert (
        row.provenance["child_labour"]["synthetic"] > 100 and row.provenance["child_labour"]["finding"] == 0
    )
    assert f'href="/analyst/models/{champion.version}"' in response.text
    assert '<a href="/analyst/models">' in response.text  # the nav link


def test_model_page_has_metrics_charts_card_link_and_label_bias(
    login_as, champion: ModelVersion, db: Engine
) -> None:
    client, _ = login_as("supervisor")
    response = client.get(f"/analyst/models/{champion.version}")
    assert response.status_code == 200 and response.template.name == "analyst_model.html"
    context = response.context
    assert context["metrics"]["illegal_marriage_broker"]["recall"] is not None
    assert context["thresholds"]["child_labour"] == pytest.approx(champion.thresholds["child_labour"])
    for name in ("reliability", "confusion", "precision_at_k", "score_distribution"):
        assert f'src="/analyst/models/{champion.version}/charts/{name}.png"' in response.text
    assert f'href="/analyst/models/{champion.version}/card.md"' in response.text
    origins = context["bias"]["child_labour"]
    assert origins["model"]["labels"] == 3 and origins["audit"]["labels"] == 1
    assert origins["model"]["share"] == pytest.approx(0.75)
    assert origins["model"]["confirmed_rate"] == pytest.approx(2 / 3)
    assert context["bias"]["illegal_agency"] == {}
    assert "随机抽查" in response.text and "<script>" not in response.text.split("</head>")[1]
    with Session(db) as session:  # a new audit finding shows at once (the bias cache keys on findings)
        listing = make_listing(session, make_source(session, "later"), "late", "餐厅招学徒，15岁以上")
        make_finding(session, listing, {"child_labour": 1}, risk_type="child_labour", origin="audit")
        session.commit()
    again = client.get(f"/analyst/models/{champion.version}").context["bias"]["child_labour"]
    assert again["audit"]["labels"] == 2 and again["model"]["share"] == pytest.approx(0.6)


def test_chart_endpoints_serve_png_cached_on_disk(login_as, champion: ModelVersion, app: FastAPI) -> None:
    client, _ = login_as("analyst")
    folder = data_dir(app) / "reports" / champion.version
    for name in ("reliability", "confusion", "precision_at_k", "score_distribution"):
        response = client.get(f"/analyst/models/{champion.version}/charts/{name}.png")
        assert response.status_code == 200, name
        assert response.headers["content-type"] == "image/png"
        assert response.content.startswith(PNG_SIGNATURE) and len(response.content) > 2000
        assert (folder / f"{name}.png").read_bytes() == response.content
    cached = folder / "confusion.png"
    before = cached.stat().st_mtime_ns
    assert (
        client.get(f"/analyst/models/{champion.version}/charts/confusion.png").content == cached.read_bytes()
    )
    assert cached.stat().st_mtime_ns == before
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{n}.png" for n in ("reliability", "confusion", "precision_at_k", "score_distribution")
    )
    assert client.get(f"/analyst/models/{champion.version}/charts/secrets.png").status_code == 404
    assert client.get("/analyst/models/no-such-version/charts/confusion.png").status_code == 404
    assert client.get("/analyst/models/..%2F..%2Fetc/charts/confusion.png").status_code == 404


def test_model_card_downloads_as_markdown(login_as, champion: ModelVersion) -> None:
    client, _ = login_as("admin")
    response = client.get(f"/analyst/models/{champion.version}/card.md")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert (
        response.headers["content-disposition"] == f'attachment; filename="model-card-{champion.version}.md"'
    )
    assert response.text.startswith(f"# 模型说明：{champion.version}") and champion.sha256 in response.text


@pytest.mark.parametrize("username", ["inspector.sz", "inspector.nj", "officer.sz", "officer.nj"])
def test_inspectors_and_market_officers_get_404(login_as, champion: ModelVersion, username: str) -> None:
    client, _ = login_as(username)
    base = f"/analyst/models/{champion.version}"
    for path in [
        "/analyst/models",
        base,
        f"{base}/charts/confusion.png",
        f"{base}/card.md",
        "/analyst/drift",
    ]:
        assert client.get(path).status_code == 404, path
    assert 'href="/analyst/models"' not in client.get("/").text


def test_anonymous_is_sent_to_login(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/analyst/models", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_empty_pages_before_any_model_or_report(login_as, users: dict[str, User]) -> None:
    client, _ = login_as("analyst")
    assert client.get("/analyst/models").context["versions"] == []
    drift = client.get("/analyst/drift")
    assert drift.status_code == 200 and drift.template.name == "analyst_drift.html"
    assert drift.context["report"] is None and drift.context["drift_alerts"] == []
    assert client.get("/analyst/drift/chart.png").status_code == 404
    assert client.get("/analyst/models/v-missing").status_code == 404


def _fill(session: Session, source, texts: list[str], days_ago: float, n: int, tag: str) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    for i in range(n):
        first_seen = now - timedelta(days=days_ago, hours=i % 20)
        make_listing(session, source, f"{tag}{i}", texts[i % len(texts)].format(i=i), first_seen=first_seen)


def test_drift_report_page_and_dashboard_banner(
    login_as, champion: ModelVersion, app: FastAPI, db: Engine
) -> None:
    supervisor, _ = login_as("supervisor")
    quiet = supervisor.get("/dashboard")
    assert quiet.context["drift_alerts"] == [] and 'id="drift-banner"' not in quiet.text
    settings = small_settings(data_dir(app))
    with Session(db, expire_on_commit=False) as session:
        steady, shifting = make_source(session, "steady"), make_source(session, "shifting")
        _fill(session, steady, CLEAN, 14, 24, "sr")
        _fill(session, steady, CLEAN, 2, 24, "sl")
        _fill(session, shifting, CLEAN, 14, 24, "hr")
        _fill(session, shifting, SHIFTED, 2, 24, "hl")
        score_listings(session, settings=settings)
        report = drift_report(session, now=utcnow(), settings=settings)
        session.commit()
    assert report.alerts and {a.source for a in report.alerts} == {"shifting"}
    board = supervisor.get("/dashboard")
    assert board.template.name == "dashboard.html" and 'id="drift-banner"' in board.text
    assert {a.source for a in board.context["drift_alerts"]} == {"shifting"}
    assert 'href="/analyst/drift"' in board.text
    analyst, _ = login_as("analyst")
    page = analyst.get("/analyst/drift")
    assert page.status_code == 200 and page.context["report"].path == report.path
    rows = {(r.source, r.risk_type): r for r in page.context["report"].rows}
    assert rows[("shifting", "child_labour")].alert and not rows[("steady", "child_labour")].alert
    assert page.text.count('class="drift-alert"') == len(report.alerts)
    chart = analyst.get("/analyst/drift/chart.png")
    assert chart.headers["content-type"] == "image/png" and chart.content.startswith(PNG_SIGNATURE)
    assert Path(report.path).with_suffix(".png").exists()
