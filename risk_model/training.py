"""Training data from three sources, each example keeping its provenance, and `model_train`.

Sources (weights are settings, LABOURWATCH_MODEL_SOURCE_WEIGHTS):
- ORFD (58.com ads with fake/real labels) for illegal_agency, provenance "orfd:<data row>";
- the synthetic corpus (synthetic_ads.ads.generate_labelled_corpus) for all three risk types,
  provenance "synthetic:demo.ads:v1:seed=S:<kind>:<index>";
- inspection findings: Finding.labels joined to the task's listings (InspectionTask.listing_id and its
  TaskEvidence), provenance "finding:<id>"; the latest finding on a listing wins.

Hold-out: per source, the newest ~20% of near-duplicate groups (ORFD by posting date, the corpus by
generation order, findings by date) are kept out of training and give the recorded metrics. Findings
stay in training until there are at least HOLDOUT_MIN_FINDINGS of them for a risk type (they are scarce).
"""

from __future__ import annotations

import csv
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlmodel import Session, col

from risk_model.bundle import ModelBundle, save_bundle
from risk_model.evaluate import metrics
from risk_model.examples import RISK_TYPES, Example, data_fingerprint
from risk_model.grouping import near_duplicate_groups
from risk_model.orfd import DEFAULT_PATH as ORFD_PATH
from risk_model.orfd import orfd_label, row_to_example
from risk_model.persist import code_version, library_versions, sha256_bytes
from risk_model.pipeline import RiskModel, train_risk_model
from risk_model.records import KIND_OF_RISK, listing_record, registry_for_listings
from store.models import Finding, InspectionTask, Listing, ModelVersion, TaskEvidence
from store.settings import Settings
from store.types import utcnow

TEST_FRACTION = 0.2
AGENCY_MIN_REAL_POSITIVES = 100  # below this many ORFD fakes, illegal_agency also learns from the corpus
HOLDOUT_MIN_FINDINGS = 50
QUICK_ORFD_ROWS = 1000
QUICK_SYNTHETIC_PER_KIND = 600
ORFD_CITIES = ("北京", "上海", "广州", "深圳")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class TrainingRow:
    """One example for one risk type, with what splits and breakdowns need to know about it."""

    example: Example
    source: str  # orfd | synthetic | finding
    time: str  # sort key of the time-ordered split
    region: str = ""  # city code (findings) or city name (ORFD); "" unknown
    origin: str = ""  # for findings: the task's origin (model, audit, ...)


@dataclass(frozen=True)
class DataPlan:
    """How much of each source to use and with what weight."""

    orfd_limit: int = 0
    synthetic_per_kind: int = 1500
    seed: int = 2014
    weights: dict[str, float] = field(default_factory=lambda: {"orfd": 1.0, "synthetic": 0.5, "finding": 3.0})
    orfd_path: Path = ORFD_PATH
    quick: bool = False
    agency_corpus: str = "auto"  # auto | always | never (Settings.model_agency_corpus)

    @classmethod
    def from_settings(cls, settings: Settings, *, quick: bool | None = None) -> DataPlan:
        """The plan the settings describe (quick mode trims ORFD and the corpus)."""
        quick = settings.model_quick if quick is None else quick
        return cls(
            orfd_limit=QUICK_ORFD_ROWS if quick else settings.model_orfd_limit,
            synthetic_per_kind=min(settings.model_synthetic_per_kind, QUICK_SYNTHETIC_PER_KIND)
            if quick
            else settings.model_synthetic_per_kind,
            seed=settings.model_seed,
            weights={"orfd": 1.0, "synthetic": 0.5, "finding": 3.0} | dict(settings.model_source_weights),
            quick=quick,
            agency_corpus=settings.model_agency_corpus,
        )

    def describe(self) -> dict[str, Any]:
        """JSON-able description recorded in ModelVersion.training."""
        return {
            "orfd_limit": self.orfd_limit,
            "synthetic_per_kind": self.synthetic_per_kind,
            "seed": self.seed,
            "weights": self.weights,
            "orfd_file": self.orfd_path.name,
            "quick": self.quick,
            "agency_corpus": self.agency_corpus,
        }


def orfd_rows(plan: DataPlan) -> Iterator[TrainingRow]:
    """Labelled ORFD rows (illegal_agency), provenance 'orfd:<data row number>'."""
    if not plan.orfd_path.exists() or plan.orfd_limit < 0:
        return
    taken = 0
    with plan.orfd_path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=1):
            label = orfd_label(row.get("Real/Fake") or "")
            if label is None or not (row.get("jobDescription") or row.get("jobTitle")):
                continue
            example = replace(
                row_to_example(row, label), provenance=f"orfd:{number}", weight=plan.weights["orfd"]
            )
            city = (row.get("jobAddr") or "")[:2]
            yield TrainingRow(
                example, "orfd", example.fields.get("posted_at", ""), city if city in ORFD_CITIES else ""
            )
            taken += 1
            if plan.orfd_limit and taken >= plan.orfd_limit:
                return


