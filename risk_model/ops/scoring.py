"""Scoring with the champion: incremental listing scores in bounded batches, organisation roll-up.

Incremental: a listing is (re)scored when the champion has no RiskScore for it with the listing's current
content_hash, so unchanged listings are skipped and changed ones rescored. Scores are keyed by
(listing, model version, risk type), so every score keeps the model version that made it.

Organisation roll-up: the MAXIMUM of the current scores of the organisation's listings per risk type
(not noisy-or: one agency posting 30 mildly odd ads should not outrank one posting a clearly illegal ad).
"""

from __future__ import annotations

import gc
import math
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, select
from sqlmodel import Session, col

from risk_model.data.records import RISK_TYPES_BY_KIND, listing_record, registry_for_listings
from risk_model.features import ad_text
from risk_model.features.evidence import RecordText
from risk_model.features.indicators import Indicator, indicator_spans, indicators
from risk_model.features.legal_prior import prior_of, with_prior
from risk_model.features.rules import Rule, rule_hits, rules
from risk_model.model.explanations import Contribution, SharedFeatures, calibrated_probability, explain_rows
from risk_model.model.model_files import ModelBundle
from store.models import Listing, ModelVersion, RiskScore
from store.settings import Settings
from store.types import utcnow
from store.upsert import upsert

EXPLANATION_TOP = 6
LISTING_COLUMNS = (
    col(Listing.id),
    col(Listing.kind),
    col(Listing.title),
    col(Listing.body),
    col(Listing.salary_text),
    col(Listing.employer_name),
    col(Listing.credit_code),
    col(Listing.organisation_id),
    col(Listing.location_text),
    col(Listing.posted_date),
    col(Listing.contacts),
    col(Listing.content_hash),
)


def contribution_json(contribution: Contribution, text: RecordText | None = None) -> dict[str, Any]:
    """One contribution (log-odds, with legal basis and Chinese meaning) as a JSON-able dict.

    An indicator's entry carries the spans it matched, on the listing's fields as written.
    """
    out = {
        "feature": contribution.feature,
        "kind": contribution.kind,
        "value": round(contribution.value, 4),
        "weight": round(contribution.weight, 4),
        "legal_basis": contribution.legal_basis,
        "meaning": contribution.meaning,
    }
    if contribution.kind == "indicator" and text is not None:
        out["spans"] = indicator_spans_json(text, contribution.feature)
    return out


def indicator_spans_json(text: RecordText, name: str) -> list[dict[str, Any]]:
    """Indicator NAME's spans in TEXT's joined text, located on the fields as written.

    Where no span is found (most explained indicators), the fields are never folded with their maps.
    TEXT keeps a joined text handed to it only where it is the mapped fold's (RecordText, folds_alike).
    """
    return text.spans_json(indicator_spans(text.joined, name))


def rule_json(rule: Rule, spans: list[Any], text: RecordText) -> dict[str, Any]:
    """A must-inspect rule that fired, in the explanation's shape (kind "rule", weight 0)."""
    return {
        "feature": rule.name,
        "kind": "rule",
        "value": 1.0,
        "weight": 0.0,
        "legal_basis": rule.legal_basis,
        "meaning": rule.meaning,
        "spans": text.spans_json(spans),
    }


def score_records(
    bundle: ModelBundle,
    kind: str,
    records: Sequence[Mapping[str, Any]],
    risk_types: Sequence[str] | None = None,
) -> list[dict[str, tuple[float, list[dict[str, Any]]]]]:
    """Per record: {risk type: (probability, explanation)} for RISK_TYPES (default: the kind's).

    The explanation holds the top contributions (indicators with their spans) and, first, every
    must-inspect rule that fired (risk_model.features.rules).

    Python's cyclic garbage collector is paused while the batch is scored (``collector_paused``).
    """
    with collector_paused():
        return _score_records(bundle, kind, records, risk_types)


