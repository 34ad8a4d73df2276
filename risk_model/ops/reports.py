"""Charts (PNG, matplotlib Agg) and the Markdown model card of a model version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlmodel import Session, col

from risk_model.data.examples import RISK_TYPES
from risk_model.model.model_files import model_path
from risk_model.training.splits_and_metrics import precision_at_k, reliability_plot
from store.models import ModelVersion, RiskScore
from store.settings import Settings


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # servers have no display
    import matplotlib.pyplot as plt

    return plt


def holdout_predictions(version: ModelVersion, settings: Settings) -> dict[str, dict[str, list[Any]]]:
    """The hold-out labels and probabilities saved beside the model file at training."""
    path = model_path(settings, version.file_path.removesuffix(".skops") + ".holdout.json")
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _save(figure: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100, bbox_inches="tight")
    _pyplot().close(figure)
    return path


def score_distribution_png(session: Session, version: ModelVersion, path: Path, settings: Settings) -> Path:
    """Histogram of the version's listing scores per risk type (hold-out scores when none stored)."""
    plt = _pyplot()
    figure, axes = plt.subplots(1, len(RISK_TYPES), figsize=(12, 3.2))
    holdout = holdout_predictions(version, settings)
    for ax, risk in zip(axes, RISK_TYPES, strict=True):
        statement = select(col(RiskScore.probability)).where(
            col(RiskScore.model_version_id) == version.id, col(RiskScore.risk_type) == risk
        )
        values = [float(p) for p in session.execute(statement).scalars()]
        label = "listings"
        if not values:
            values, label = holdout.get(risk, {}).get("p", []), "hold-out"
        ax.hist(values, bins=20, range=(0, 1), color="#4c72b0")
        ax.axvline(float(version.thresholds.get(risk, 0.5)), color="#c44e52", linestyle="--")
        ax.set(title=f"{risk} ({label}, n={len(values)})", xlabel="probability")
    return _save(figure, path)


def reliability_png(version: ModelVersion, path: Path, settings: Settings) -> Path | None:
    """Reliability curves of the hold-out predictions (None when there are none)."""
    curves = {
        risk: (np.asarray(h["y"]), np.asarray(h["p"]))
        for risk, h in holdout_predictions(version, settings).items()
        if len(set(h["y"])) == 2
    }
    if not curves:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    return reliability_plot(curves, path)


def confusion_png(version: ModelVersion, path: Path, settings: Settings) -> Path:
    """Confusion matrix per risk type at the operating threshold, on the hold-out."""
    plt = _pyplot()
    figure, axes = plt.subplots(1, len(RISK_TYPES), figsize=(12, 3.4))
    holdout = holdout_predictions(version, settings)
    for ax, risk in zip(axes, RISK_TYPES, strict=True):
        y = np.asarray(holdout.get(risk, {}).get("y", []), dtype=int)
        flagged = np.asarray(holdout.get(risk, {}).get("p", []), dtype=float) >= float(
            version.thresholds.get(risk, 0.5)
        )
        cells = np.asarray([[np.sum((y == t) & (flagged == f)) for f in (0, 1)] for t in (0, 1)])
        ax.imshow(cells, cmap="Blues")
        for (row, column), count in np.ndenumerate(cells):
            ax.text(column, row, str(count), ha="center", va="center")
        ax.set(
            title=risk,
            xticks=[0, 1],
            yticks=[0, 1],
            xticklabels=["not flagged", "flagged"],
            yticklabels=["no", "yes"],
        )
    return _save(figure, path)


def precision_at_k_png(version: ModelVersion, path: Path, settings: Settings) -> Path:
    """Precision at k (k = 1 .. hold-out size) per risk type."""
    plt = _pyplot()
    figure, ax = plt.subplots(figsize=(6, 4))
    for risk, h in holdout_predictions(version, settings).items():
        y, p = np.asarray(h["y"], dtype=int), np.asarray(h["p"], dtype=float)
        ks = np.arange(1, len(y) + 1)
        ax.plot(ks, [precision_at_k(y, p, int(k)) for k in ks], label=risk)
    ax.set(
        xlabel="k (highest scores first)",
        ylabel="precision",
        title="Precision at k (hold-out)",
        ylim=(0, 1.05),
    )
    ax.legend()
    return _save(figure, path)