def synthetic_rows(plan: DataPlan, risk_type: str) -> list[TrainingRow]:
    """The synthetic labelled corpus of the risk type's listing kind."""
    from synthetic_ads.ads import generate_labelled_corpus

    kind = KIND_OF_RISK[risk_type]
    rows = []
    for index, item in enumerate(generate_labelled_corpus(plan.seed, plan.synthetic_per_kind, kind)):
        title, _, body = item.text.partition("\n")
        example = Example(
            example_id=f"synthetic:{kind}:{plan.seed}:{index}",
            title=title,
            body=body,
            label=int(bool(item.labels[risk_type])),
            provenance=f"{item.provenance}:{kind}:{index}",
            weight=plan.weights["synthetic"],
        )
        rows.append(TrainingRow(example, "synthetic", f"{index:08d}"))
    return rows


def finding_rows(session: Session, plan: DataPlan) -> dict[str, list[TrainingRow]]:
    """Examples from inspection findings by risk type; the latest finding on a listing wins."""
    statement = (
        select(Finding, InspectionTask)
        .join(InspectionTask, col(Finding.task_id) == col(InspectionTask.id))
        .order_by(col(Finding.created_at), col(Finding.id))
    )
    latest: dict[tuple[str, int], tuple[Finding, InspectionTask, int]] = {}
    for finding, task in session.execute(statement).all():
        for listing_id in _task_listing_ids(session, task):
            for risk_type, value in (finding.labels or {}).items():
                if risk_type in RISK_TYPES and value is not None:
                    latest[(risk_type, listing_id)] = (finding, task, int(bool(value)))
    listings = _listings_by_id(session, {listing_id for _, listing_id in latest})
    registry = registry_for_listings(session, list(listings.values()))
    out: dict[str, list[TrainingRow]] = {risk: [] for risk in RISK_TYPES}
    for (risk_type, listing_id), (finding, task, label) in sorted(latest.items()):
        listing = listings.get(listing_id)
        if listing is None or listing.kind != KIND_OF_RISK[risk_type]:
            continue  # a label about a kind of listing the risk type does not score
        out[risk_type].append(_finding_row(listing, finding, task, label, plan, registry.get(listing_id)))
    return out


def _finding_row(
    listing: Listing,
    finding: Finding,
    task: InspectionTask,
    label: int,
    plan: DataPlan,
    registry: dict[str, str] | None = None,
) -> TrainingRow:
    record = listing_record(listing, registry)
    example = Example(
        example_id=f"listing:{listing.id}",
        title=record.pop("title"),
        body=record.pop("body"),
        company_name=record.pop("company_name"),
        fields=record,
        label=label,
        provenance=f"finding:{finding.id}",
        weight=plan.weights["finding"],
    )
    return TrainingRow(
        example, "finding", finding.created_at.isoformat(), listing.city_code or "", task.origin
    )


def _task_listing_ids(session: Session, task: InspectionTask) -> list[int]:
    statement = select(col(TaskEvidence.listing_id)).where(col(TaskEvidence.task_id) == task.id)
    ids = set(session.execute(statement).scalars())
    if task.listing_id is not None:
        ids.add(task.listing_id)
    return sorted(ids)


def _listings_by_id(session: Session, ids: set[int]) -> dict[int, Listing]:
    found: dict[int, Listing] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        statement = select(Listing).where(col(Listing.id).in_(chunk))
        found.update({listing.id: listing for listing in session.execute(statement).scalars()})
    return found


def collect_training_data(session: Session, plan: DataPlan) -> dict[str, list[TrainingRow]]:
    """Every training row by risk type: ORFD, synthetic corpus and findings, provenance kept.

    illegal_agency learns from real data (ORFD + findings); with plan.agency_corpus "auto" the synthetic
    corpus joins it only when ORFD gives fewer than AGENCY_MIN_REAL_POSITIVES fakes (data absent, or a
    small sample), since its template-clean ads cost ORFD ~0.07 AP (docs/model.md); "always" adds it
    (the demo, whose sites the same generator writes), "never" leaves it out.
    """
    return collect_rows_without_db(plan, finding_rows(session, plan))


