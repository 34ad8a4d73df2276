"""Exact per-score explanations: contribution = coefficient × feature value of the linear base model.

The contributions of one record, plus the intercept, add up to the base model's decision function
(the log-odds before calibration). Hashed n-grams are mapped back by hashing each of the record's own
n-grams with the same settings; n-grams that collide in one column share that column's contribution.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.pipeline import Pipeline

from risk_model.indicators import indicators
from risk_model.ngram_hash import CharNgramHasher
from risk_model.structured import structured_features

Kind = Literal["phrase", "indicator", "registry"]


@dataclass(frozen=True)
class Contribution:
    """One feature's share of a score: `weight` = coefficient × `value`, in log-odds."""

    feature: str
    kind: Kind
    value: float
    weight: float
    legal_basis: str = ""
    meaning: str = ""


def _base(model: Any) -> Pipeline:
    return model.base if hasattr(model, "base") else model


def ngram_columns(hasher: HashingVectorizer | CharNgramHasher, text: str) -> dict[int, list[str]]:
    """Column -> the text's n-grams hashed there, with exactly the hasher's analyzer and hash."""
    if isinstance(hasher, CharNgramHasher):
        return hasher.columns_of(text)
    grams = sorted(set(hasher.build_analyzer()(text)))
    if not grams:
        return {}
    same_hash = FeatureHasher(n_features=hasher.n_features, input_type="string", alternate_sign=False)
    columns = same_hash.transform([[gram] for gram in grams]).indices
    by_column: dict[int, list[str]] = defaultdict(list)
    for gram, column in zip(grams, columns, strict=True):
        by_column[int(column)].append(gram)
    return by_column


def _text_contributions(
    block: Pipeline, folded: Mapping[str, str], x: Any, coef: np.ndarray
) -> list[Contribution]:
    text = block.named_steps["join"].transform([folded])[0]
    names = ngram_columns(block.named_steps["hash"], text)
    return [
        Contribution(" | ".join(names.get(col, [f"#{col}"])), "phrase", float(val), float(coef[col] * val))
        for col, val in zip(x.indices, x.data, strict=True)
    ]


def _named_contributions(kind: Kind, x: Any, coef: np.ndarray) -> list[Contribution]:
    specs = indicators() if kind == "indicator" else structured_features()
    return [
        Contribution(
            specs[c].name, kind, float(v), float(coef[c] * v), specs[c].legal_basis, specs[c].meaning
        )
        for c, v in zip(x.indices, x.data, strict=True)
    ]


def contributions(model: Any, record: Mapping[str, Any]) -> tuple[float, list[Contribution]]:
    """(intercept, every non-zero contribution) for one record; they sum to the decision function."""
    base = _base(model)
    folded = base.named_steps["fold"].transform([record])[0]
    union, clf = base.named_steps["features"], base.named_steps["clf"]
    row = union.transform([folded]).tocsr()
    coef, offset, out = clf.coef_[0], 0, []
    for name, block in union.transformer_list:
        width = _block_width(block)
        part = row[:, offset : offset + width]
        part.sort_indices()
        if name in ("ad_text", "company_text"):
            out += _text_contributions(block, folded, part, coef[offset : offset + width])
        else:
            kind: Kind = "indicator" if name == "indicators" else "registry"
            out += _named_contributions(kind, part, coef[offset : offset + width])
        offset += width
    return float(clf.intercept_[0]), out


def _block_width(block: Any) -> int:
    if isinstance(block, Pipeline):
        return int(block.named_steps["hash"].n_features)
    return len(block.get_feature_names_out())


def explain(model: Any, record: Mapping[str, Any], top: int | None = 8) -> list[Contribution]:
    """The `top` contributions by absolute size (all of them when top is None), largest first."""
    _, parts = contributions(model, record)
    parts.sort(key=lambda c: abs(c.weight), reverse=True)
    return parts if top is None else parts[:top]