def drift_png(report: Any, path: Path) -> Path:
    """Score and indicator PSI per source and risk type, with the alert threshold."""
    plt = _pyplot()
    rows = report.rows
    figure, ax = plt.subplots(figsize=(max(5, len(rows) * 0.9), 4))
    labels = [f"{r.source}\n{r.risk_type}" for r in rows]
    x = np.arange(len(rows))
    ax.bar(x - 0.2, [r.score_psi or 0 for r in rows], width=0.4, label="score PSI")
    ax.bar(x + 0.2, [r.indicator_psi or 0 for r in rows], width=0.4, label="max indicator PSI")
    ax.axhline(report.threshold, color="#c44e52", linestyle="--", label="alert threshold")
    ax.set_xticks(x, labels, fontsize=7)
    ax.set(title=f"Drift, week from {report.latest_from[:10]}", ylabel="PSI")
    ax.legend()
    return _save(figure, path)


def write_charts(
    session: Session, version: ModelVersion, settings: Settings, folder: Path | None = None
) -> list[Path]:
    """Every chart of a version under DATA_DIR/reports/<version>/ (or FOLDER)."""
    folder = folder or settings.data_dir / "reports" / version.version
    charts = [
        score_distribution_png(session, version, folder / "score_distribution.png", settings),
        reliability_png(version, folder / "reliability.png", settings),
        confusion_png(version, folder / "confusion.png", settings),
        precision_at_k_png(version, folder / "precision_at_k.png", settings),
    ]
    return [chart for chart in charts if chart is not None]


# The model card's words, English by default; a caller may pass the same keys in another language (the web
# UI passes Chinese from its catalogue, inspection/web/i18n/analyst.py "card.<key>"). Values are str.format templates.
CARD_TEXT: dict[str, str] = {
    "title": "Model card: {version}",
    "status_line": "Status **{status}**; created {created} UTC",
    "promoted": "; promoted {promoted} UTC",
    "end": ".",
    "status.champion": "champion",
    "status.candidate": "candidate",
    "status.retired": "retired",
    "intended_use": "Intended use",
    "intended_use_text": "Ranks crawled Chinese job and matchmaking listings by the risk that they advertise an illegal "
    "job agency, child labour (job ads) or an illegal marriage broker (matchmaking ads), so labour inspectors and "
    "market-regulation officers look at the riskiest first. Each score comes with its largest feature "
    "contributions and their legal basis. A score is a reason to inspect, never evidence of a violation: "
    "decisions rest on what the inspection establishes.",
    "training_data": "Training data",
    "sources": "Sources: ORFD (58.com ads of 2019 labelled fake/real; used as a proxy for illegal agency), the "
    "synthetic demo corpus (seed {seed}, {per_kind} ads a kind), hand-written development ads (the development "
    "halves of the challenge and probe sets, never their test halves) and inspection findings. Weights by source: "
    "{weights}. Quick mode: {quick}.",
    "fingerprint": "Data fingerprint `{fingerprint}`; {findings} examples from findings.",
    "metrics": "Metrics (hold-out: per source the newest ~20% of near-duplicate groups, never trained on)",
    "metric_header": "| risk type | ROC-AUC | AP | F1 | precision | recall | P@50 | Brier | threshold | n test (pos) |",
    "limits": "Limits",
    "limit_synthetic": "Synthetic ads are written from templates; scores on them flatter the model. ORFD's 'fake' "
    "is recruitment fraud in four large cities in 2019, not Jiangsu's illegal agencies.",
    "limit_bias": "Labels from inspections are biased towards what the model already flagged; the random-audit "
    "share of tasks and `labourwatch model compare` (bias section) measure how much.",
    "limit_calibration": "Calibration is fitted on a small split; check the reliability curve before reading a "
    "probability literally.",
    "limit_text": "Text features only see what a listing says; a careful illegal agency can write a clean ad.",
    "synthetic_only": "Warning: the metrics of {risk} come from synthetic or hand-written examples only, no real "
    "listing; they flatter the model.",
    "provenance": "Provenance",
    "file": "file `{path}`, SHA-256 `{sha256}` (checked before every load)",
    "code": "code version `{code}`; libraries {libraries}",
    "seconds": "training took {seconds} s",
    "risk.illegal_agency": "illegal_agency",
    "risk.child_labour": "child_labour",
    "risk.forced_labour": "forced_labour",
    "risk.illegal_marriage_broker": "illegal_marriage_broker",
    "source.orfd": "orfd",
    "source.synthetic": "synthetic",
    "source.hand": "hand-written",
    "source.finding": "finding",
}