def collect_rows_without_db(
    plan: DataPlan, findings: dict[str, list[TrainingRow]] | None = None
) -> dict[str, list[TrainingRow]]:
    """ORFD, the synthetic corpus and the given finding rows by risk type (benchmarks pass none)."""
    findings = findings or {risk: [] for risk in RISK_TYPES}
    data = {risk: synthetic_rows(plan, risk) + findings[risk] for risk in RISK_TYPES}
    orfd = list(orfd_rows(plan))
    real_fakes = sum(row.example.label for row in orfd)
    corpus = plan.agency_corpus == "always" or (
        plan.agency_corpus == "auto" and real_fakes < AGENCY_MIN_REAL_POSITIVES
    )
    data["illegal_agency"] = orfd + (data["illegal_agency"] if corpus else findings["illegal_agency"])
    return data


def row_groups(rows: Sequence[TrainingRow]) -> np.ndarray:
    """Near-duplicate group of each row (company + body), as the model's own calibration split uses."""
    return near_duplicate_groups([r.example.company_name + "\n" + r.example.body for r in rows])


def holdout_split(rows: Sequence[TrainingRow], groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) indices: per source, the newest ~20% of groups; groups never straddle the split."""
    n_findings = sum(r.source == "finding" for r in rows)
    keep_in_training = {"finding"} if n_findings < HOLDOUT_MIN_FINDINGS else set()
    test_groups: set[int] = set()
    for source in sorted({r.source for r in rows} - keep_in_training):
        newest: dict[int, str] = {}
        for index, row in enumerate(rows):
            if row.source == source:
                newest[int(groups[index])] = max(newest.get(int(groups[index]), ""), row.time)
        ordered = sorted(newest, key=lambda g: (newest[g], g), reverse=True)
        test_groups.update(ordered[: max(1, round(len(ordered) * TEST_FRACTION))])
    test_groups -= {int(groups[i]) for i, r in enumerate(rows) if r.source in keep_in_training}
    in_test = np.asarray([int(g) in test_groups for g in groups], dtype=bool)
    return np.flatnonzero(~in_test), np.flatnonzero(in_test)


def safe_metrics(y: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, float]:
    """risk_model.evaluate.metrics, or only the counts when the test part has a single class."""
    counts = {"n_test": float(len(y)), "n_test_positive": float(int(y.sum()))}
    if len(y) == 0 or y.min() == y.max():
        return counts | {"threshold": float(threshold)}
    return metrics(y, scores, threshold) | counts


@dataclass
class TrainedRiskType:
    """One risk type's model with its hold-out predictions."""

    model: RiskModel
    metrics: dict[str, float]
    holdout: dict[str, list[Any]]
    provenance_counts: dict[str, int]
    fingerprint: str
    n_train: int
    n_test: int


# Measured on 2 cores (600 synthetic ads, 2^20 + 2^18 hashed columns): lbfgs 13.3 s, newton-cg 4.0 s with
# the same ROC-AUC; L-BFGS-B's per-iteration cost grows with the column count, newton-cg's far less.


def fit_risk_model(
    examples: Sequence[Example], risk_type: str, *, groups: np.ndarray, seed: int
) -> RiskModel:
    """Train one risk type's calibrated model on the given near-duplicate groups."""
    return train_risk_model(examples, risk_type, groups=groups, seed=seed)


def train_one(rows: Sequence[TrainingRow], risk_type: str, seed: int) -> TrainedRiskType:
    """Split, train on the older part, measure on the newest part."""
    groups = row_groups(rows)
    train, test = holdout_split(rows, groups)
    examples = [rows[i].example for i in train]
    model = fit_risk_model(examples, risk_type, groups=groups[train], seed=seed)
    test_rows = [rows[i] for i in test]
    y = np.asarray([r.example.label for r in test_rows], dtype=int)
    scores = model.predict_proba([r.example.record() for r in test_rows]) if test_rows else np.zeros(0)
    holdout = {
        "id": [r.example.example_id for r in test_rows],
        "y": y.tolist(),
        "p": [round(float(p), 6) for p in scores],
        "source": [r.source for r in test_rows],
        "region": [r.region for r in test_rows],
    }
    return TrainedRiskType(
        model=model,
        metrics=safe_metrics(y, scores, model.threshold),
        holdout=holdout,
        provenance_counts=dict(Counter(r.source for r in rows)),
        fingerprint=data_fingerprint(r.example for r in rows),
        n_train=len(train),
        n_test=len(test),
    )


def shuffled_labels(rows: Sequence[TrainingRow], seed: int) -> list[TrainingRow]:
    """The same rows with labels permuted (a deliberately useless model, for checks of promotion)."""
    labels = [r.example.label for r in rows]
    random.Random(seed).shuffle(labels)
    return [
        replace(r, example=replace(r.example, label=label)) for r, label in zip(rows, labels, strict=True)
    ]


