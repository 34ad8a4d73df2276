"""Training data from three sources, each example keeping its provenance.

Sources (weights are settings, LABOURWATCH_MODEL_SOURCE_WEIGHTS; a weight of 0 leaves a source out):
- ORFD (58.com ads with fake/real labels) for illegal_agency, provenance "orfd:<data row>";
- the synthetic corpus (synthetic_ads.ads.generate_labelled_corpus) for all three risk types,
  provenance "synthetic:demo.ads:v1:seed=S:<kind>:<index>";
- the hand-written development ads (risk_model.data.hand_written: the challenge set's development half
  and the probe sets' development items, never a test or held-out half) for the risk types the corpus
  trains, provenance "hand:<item id>";
- inspection findings: Finding.labels joined to the task's listings (InspectionTask.listing_id and its
  TaskEvidence), provenance "finding:<id>"; the latest finding on a listing wins.

How the rows are split and fitted is risk_model.training.fit; `labourwatch model train` is
risk_model.ops.train.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from risk_model.data.examples import RISK_TYPES, Example
from risk_model.data.hand_written import TESTS as HAND_WRITTEN_ROOT
from risk_model.data.hand_written import development_items
from risk_model.data.orfd import DEFAULT_PATH as ORFD_PATH
from risk_model.data.orfd import orfd_label, row_to_example
from risk_model.data.records import KIND_OF_RISK, listing_record, registry_for_listings
from store.models import Finding, InspectionTask, Listing, TaskEvidence
from store.settings import Settings

AGENCY_MIN_REAL_POSITIVES = 100  # below this many ORFD fakes, illegal_agency also learns from the corpus
QUICK_ORFD_ROWS = 1000
QUICK_SYNTHETIC_PER_KIND = 600
ORFD_CITIES = ("北京", "上海", "广州", "深圳")
DEFAULT_WEIGHTS = {"orfd": 1.0, "synthetic": 0.5, "hand": 1.0, "finding": 3.0}  # as Settings' default


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
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
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
            weights=DEFAULT_WEIGHTS | dict(settings.model_source_weights),
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
            # how many hand-written ads were found (0 where the tests folder is absent or the weight is 0)
            "hand_written_items": len(development_items()) if self.weights.get("hand", 0.0) > 0 else 0,
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


def hand_written_rows(plan: DataPlan, risk_type: str, root: Path = HAND_WRITTEN_ROOT) -> list[TrainingRow]:
    """The hand-written development ads, labelled for RISK_TYPE (none where the source's weight is 0).

    People wrote them from the law in the ways posters write, so they teach the learned model wording the
    generated corpus lacks. Each item's writer set all four labels, so every risk type learns from every
    item, job posts and marriage posts alike (a finding labels only what was checked on its listing's
    kind). Trained with the other writers' sets, each probe set's marriage ROC-AUC held or rose
    (docs/model.md, "Hand-written development ads in training")."""
    weight = plan.weights.get("hand", 0.0)  # plans recorded before this source have none
    if weight <= 0:
        return []
    rows = []
    for index, item in enumerate(development_items(root)):
        example = Example(
            example_id=f"hand:{item['id']}",
            title=item.get("title", ""),
            body=item.get("body", ""),
            company_name=item.get("company_name", ""),
            label=int(bool(item["labels"][risk_type])),
            provenance=f"hand:{item['id']}",
            weight=weight,
        )
        rows.append(TrainingRow(example, "hand", f"{index:08d}"))
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
    """Every training row by risk type: ORFD, synthetic corpus, hand-written ads and findings, provenance
    kept.

    illegal_agency learns from real data (ORFD + findings); with plan.agency_corpus "auto" the synthetic
    corpus joins it only when ORFD gives fewer than AGENCY_MIN_REAL_POSITIVES fakes (data absent, or a
    small sample), since its template-clean ads cost ORFD ~0.07 AP (docs/model.md); "always" adds it
    (the demo, whose sites the same generator writes), "never" leaves it out.
    """
    return collect_rows_without_db(plan, finding_rows(session, plan))


def collect_rows_without_db(
    plan: DataPlan, findings: dict[str, list[TrainingRow]] | None = None
) -> dict[str, list[TrainingRow]]:
    """ORFD, the synthetic corpus, the hand-written development ads and the given finding rows by risk
    type (benchmarks pass none)."""
    findings = findings or {risk: [] for risk in RISK_TYPES}
    data = {
        risk: synthetic_rows(plan, risk) + hand_written_rows(plan, risk) + findings[risk]
        for risk in RISK_TYPES
    }
    orfd = list(orfd_rows(plan))
    real_fakes = sum(row.example.label for row in orfd)
    corpus = plan.agency_corpus == "always" or (
        plan.agency_corpus == "auto" and real_fakes < AGENCY_MIN_REAL_POSITIVES
    )
    data["illegal_agency"] = orfd + (data["illegal_agency"] if corpus else findings["illegal_agency"])
    return data