def synthetic_only(version: ModelVersion) -> list[str]:
    """Risk types whose training (and so hold-out) examples hold no real listing (synthetic or hand-written
    only): their metrics flatter the model."""
    counts = (version.training or {}).get("provenance_counts", {})
    found = []
    for risk in RISK_TYPES:
        by_source = {name: int(n) for name, n in counts.get(risk, {}).items()}
        written = by_source.get("synthetic", 0) + by_source.get("hand", 0)
        if written > 0 and sum(by_source.values()) == written:
            found.append(risk)
    return found


def _metric_table(version: ModelVersion, text: dict[str, str]) -> list[str]:
    lines = [text["metric_header"], "|---|---|---|---|---|---|---|---|---|---|"]
    for risk in RISK_TYPES:
        m = version.metrics.get(risk, {})

        def cell(key: str, m: dict[str, Any] = m) -> str:
            return f"{m[key]:.3f}" if key in m else "–"

        lines.append(
            f"| {text[f'risk.{risk}']} | {cell('roc_auc')} | {cell('average_precision')} | {cell('f1')} | "
            f"{cell('precision')} | {cell('recall')} | {cell('precision_at_50')} | {cell('brier')} | "
            f"{version.thresholds.get(risk, 0):.3f} | {int(m.get('n_test', 0))} ({int(m.get('n_test_positive', 0))}) |"
        )
    return lines


def model_card(session: Session, version: ModelVersion, text: dict[str, str] | None = None) -> str:
    """A Markdown model card: intended use, data, metrics, limits, provenance of the file.

    TEXT gives the card's words (the keys of CARD_TEXT, English when not given).
    """
    w = CARD_TEXT | (text or {})
    training = version.training or {}
    counts = training.get("provenance_counts", {})
    plan = training.get("plan", {})
    data_lines = [
        f"- **{w[f'risk.{risk}']}**: "
        + ", ".join(f"{n} {w.get(f'source.{src}', src)}" for src, n in sorted(counts.get(risk, {}).items()))
        for risk in RISK_TYPES
    ]
    warnings = [f"- {w['synthetic_only'].format(risk=w[f'risk.{risk}'])}" for risk in synthetic_only(version)]
    status = w.get(f"status.{version.status}", version.status)
    created = f"{version.created_at:%Y-%m-%d %H:%M}"
    promoted = (
        w["promoted"].format(promoted=f"{version.promoted_at:%Y-%m-%d %H:%M}") if version.promoted_at else ""
    )
    return "\n".join(
        [
            f"# {w['title'].format(version=version.version)}",
            "",
            w["status_line"].format(status=status, created=created) + promoted + w["end"],
            "",
            f"## {w['intended_use']}",
            w["intended_use_text"],
            "",
            f"## {w['training_data']}",
            *data_lines,
            "",
            w["sources"].format(
                seed=plan.get("seed"),
                per_kind=plan.get("synthetic_per_kind"),
                weights=plan.get("weights"),
                quick=plan.get("quick"),
            ),
            w["fingerprint"].format(
                fingerprint=version.data_fingerprint, findings=len(training.get("finding_examples", []))
            ),
            "",
            f"## {w['metrics']}",
            *_metric_table(version, w),
            *(["", *warnings] if warnings else []),
            "",
            f"## {w['limits']}",
            f"- {w['limit_synthetic']}",
            f"- {w['limit_bias']}",
            f"- {w['limit_calibration']}",
            f"- {w['limit_text']}",
            "",
            f"## {w['provenance']}",
            f"- {w['file'].format(path=version.file_path, sha256=version.sha256)}",
            f"- {w['code'].format(code=version.code_version, libraries=json.dumps(version.library_versions))}",
            f"- {w['seconds'].format(seconds=training.get('seconds', '?'))}",
            "",
        ]
    )
