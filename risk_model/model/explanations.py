"""Exact per-score explanations: contribution = coefficient × feature value of the linear base model.

The contributions of one record, plus the intercept, add up to the base model's decision function
(the log-odds before calibration). Hashed n-grams are mapped back by hashing each of the record's own
n-grams with the same settings; n-grams that collide in one column share that column's contribution.

Two ways to the same numbers: `explain` transforms one record at a time and names every non-zero
column; scoring needs only the top few, for thousands of listings, so `explain_batch`/`explain_rows` run
the feature union once per batch, compute coefficient × value for each row and name only the top
columns (n-grams mapped back by hashing that record's own n-grams, exactly as `explain` does), ~10x
cheaper. Order and values match `explain` (a test checks).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import normalize
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l1, inplace_csr_row_normalize_l2

from risk_model.features import IndicatorFeatures
from risk_model.features.indicators import indicators
from risk_model.features.structured import structured_features
from risk_model.model.ranking import top_rows
from risk_model.model.stacking import same_arrays, stack_order
from risk_model.ngram_hash import CharNgramHasher

Kind = Literal["phrase", "indicator", "registry"]
# What sklearn.preprocessing.normalize runs on a CSR matrix, per norm, once it has validated it.
_ROW_NORMALIZERS = {"l1": inplace_csr_row_normalize_l1, "l2": inplace_csr_row_normalize_l2}


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


def ngram_columns(hasher: HashingVectorizer | CharNgramHasher, text: str) -> Mapping[int, list[str]]:
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


# ---------------------------------------------------------------- many records at once

TEXT_BLOCKS = ("ad_text", "company_text")


def _blocks(union: Any) -> list[tuple[str, Any, int, int]]:
    """(name, block, first column, width) of each block of the feature union."""
    out, offset = [], 0
    for name, block in union.transformer_list:
        width = (
            int(block.named_steps["hash"].n_features)
            if isinstance(block, Pipeline)
            else len(block.get_feature_names_out())
        )
        out.append((name, block, offset, width))
        offset += width
    return out


def text_key(block: Pipeline) -> tuple[Any, ...]:
    """What makes two text blocks hash alike: the fields, the cut and the hasher's settings."""
    join, hasher = block.named_steps["join"], block.named_steps["hash"]
    context = getattr(join, "context", False)
    return (join.fields, join.max_chars, context, tuple(sorted(hasher.get_params().items())))


def _phrase(
    block: tuple[str, Any, int, int],
    key: tuple[Any, ...],
    folded: Mapping[str, str],
    column: int,
    value: float,
    weight: float,
    names: dict[tuple[Any, ...], Mapping[int, list[str]]],
) -> Contribution:
    """The contribution of COLUMN of a text BLOCK (KEY: its text_key), named by the record's n-grams."""
    _, step, offset, _ = block
    local = column - offset
    if key not in names:  # hash the record's n-grams once per block, only when a phrase is in the top
        text = step.named_steps["join"].transform([folded])[0]
        names[key] = ngram_columns(step.named_steps["hash"], text)
    grams = names[key].get(local, [f"#{local}"])
    return Contribution(" | ".join(grams), "phrase", value, weight)


def explain_batch(model: Any, records: Sequence[Mapping[str, Any]], top: int = 6) -> list[list[Contribution]]:
    """For each record, its TOP contributions by absolute size, largest first (as explain)."""
    base = model.base if hasattr(model, "base") else model
    if not records:
        return []
    folded = base.named_steps["fold"].transform(list(records))
    matrix = base.named_steps["features"].transform(folded).tocsr()
    return explain_rows(base, folded, matrix, top)