def train_all(
    data: dict[str, list[TrainingRow]], seed: int, progress: Progress | None = None
) -> dict[str, TrainedRiskType]:
    """One trained model per risk type."""
    trained = {}
    for risk_type in RISK_TYPES:
        if progress:
            progress(f"training {risk_type} on {len(data[risk_type])} examples")
        trained[risk_type] = train_one(data[risk_type], risk_type, seed)
    return trained


def combined_fingerprint(trained: dict[str, TrainedRiskType]) -> str:
    """SHA-256 over the per-risk-type data fingerprints."""
    text = "\n".join(f"{risk}\t{trained[risk].fingerprint}" for risk in sorted(trained))
    return sha256_bytes(text.encode())


def new_version_name(fingerprint: str) -> str:
    """A sortable, unique version name: time to the microsecond and the data fingerprint."""
    return f"v{utcnow():%Y%m%d-%H%M%S-%f}-{fingerprint[:8]}"


def model_path(settings: Settings, relative: str) -> Path:
    """Absolute path of a model file recorded relative to the data folder."""
    path = Path(relative)
    return path if path.is_absolute() else settings.data_dir / path


def register_candidate(
    session: Session,
    *,
    settings: Settings,
    trained: dict[str, TrainedRiskType],
    data: dict[str, list[TrainingRow]],
    plan: DataPlan,
    seconds: float,
    notes: str | None = None,
) -> ModelVersion:
    """Save the bundle under DATA_DIR/models and record it as a candidate ModelVersion."""
    fingerprint = combined_fingerprint(trained)
    version = new_version_name(fingerprint)
    relative = f"models/{version}.skops"
    metadata = {"data_fingerprint": fingerprint, "code_version": code_version()}
    bundle = ModelBundle(version, {risk: t.model for risk, t in trained.items()}, metadata)
    digest = save_bundle(bundle, model_path(settings, relative))
    holdout_file = model_path(settings, f"models/{version}.holdout.json")
    holdout_file.write_text(json.dumps({r: t.holdout for r, t in trained.items()}, ensure_ascii=False))
    row = ModelVersion(
        version=version,
        file_path=relative,
        sha256=digest,
        data_fingerprint=fingerprint,
        code_version=metadata["code_version"][:60],
        library_versions=library_versions(),
        metrics={risk: t.metrics for risk, t in trained.items()},
        thresholds={risk: float(t.model.threshold) for risk, t in trained.items()},
        training=training_record(trained, data, plan, seconds),
        notes=notes,
    )
    session.add(row)
    session.flush()
    return row


def training_record(
    trained: dict[str, TrainedRiskType], data: dict[str, list[TrainingRow]], plan: DataPlan, seconds: float
) -> dict[str, Any]:
    """What ModelVersion.training holds: plan, counts by source, fingerprints, finding examples."""
    findings = [
        {
            "risk_type": risk,
            "example_id": r.example.example_id,
            "provenance": r.example.provenance,
            "label": r.example.label,
            "origin": r.origin,
        }
        for risk, rows in data.items()
        for r in rows
        if r.source == "finding"
    ]
    return {
        "plan": plan.describe(),
        "provenance_counts": {risk: t.provenance_counts for risk, t in trained.items()},
        "data_fingerprints": {risk: t.fingerprint for risk, t in trained.items()},
        "n_train": {risk: t.n_train for risk, t in trained.items()},
        "n_test": {risk: t.n_test for risk, t in trained.items()},
        "holdout": {
            "rule": "per source, newest ~20% of near-duplicate groups",
            "min_findings": HOLDOUT_MIN_FINDINGS,
        },
        "finding_examples": findings,
        "seconds": round(seconds, 2),
    }


def model_train(
    session: Session,
    *,
    settings: Settings,
    quick: bool | None = None,
    progress: Progress | None = None,
    promote_first: bool = True,
    actor: str = "system",
) -> ModelVersion:
    """Train a candidate on ORFD + synthetic corpus + findings; the very first model becomes champion."""
    started = time.perf_counter()
    plan = DataPlan.from_settings(settings, quick=quick)
    if progress:
        progress("collecting training data")
    data = collect_training_data(session, plan)
    trained = train_all(data, plan.seed, progress)
    version = register_candidate(
        session,
        settings=settings,
        trained=trained,
        data=data,
        plan=plan,
        seconds=time.perf_counter() - started,
    )
    if promote_first:
        from risk_model.registry import champion, model_promote, unusable_reason

        current = champion(session)
        if current is None:
            model_promote(session, version=version.version, actor=actor, settings=settings)
        elif (reason := unusable_reason(current, settings)) is not None:
            # A champion this code cannot run would stop all scoring: replace it (audited as forced).
            model_promote(
                session,
                version=version.version,
                actor=actor,
                settings=settings,
                force_reason=f"champion {current.version} cannot be used: {reason}",
            )
    return version
