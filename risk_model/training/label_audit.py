"""How consistent are the labels? Figures that bound what any model can score on a labelled set.

A model is judged against labels; when the same ad gets different labels depending on who labelled it,
no model can rank it right for both. This module measures that on any labelled set with near-duplicate
groups, an annotation batch per row (who labelled it: for ORFD the annotators' file), a company key and
the raw label. Nothing here trains a model, so the figures are exact and quick.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score

from risk_model.data.examples import Example


@dataclass(frozen=True)
class BatchRate:
    """Rows and positives of one annotation batch."""

    batch: str
    rows: int
    positives: int

    @property
    def rate(self) -> float:
        return self.positives / self.rows if self.rows else 0.0


@dataclass(frozen=True)
class PairAgreement:
    """Near-duplicate pairs labelled in the same batch or across batches, and how many disagree."""

    pairs: int
    disagree: int

    @property
    def rate(self) -> float:
        return self.disagree / self.pairs if self.pairs else 0.0


@dataclass(frozen=True)
class LabelAudit:
    """The label-consistency figures of one labelled set."""

    rows: int
    positives: int
    disputed_positives: int  # positives the annotators could not agree on
    batches: tuple[BatchRate, ...]
    groups: int
    mixed_groups: int  # near-duplicate groups holding both labels
    positives_in_mixed_groups: int
    same_batch_pairs: PairAgreement  # near-duplicate pairs labelled in one batch
    cross_batch_pairs: PairAgreement  # ... labelled in two different batches
    same_batch_pairs_with_positive: PairAgreement
    cross_batch_pairs_with_positive: PairAgreement
    companies_in_several_batches: int
    companies_split_by_batch: int  # of those: positive share differs by at least 0.5 between batches
    group_oracle_ap: float  # AP of scoring each near-duplicate group by its positive share (labels known)
    company_oracle_ap: float  # AP of scoring each row by its company's positive share (labels known)

    def as_dict(self) -> dict[str, Any]:
        """Plain figures for JSON (rates rounded to 4 places)."""
        pair = lambda p: {"pairs": p.pairs, "disagree": p.disagree, "rate": round(p.rate, 4)}  # noqa: E731
        return {
            "rows": self.rows,
            "positives": self.positives,
            "disputed_positives": self.disputed_positives,
            "batches": {
                b.batch: {"rows": b.rows, "positives": b.positives, "rate": round(b.rate, 4)}
                for b in self.batches
            },
            "groups": self.groups,
            "mixed_groups": self.mixed_groups,
            "positives_in_mixed_groups": self.positives_in_mixed_groups,
            "same_batch_pairs": pair(self.same_batch_pairs),
            "cross_batch_pairs": pair(self.cross_batch_pairs),
            "same_batch_pairs_with_positive": pair(self.same_batch_pairs_with_positive),
            "cross_batch_pairs_with_positive": pair(self.cross_batch_pairs_with_positive),
            "companies_in_several_batches": self.companies_in_several_batches,
            "companies_split_by_batch": self.companies_split_by_batch,
            "group_oracle_ap": round(self.group_oracle_ap, 4),
            "company_oracle_ap": round(self.company_oracle_ap, 4),
        }


def _members(keys: Sequence[Any]) -> dict[Any, list[int]]:
    """Key -> the row indices holding it."""
    members: dict[Any, list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        members[key].append(index)
    return members


def _share_oracle_ap(labels: np.ndarray, keys: Sequence[Any]) -> float:
    """AP when every row is scored by the positive share of its key (the best a key-blind model can do)."""
    scores = np.empty(len(labels))
    for rows in _members(keys).values():
        scores[rows] = labels[rows].mean()
    return float(average_precision_score(labels, scores)) if labels.any() else 0.0


def _pairs(
    labels: np.ndarray, group_rows: dict[Any, list[int]], batches: Sequence[str]
) -> list[PairAgreement]:
    """Near-duplicate pairs in one pass: [same batch, cross batch, same with a positive, cross with one]."""
    counts = [[0, 0] for _ in range(4)]  # [pairs, disagree]
    for rows in group_rows.values():
        for a, b in combinations(rows, 2):
            cross = int(batches[a] != batches[b])
            disagree = int(labels[a] != labels[b])
            for slot in (cross, 2 + cross) if labels[a] + labels[b] else (cross,):
                counts[slot][0] += 1
                counts[slot][1] += disagree
    return [PairAgreement(*tally) for tally in counts]


def audit_labels(
    labels: Sequence[int],
    groups: Sequence[Any],
    batches: Sequence[str],
    companies: Sequence[str],
    disputed: Sequence[bool],
) -> LabelAudit:
    """Label-consistency figures; every argument has one entry per row (labels 1 = positive)."""
    y = np.asarray(labels, dtype=int)
    if not len(y) == len(groups) == len(batches) == len(companies) == len(disputed):
        raise ValueError("labels, groups, batches, companies and disputed must have one entry per row")
    batch_rows = _members(batches)
    batch_rates = tuple(
        BatchRate(batch, len(rows), int(y[rows].sum())) for batch, rows in sorted(batch_rows.items())
    )
    group_rows = _members(groups)
    mixed = [rows for rows in group_rows.values() if 0 < y[rows].sum() < len(rows)]
    same, cross, same_pos, cross_pos = _pairs(y, group_rows, batches)
    by_company: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for index, (company, batch) in enumerate(zip(companies, batches, strict=True)):
        by_company[company][batch].append(index)
    several = [per_batch for per_batch in by_company.values() if len(per_batch) > 1]
    split = sum(1 for per_batch in several if np.ptp([y[rows].mean() for rows in per_batch.values()]) >= 0.5)
    return LabelAudit(
        rows=len(y),
        positives=int(y.sum()),
        disputed_positives=int(sum(1 for flag, label in zip(disputed, y, strict=True) if flag and label)),
        batches=batch_rates,
        groups=len(group_rows),
        mixed_groups=len(mixed),
        positives_in_mixed_groups=int(sum(y[rows].sum() for rows in mixed)),
        same_batch_pairs=same,
        cross_batch_pairs=cross,
        same_batch_pairs_with_positive=same_pos,
        cross_batch_pairs_with_positive=cross_pos,
        companies_in_several_batches=len(several),
        companies_split_by_batch=split,
        group_oracle_ap=_share_oracle_ap(y, groups),
        company_oracle_ap=_share_oracle_ap(y, companies),
    )


def audit_orfd(examples: Sequence[Example]) -> LabelAudit:
    """The audit of ORFD examples: near-duplicates of company + body, annotators' file, credit code."""
    from risk_model.data.grouping import near_duplicate_groups

    return audit_labels(
        [e.label for e in examples],
        near_duplicate_groups([f"{e.company_name}\n{e.body}" for e in examples]).tolist(),
        [e.fields["orfd_file"] for e in examples],
        [e.fields["credit_code"] or e.company_name for e in examples],
        [e.fields["orfd_label_raw"].startswith("2") for e in examples],
    )
