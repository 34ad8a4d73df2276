"""Charts (PNG, matplotlib Agg) and the Markdown model card of a model version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlmodel import Session, col

from risk_model.evaluate import precision_at_k, reliability_plot
from risk_model.examples import RISK_TYPES
from store.models import ModelVersion, RiskScore
from store.settings import Settings


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # servers have no display
    import matplotlib.pyplot as plt

    return plt


def holdout_predictions(version: ModelVersion, settings: Settings) -> dict[str, dict[str, list[Any]]]:
    """The hold-out labels and probabilities saved beside the model file at training."""
    from risk_model.training import model_path

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


def _metric_table(version: ModelVersion) -> list[str]:
    lines = [
        "| risk type | ROC-AUC | AP | F1 | precision | recall | P@50 | Brier | threshold | n test (pos) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for risk in RISK_TYPES:
        m = version.metrics.get(risk, {})

        def cell(key: str, m: dict[str, Any] = m) -> str:
            return f"{m[key]:.3f}" if key in m else "–"

        lines.append(
            f"| {risk} | {cell('roc_auc')} | {cell('average_precision')} | {cell('f1')} | {cell('precision')} | "
            f"{cell('recall')} | {cell('precision_at_50')} | {cell('brier')} | {version.thresholds.get(risk, 0):.3f} | "
            f"{int(m.get('n_test', 0))} ({int(m.get('n_test_positive', 0))}) |"
        )
    return lines


def model_card(session: Session, version: ModelVersion) -> str:
    """A Markdown model card: intended use, data, metrics, limits, provenance of the file."""
    training = version.training or {}
    counts = training.get("provenance_counts", {})
    plan = training.get("plan", {})
    data_lines = [
        f"- **{risk}**: " + ", ".join(f"{n} {src}" for src, n in sorted(counts.get(risk, {}).items()))
        for risk in RISK_TYPES
    ]
    return "\n".join(
        [
            f"# Model card: {version.version}",
            "",
            f"Status **{version.status}**; created {version.created_at:%Y-%m-%d %H:%M} UTC"
            + (f"; promoted {version.promoted_at:%Y-%m-%d %H:%M} UTC" if version.promoted_at else "")
            + ".",
            "",
            "## Intended use",
            "Ranks crawled Chinese job and matchmaking listings by the risk that they advertise an illegal job agency, "
            "child labour (job ads) or an illegal marriage broker (matchmaking ads), so labour inspectors and "
            "market-regulation officers look at the riskiest first. Each score comes with its largest feature "
            "contributions and their legal basis. A score is a reason to inspect, never evidence of a violation: "
            "decisions rest on what the inspection establishes.",
            "",
            "## Training data",
            *data_lines,
            "",
            f"Sources: ORFD (58.com ads of 2019 labelled fake/real; used as a proxy for illegal agency), the synthetic "
            f"demo corpus (seed {plan.get('seed')}, {plan.get('synthetic_per_kind')} ads a kind) and inspection "
            f"findings. Weights by source: {plan.get('weights')}. Quick mode: {plan.get('quick')}.",
            f"Data fingerprint `{version.data_fingerprint}`; {len(training.get('finding_examples', []))} examples from findings.",
            "",
            "## Metrics (hold-out: per source the newest ~20% of near-duplicate groups, never trained on)",
            *_metric_table(version),
            "",
            "## Limits",
            "- Synthetic ads are written from templates; scores on them flatter the model. ORFD's 'fake' is "
            "recruitment fraud in four large cities in 2019, not Jiangsu's illegal agencies.",
            "- Labels from inspections are biased towards what the model already flagged; the random-audit share of "
            "tasks and `labourwatch model compare` (bias section) measure how much.",
            "- Calibration is fitted on a small split; check the reliability curve before reading a probability literally.",
            "- Text features only see what a listing says; a careful illegal agency can write a clean ad.",
            "",
            "## Provenance",
            f"- file `{version.file_path}`, SHA-256 `{version.sha256}` (checked before every load)",
            f"- code version `{version.code_version}`; libraries {json.dumps(version.library_versions)}",
            f"- training took {training.get('seconds', '?')} s",
            "",
        ]
    )