# collector_paused: how many blocks hold the collector paused (any thread), and whether it was on before.
_PAUSE_LOCK = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for the block, then left as it was.

    Scoring a batch allocates ~100,000 short-lived objects (spans, matches, entries) and makes no
    reference cycle (a test checks): reference counting frees all of it. With the collector on, those
    allocations set off its passes over every object of the process (the loaded models, the caller's
    records, a web app's whole heap), ~12% of scoring's time. Paused, the batch's garbage is freed all
    the same and the process's cycles are collected at the next pass after it.

    The collector is the process's, so the pause is counted under a lock: the first block in (whatever
    its thread) notes whether it was on and turns it off, the last block out turns it back on if it was.
    Scheduler jobs score in threads beside each other; neither can leave it off for good.
    """
    global _pauses, _was_enabled
    with _PAUSE_LOCK:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()


def _score_records(
    bundle: ModelBundle,
    kind: str,
    records: Sequence[Mapping[str, Any]],
    risk_types: Sequence[str] | None,
) -> list[dict[str, tuple[float, list[dict[str, Any]]]]]:
    out: list[dict[str, tuple[float, list[dict[str, Any]]]]] = [{} for _ in records]
    if not records:
        return out
    risk_types = tuple(risk_types or RISK_TYPES_BY_KIND[kind])
    shared = SharedFeatures(records, bundle.models[risk_types[0]].base.named_steps["fold"])
    texts: list[RecordText | None] = [None] * len(records)
    indicator_values = shared.indicator_block()
    # Per record, once for every risk type: its joined text and the indicators that fired (most have not).
    joined = [ad_text(folded) for folded in shared.folded]
    fired = [
        [(indicator, value) for indicator, value in zip(indicators(), row, strict=True) if value > 0]
        for row in indicator_values.tolist()  # Python floats: cheaper to read one by one than numpy's
    ]
    # A rule reads its indicator's spans: a record where none of those found anything (most) fires none.
    rule_indicators = {rule.indicator for rule in rules() if rule.risk_type in risk_types}
    may_fire = [any(indicator_spans(text, name) for name in rule_indicators) for text in joined]
    for risk_type in risk_types:
        model = bundle.models[risk_type]
        matrix = shared.matrix(model.base)
        probabilities = with_prior(
            risk_type,
            calibrated_probability(model, model.base.named_steps["clf"].decision_function(matrix)),
            indicator_values,
        )
        explanations = explain_rows(model.base, shared.folded, matrix, EXPLANATION_TOP, shared.names)
        for index, probability in enumerate(probabilities):
            hits = rule_hits(joined[index], risk_type) if may_fire[index] else []
            needs_text = hits or any(c.kind == "indicator" for c in explanations[index])
            if needs_text and texts[index] is None:
                texts[index] = RecordText(records[index], joined[index])
            text = texts[index]
            entries = [rule_json(rule, spans, text) for rule, spans in hits] if text else []
            entries += [contribution_json(c, text) for c in explanations[index]]
            entries += _prior_entries(
                risk_type, fired[index], entries, records[index], joined[index], texts, index
            )
            out[index][risk_type] = (float(probability), entries)
    return out


def _prior_entries(
    risk_type: str,
    fired: Sequence[tuple[Indicator, float]],
    entries: list[dict[str, Any]],
    record: Mapping[str, Any],
    joined: str,
    texts: list[RecordText | None],
    index: int,
) -> list[dict[str, Any]]:
    """Every FIRED indicator (with its value) that carries a legal prior for RISK_TYPE and is not listed
    yet, with spans.

    The top contributions name what moved the model; these name what the law says raised the score.
    """
    if not fired:  # most records: no indicator fired, no prior to look up
        return []
    listed = {entry["feature"] for entry in entries}
    out = []
    for indicator, value in fired:
        prior = prior_of(risk_type, indicator.name)
        if prior <= 0 or indicator.name in listed:
            continue
        if texts[index] is None:
            texts[index] = RecordText(record, joined)
        text = texts[index]
        assert text is not None
        out.append(
            {
                "feature": indicator.name,
                "kind": "indicator",
                "value": round(float(value), 4),
                "weight": round(-math.log1p(-prior), 4),
                "legal_basis": indicator.legal_basis,
                "meaning": indicator.meaning,
                "prior": prior,
                "spans": indicator_spans_json(text, indicator.name),
            }
        )
    return out


def rule_fired(explanation: Sequence[Mapping[str, Any]]) -> bool:
    """An explanation holds a must-inspect rule (the listing opens a task whatever its score)."""
    return any(entry.get("kind") == "rule" for entry in explanation)


@dataclass
class ScoreRun:
    """What one incremental scoring run did."""

    model_version: str
    listings: int = 0
    scores: int = 0
    batches: int = 0
    seconds: float = 0.0


def _pending(session: Session, model_version_id: int, after_id: int, limit: int) -> list[Any]:
    current = exists().where(
        col(RiskScore.listing_id) == col(Listing.id),
        col(RiskScore.model_version_id) == model_version_id,
        col(RiskScore.content_hash) == col(Listing.content_hash),
    )
    statement = (
        select(*LISTING_COLUMNS)
        .where(col(Listing.active), col(Listing.id) > after_id, ~current)
        .order_by(col(Listing.id))
        .limit(limit)
    )
    return list(session.execute(statement).all())


def pending_count(session: Session, model_version_id: int) -> int:
    """How many active listings lack a current score from this model version."""
    current = exists().where(
        col(RiskScore.listing_id) == col(Listing.id),
        col(RiskScore.model_version_id) == model_version_id,
        col(RiskScore.content_hash) == col(Listing.content_hash),
    )
    statement = select(func.count()).select_from(Listing).where(col(Listing.active), ~current)
    return int(session.execute(statement).scalar_one())


def _score_rows(
    session: Session, bundle: ModelBundle, version_id: int, rows: Sequence[Any]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    now = utcnow()
    registry = registry_for_listings(session, rows)
    for kind in RISK_TYPES_BY_KIND:
        batch = [row for row in rows if row.kind == kind]
        scored = score_records(bundle, kind, [listing_record(row, registry.get(row.id)) for row in batch])
        for row, by_risk in zip(batch, scored, strict=True):
            out += [
                {
                    "listing_id": row.id,
                    "model_version_id": version_id,
                    "risk_type": risk_type,
                    "probability": min(max(probability, 0.0), 1.0),
                    "content_hash": row.content_hash,
                    "explanation": explanation,
                    "scored_at": now,
                }
                for risk_type, (probability, explanation) in by_risk.items()
            ]
    return out


def score_listings(
    session: Session,
    *,
    settings: Settings,
    batch_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    commit: bool = True,
) -> ScoreRun:
    """Score new and changed active listings with the champion, batch by batch (memory stays bounded).

    Commits after each batch (unless COMMIT is false), so a long run keeps what it has done.
    """
    from risk_model.ops.registry import load_champion

    version, bundle = load_champion(session, settings)
    assert version.id is not None
    size = batch_size or settings.model_score_batch_size
    run, started, after_id = ScoreRun(version.version), time.perf_counter(), 0
    total = pending_count(session, version.id)
    while rows := _pending(session, version.id, after_id, size):
        written = _score_rows(session, bundle, version.id, rows)
        upsert(session, RiskScore, written, keys=["listing_id", "model_version_id", "risk_type"])
        if commit:
            session.commit()
        run.listings, run.scores, run.batches = (
            run.listings + len(rows),
            run.scores + len(written),
            run.batches + 1,
        )
        after_id = rows[-1].id
        if progress:
            progress(run.listings, total)
    run.seconds = round(time.perf_counter() - started, 3)
    return run


@dataclass(frozen=True)
class OrganisationRisk:
    """One risk type's roll-up over an organisation's listings (maximum of current scores)."""

    risk_type: str
    probability: float
    listing_id: int
    listings: int
    flagged: int


def organisation_risk(
    session: Session, org_id: int, *, model_version: ModelVersion | None = None
) -> dict[str, OrganisationRisk]:
    """Per risk type: the highest current score among the organisation's listings (champion by default)."""
    from risk_model.ops.registry import champion

    version = model_version or champion(session)
    if version is None:
        return {}
    statement = (
        select(col(RiskScore.risk_type), col(RiskScore.probability), col(RiskScore.listing_id))
        .join(Listing, col(Listing.id) == col(RiskScore.listing_id))
        .where(
            col(Listing.organisation_id) == org_id,
            col(RiskScore.model_version_id) == version.id,
            col(RiskScore.content_hash) == col(Listing.content_hash),
        )
    )
    grouped: dict[str, list[tuple[float, int]]] = {}
    for risk_type, probability, listing_id in session.execute(statement).all():
        grouped.setdefault(risk_type, []).append((float(probability), int(listing_id)))
    out = {}
    for risk_type, scores in grouped.items():
        threshold = float((version.thresholds or {}).get(risk_type, 0.5))
        best = max(scores)
        flagged = sum(p >= threshold for p, _ in scores)
        out[risk_type] = OrganisationRisk(risk_type, best[0], best[1], len(scores), flagged)
    return out