def explain_rows(
    base: Pipeline,
    folded: Sequence[Mapping[str, str]],
    matrix: Any,
    top: int,
    names: list[dict[tuple[Any, ...], Mapping[int, list[str]]]] | None = None,
) -> list[list[Contribution]]:
    """Top contributions of each row of MATRIX (base's feature-union output for the folded records).

    NAMES (one dict per row) caches each record's n-gram names; pass the same list for every model of a
    batch so a record is re-hashed for naming once, not once per risk type.
    """
    names = names if names is not None else [{} for _ in folded]
    matrix = matrix.tocsr()
    matrix.sort_indices()
    union, clf = base.named_steps["features"], base.named_steps["clf"]
    blocks = _blocks(union)
    starts = [b[2] for b in blocks]  # a column's block: bisect on a list (numpy's costs ~5 us a call)
    keys = {at: text_key(b[1]) for at, b in enumerate(blocks) if b[0] in TEXT_BLOCKS}  # get_params is slow
    entries, counts = _top_entries(clf.coef_[0], matrix, top)
    # Indicator and registry columns (most top entries: a phrase's TF-IDF share is small) are named from
    # a table of their names, kinds and legal bases built once for the batch; phrases by _phrase.
    described: dict[Kind, list[tuple[str, str, str]]] = {
        "indicator": [(spec.name, spec.legal_basis, spec.meaning) for spec in indicators()],
        "registry": [(spec.name, spec.legal_basis, spec.meaning) for spec in structured_features()],
    }
    named: dict[int, tuple[str, Kind, str, str]] = {}
    for name, _, offset, _ in blocks:
        if name not in TEXT_BLOCKS:
            kind: Kind = "indicator" if name == "indicators" else "registry"
            for local, (feature, basis, meaning) in enumerate(described[kind]):
                named[offset + local] = (feature, kind, basis, meaning)
    out = []
    for row, count in enumerate(counts):
        contributions = []
        for column, value, weight in islice(entries, count):  # this row's entries, largest first
            known = named.get(column)
            if known is not None:
                feature, kind, basis, meaning = known
                contributions.append(Contribution(feature, kind, value, weight, basis, meaning))
                continue
            at = bisect_right(starts, column) - 1  # every other column is a text block's
            contributions.append(
                _phrase(blocks[at], keys[at], folded[row], column, value, weight, names[row])
            )
        out.append(contributions)
    return out


# Stored entries weighed and ranked together by _top_entries: ~32k, so that its arrays stay in cache.
CHUNK_ENTRIES = 32_768


def _top_entries(coef: np.ndarray, matrix: sp.csr_matrix, top: int) -> tuple[Iterator[Any], list[int]]:
    """(column, value, weight) of each row's TOP largest contributions, one row after another, and how
    many each row has.

    Every stored entry's weight (coefficient x value, the same products as row by row) and the cut
    (ranking.top_rows) are computed for a few dozen rows at a time: each row's result depends on its
    own entries alone, and arrays of ~32k entries stay in the processor's cache where a batch's ~800k
    did not. The picked entries of a chunk are read out of numpy together.
    """
    bounds = matrix.indptr.tolist()
    # Gathers with int32 indices (scipy's) cost ~3x those with the platform's intp: numpy casts them
    # in a buffered loop. Cast once for the batch, then every chunk gathers with intp.
    every_column = matrix.indices.astype(np.intp, copy=False)
    columns: list[int] = []
    values: list[float] = []
    weights: list[float] = []
    counts: list[int] = []
    row, rows = 0, len(bounds) - 1
    while row < rows:
        end = max(row + 1, bisect_right(bounds, bounds[row] + CHUNK_ENTRIES, row + 1) - 1)
        first, last = bounds[row], bounds[end]
        indices, data = every_column[first:last], matrix.data[first:last]
        weight = np.take(coef, indices) * data
        picked, taken = top_rows(np.abs(weight), [b - first for b in bounds[row : end + 1]], top)
        columns += indices[picked].tolist()
        values += data[picked].tolist()
        weights += weight[picked].tolist()
        counts += taken
        row = end
    return zip(columns, values, weights, strict=True), counts


