"""Pairwise precision and recall of listing-to-organisation links against ground truth."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PairScores:
    """Pairwise figures over all listing pairs: a pair is positive when both share an organisation."""

    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(counter: Counter[Hashable]) -> int:
    return sum(n * (n - 1) // 2 for n in counter.values())


def pairwise_scores(truth: Mapping[int, Hashable], predicted: Mapping[int, Hashable]) -> PairScores:
    """Compare two item -> cluster maps over the items both know (counts pairs, never lists them)."""
    items = truth.keys() & predicted.keys()
    true_pairs = _pairs(Counter(truth[i] for i in items))
    predicted_pairs = _pairs(Counter(predicted[i] for i in items))
    correct = _pairs(Counter((truth[i], predicted[i]) for i in items))
    return PairScores(true_pairs, predicted_pairs, correct)
