"""Scoring a JSON-lines file of ads with a model (`labourwatch model score --input`): no database involved.

Every line is checked (risk_model.data.jsonl_files); invalid lines are counted and reported, the rest
are scored in bounded batches with risk_model.ops.scoring.score_records and written in input order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from risk_model.data.examples import RISK_TYPES
from risk_model.data.records import RISK_TYPES_BY_KIND, json_record
from risk_model.model.model_files import ModelBundle
from risk_model.ops.scoring import rule_fired, score_records

MAX_REPORTED_ERRORS = 1_000
MAX_BATCH_CHARS = 2_000_000


@dataclass
class JsonlReport:
    """Outcome of scoring a JSON-lines file: counts, and the first MAX_REPORTED_ERRORS refused lines."""

    scored: int = 0
    invalid: int = 0
    truncated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def refuse(self, line: int, reason: str) -> None:
        """Count a refused line; keep its reason while fewer than MAX_REPORTED_ERRORS are kept."""
        self.invalid += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append((line, reason))


def _output_line(
    item: Any, by_risk: Mapping[str, tuple[float, list[Any]]], thresholds: Mapping[str, float]
) -> str:
    out = {
        "id": item.fields["id"],
        "kind": item.fields["kind"],
        "probabilities": {risk: round(p, 6) for risk, (p, _) in by_risk.items()},
        "flagged": {risk: p >= thresholds[risk] or rule_fired(e) for risk, (p, e) in by_risk.items()},
        "explanations": {risk: explanation for risk, (_, explanation) in by_risk.items()},
        "truncated": list(item.truncated),
    }
    return json.dumps(out, ensure_ascii=False)


def _write_batch(bundle: ModelBundle, batch: list[Any], out: Any, thresholds: Mapping[str, float]) -> int:
    # Score each kind together, then write in input order.
    results: dict[int, Mapping[str, tuple[float, list[Any]]]] = {}
    for kind in RISK_TYPES_BY_KIND:
        positions = [i for i, item in enumerate(batch) if item.fields["kind"] == kind]
        # A file of ads is scored for every risk type: a social post may be a job or a marriage lead.
        scored = score_records(bundle, kind, [json_record(batch[i].fields) for i in positions], RISK_TYPES)
        results.update(zip(positions, scored, strict=True))
    for index, item in enumerate(batch):
        out.write(_output_line(item, results[index], thresholds) + "\n")
    return len(batch)


def score_jsonl(
    input_path: Path,
    output_path: Path,
    model: ModelBundle,
    *,
    thresholds: Mapping[str, float] | None = None,
    batch_size: int = 500,
) -> JsonlReport:
    """Score a JSON-lines file of ads into OUTPUT_PATH; invalid lines are reported, the rest scored.

    OUTPUT_PATH is replaced only when the whole file is done; JsonlError (a ValueError naming the file)
    when a file cannot be read or written. Batches hold at most BATCH_SIZE items and MAX_BATCH_CHARS.
    """
    from risk_model.data.jsonl_files import (
        atomic_output,
        check_input_path,
        check_output_path,
        numbered_items,
        open_input,
    )

    check_input_path(input_path)
    check_output_path(output_path, input_path)
    limits = {risk: model.threshold(risk, thresholds) for risk in model.models}
    report = JsonlReport()
    with open_input(input_path) as source, atomic_output(output_path) as out:
        for batch in _batches(numbered_items(source, input_path), report, batch_size):
            report.scored += _write_batch(model, batch, out, limits)
    return report


def _batches(items: Iterator[tuple[int, Any]], report: JsonlReport, batch_size: int) -> Iterator[list[Any]]:
    """Valid items in batches of at most BATCH_SIZE items and MAX_BATCH_CHARS; refused lines go to REPORT."""
    batch: list[Any] = []
    chars = 0
    for number, item in items:
        if isinstance(item, str):
            report.refuse(number, item)
            continue
        batch.append(item)
        chars, report.truncated = chars + item.chars, report.truncated + bool(item.truncated)
        if len(batch) >= batch_size or chars >= MAX_BATCH_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch
