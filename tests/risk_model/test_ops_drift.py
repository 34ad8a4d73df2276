"""Drift: PSI of scores and indicator rates between the reference window and the latest week."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlmodel import Session

from risk_model.ops.drift import drift_report, psi, rate_psi
from risk_model.ops.registry import model_promote
from risk_model.ops.reports import drift_png, model_card, write_charts
from risk_model.ops.scoring import score_listings
from store.models import AuditEvent
from store.types import utcnow
from tests.risk_model.ops_support import register, small_settings
from tests.rows import make_listing, make_source

CLEAN = [
    "招聘会计{i}号，大专以上学历，五险一金",
    "超市招收银员{i}名，年满18周岁，带薪年假",
    "物流公司招司机{i}名，持C1驾照",
]
SHIFTED = [
    "电子厂招小工{i}名，年满14周岁即可，入职交押金500元",
    "餐厅招学徒{i}名，15岁以上，身份证统一保管，交培训费",
]


def test_psi_is_near_zero_for_the_same_distribution_and_rises_with_a_shift() -> None:
    rng = np.random.default_rng(0)
    reference = rng.beta(2, 8, 2000)
    assert psi(reference, rng.beta(2, 8, 2000)) < 0.05
    assert psi(reference, rng.beta(5, 5, 2000)) > 0.5
    assert psi(reference, rng.beta(3, 7, 2000)) < psi(reference, rng.beta(5, 5, 2000))
    assert rate_psi(0.1, 0.1) == 0.0 and rate_psi(0.05, 0.6) > 0.25


def _fill(session: Session, source, texts: list[str], days_ago: float, n: int, tag: str) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    for i in range(n):
        body = texts[i % len(texts)].format(i=i)
        make_listing(
            session, source, f"{tag}{i}", body, first_seen=now - timedelta(days=days_ago, hours=i % 20)
        )


def test_drift_report_alerts_on_a_shifted_source_only(session: Session, tmp_path: Path) -> None:
    settings = small_settings(tmp_path)
    version = register(session, settings)
    model_promote(session, version=version.version, actor="t", settings=settings)
    steady, shifting = make_source(session, "steady"), make_source(session, "shifting")
    _fill(session, steady, CLEAN, 14, 24, "sr")
    _fill(session, steady, CLEAN, 2, 24, "sl")
    _fill(session, shifting, CLEAN, 14, 24, "hr")
    _fill(session, shifting, SHIFTED, 2, 24, "hl")
    score_listings(session, settings=settings)

    report = drift_report(session, now=utcnow(), settings=settings)
    rows = {(r.source, r.risk_type): r for r in report.rows}
    assert set(rows) == {
        (s, r) for s in ("steady", "shifting") for r in ("illegal_agency", "child_labour", "forced_labour")
    }
    calm, moved = rows[("steady", "child_labour")], rows[("shifting", "child_labour")]
    assert (calm.n_reference, calm.n_latest) == (24, 24)
    assert calm.score_psi is not None and moved.score_psi is not None
    assert moved.score_psi > settings.model_drift_threshold > calm.score_psi
    assert moved.indicator_psi > calm.indicator_psi and moved.alert and not calm.alert
    alerts = session.execute(select(AuditEvent).where(AuditEvent.action == "drift.alert")).scalars().all()
    assert {a.object_id for a in alerts} == {"shifting"}
    saved = json.loads(Path(report.path).read_text(encoding="utf-8"))
    assert saved["alerts"] == len(report.alerts) >= 1
    assert drift_png(report, tmp_path / "drift.png").stat().st_size > 1000


def test_too_few_listings_never_alert(session: Session, tmp_path: Path) -> None:
    settings = small_settings(tmp_path)
    source = make_source(session)
    _fill(session, source, CLEAN, 14, 5, "r")
    _fill(session, source, SHIFTED, 2, 5, "l")
    report = drift_report(session, now=utcnow(), settings=settings, write=False)
    assert report.model_version is None and not report.alerts and report.path is None


def test_charts_and_model_card(session: Session, tmp_path: Path) -> None:
    settings = small_settings(tmp_path)
    version = register(session, settings)
    charts = write_charts(session, version, settings)
    assert {c.name for c in charts} == {
        "score_distribution.png",
        "reliability.png",
        "confusion.png",
        "precision_at_k.png",
    }
    assert all(c.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for c in charts)
    card = model_card(session, version)
    assert card.startswith(f"# Model card: {version.version}")
    for heading in ("## Intended use", "## Training data", "## Metrics", "## Limits", "## Provenance"):
        assert heading in card
    assert version.sha256 in card and "| child_labour |" in card