class SharedFeatures:
    """Feature-union outputs of several risk models over one batch, computing shared steps once.

    The risk models of a bundle fold the same way, hash the same fields with the same settings and
    compute the same indicator and registry blocks; only their TF-IDF weights (and coefficients) differ.
    So a batch is folded once, each text block hashed once, and each model applies its own TF-IDF.
    The result equals each model's own ``features.transform`` (a test checks).
    """

    def __init__(self, records: Sequence[Mapping[str, Any]], fold: Any) -> None:
        self.folded = fold.transform(list(records))
        self.names: list[dict[tuple[Any, ...], Mapping[int, list[str]]]] = [{} for _ in self.folded]
        self._cache: dict[tuple[Any, ...], Any] = {}
        # The stacked layout (_stacked): each block's index arrays, the gather order, the first matrix.
        self._layout: tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray, sp.csr_matrix] | None = None

    def _text(self, block: Pipeline) -> Any:
        """Hashed n-gram counts of one text block (hashed once per distinct fields and settings)."""
        key = ("text", *text_key(block))
        if key not in self._cache:
            join, hasher = block.named_steps["join"], block.named_steps["hash"]
            self._cache[key] = hasher.transform(join.transform(self.folded))
        return self._cache[key]

    def _weighted(self, block: Pipeline, weight: float | None = None) -> Any:
        """BLOCK's TF-IDF of the batch's hashed counts, times the union's WEIGHT for it.

        With sublinear tf (the project's models) the counts' 1 + log(tf) is the same for every model that
        hashes alike: it is computed once per batch, then each model applies its idf and the l2 norm, the
        operations TfidfTransformer.transform does, in its order, so the values are the same to the bit.
        """
        tfidf = block.named_steps["tfidf"]
        hashed = self._text(block)
        if type(tfidf) is not TfidfTransformer or not tfidf.sublinear_tf or not hasattr(tfidf, "idf_"):
            out = tfidf.transform(hashed)  # may be a cached matrix: weighted into a copy
            return out * weight if _scales(weight) else out
        key = ("sublinear", *text_key(block))
        if key not in self._cache:
            logged = sp.csr_matrix(hashed, dtype=np.float64, copy=True)
            np.log(logged.data, logged.data)
            logged.data += 1.0
            # Its columns as intp, for every model's idf gather: numpy gathers with scipy's int32 indices
            # ~3x slower than with intp (it casts them as it goes), so they are cast once per batch.
            self._cache[key] = logged, logged.indices.astype(np.intp)
        logged, columns = self._cache[key]
        # A new matrix on the logged counts' own index arrays: only the values are new (idf x (1 + log tf)
        # is (1 + log tf) x idf to the bit), and the layout cache (_stacked) knows those arrays again.
        data = logged.data * np.take(tfidf.idf_, columns)  # float64 whatever the idf's type
        weighted = sp.csr_matrix((data, logged.indices, logged.indptr), shape=logged.shape)
        if tfidf.norm in _ROW_NORMALIZERS:  # what normalize runs, without its second pass to validate
            _ROW_NORMALIZERS[tfidf.norm](weighted)
        elif tfidf.norm is not None:
            weighted = normalize(weighted, norm=tfidf.norm, copy=False)
        if _scales(weight):
            weighted.data *= weight  # a new matrix: scaled in place, as `weighted * weight` would
        return weighted

    def _block(self, block: Any) -> Any:
        """A stateless block's output (indicators, registry), computed once per batch."""
        key = ("block", type(block).__name__)
        if key not in self._cache:
            self._cache[key] = block.transform(self.folded)
        return self._cache[key]

    def indicator_block(self) -> np.ndarray:
        """The indicator values of the batch (one row per record), computed once."""
        return np.asarray(self._block(IndicatorFeatures().fit(self.folded)).toarray())

    def matrix(self, base: Pipeline) -> sp.csr_matrix:
        """BASE's feature-union output for the batch (weights applied, blocks side by side)."""
        union = base.named_steps["features"]
        weights = union.transformer_weights or {}
        parts = []
        for name, block in union.transformer_list:
            weight = weights.get(name)
            if isinstance(block, Pipeline):
                part = self._weighted(block, weight)
            else:
                part = self._block(block)  # shared by every model: scaled into a copy
                part = part * weight if _scales(weight) else part
            parts.append(part)
        return self._stacked(parts)

    def _stacked(self, parts: list[sp.csr_matrix]) -> sp.csr_matrix:
        """``sp.hstack(parts, format="csr")``, the same arrays to the bit, for less.

        Every model's blocks share their index arrays (the logged counts', the cached blocks'), so every
        model's stacked matrix has the first one's layout: its indices, its row pointers and, for each
        stored entry, where its value sits in the blocks' values laid end to end. Later models only gather
        their values into that order. The layout is reused only where every block still has the very
        same index arrays and the stacked indices are sorted (so no caller's ``sort_indices`` rewrites them).
        Every matrix returned this way shares its index arrays with the first one: callers read them and
        must not rewrite them (``eliminate_zeros``, ``sum_duplicates``); scoring does neither.
        """
        layout = self._layout
        if not all(getattr(p, "format", None) == "csr" for p in parts):  # the order reads CSR row pointers
            return sp.hstack(parts, format="csr")
        if layout is not None and same_arrays(parts, layout[0]):
            data = np.concatenate([p.data for p in parts])[layout[1]]
            return sp.csr_matrix((data, layout[2].indices, layout[2].indptr), shape=layout[2].shape)
        stacked = sp.hstack(parts, format="csr")
        if stacked.has_sorted_indices:
            self._layout = ([(p.indices, p.indptr) for p in parts], stack_order(parts), stacked)
        return stacked


def _scales(weight: float | None) -> bool:
    """A feature-union weight changes values (x * 1.0 is x: a weight of 1 is not multiplied in)."""
    return weight is not None and weight != 1


def calibrated_probability(model: Any, decision: np.ndarray) -> np.ndarray:
    """The calibrated probability of the positive class from the base's decision values.

    Equal to ``model.predict_proba(records)``: CalibratedClassifierCV averages its calibrators, each
    mapping the (frozen) base's decision function; binary, so the positive column is the calibrator's.
    """
    calibrated = model.calibrated
    return np.mean([c.calibrators[0].predict(decision) for c in calibrated.calibrated_classifiers_], axis=0)
