"""Shared feature transformers: folded records in, sparse feature blocks out (all skops-safe)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import HashingVectorizer

from risk_model.data.examples import AD_TEXT_FIELDS, RECORD_FIELDS
from risk_model.features.context import context_lines, context_record, context_view
from risk_model.features.indicators import LEGAL_SPANS_CACHE, indicator_values, indicators, read_legal_spans
from risk_model.features.structured import (
    STRUCTURED_FEATURES_VERSION,
    company_values,
    credit_code_valid,
    structured_features,
    structured_values,
)
from store.text import fold_text

# Texts whose legal spans are read together: well under the span cache's 4,096 texts, so a chunk's spans
# are all still cached when it is looked up (training transforms the whole set at once).
SPAN_CHUNK = 1024


def spans_read(texts: Sequence[str]) -> Iterator[str]:
    """TEXTS in order, each chunk of SPAN_CHUNK yielded once its legal spans are read finder by finder
    (read_legal_spans): the caller's ``legal_spans`` lookups then all hit the cache."""
    for start in range(0, len(texts), SPAN_CHUNK):
        chunk = texts[start : start + SPAN_CHUNK]
        read_legal_spans(chunk)
        yield from chunk


def fold_value(value: Any) -> str:
    """fold_text(value).lower(), with shortcuts for an empty field (most of a record's 26) and for ASCII
    (which NFKC and t2s leave unchanged)."""
    if not value:
        return ""
    text = str(value)
    if text.isascii():
        return " ".join(text.split()).lower()
    return _fold_cached(text)


def clear_text_caches() -> None:
    """Forget every per-text result kept between calls: folded fields, the legal spans and context view
    of ad texts, credit-code checks, companies' registry features. A benchmark starts cold with it: a
    stream shorter than a cache (4,096 texts) would otherwise be scored from the previous pass's results."""
    _fold_cached.cache_clear()
    LEGAL_SPANS_CACHE.cache_clear()
    context_lines.cache_clear()
    credit_code_valid.cache_clear()
    company_values.cache_clear()


@lru_cache(maxsize=8192)
def _fold_cached(text: str) -> str:
    # A company's intro, scope and addresses repeat on every one of its ads: fold each once.
    return fold_text(text).lower()


def fold_record(record: Mapping[str, Any]) -> dict[str, str]:
    """Every record field folded (width, script, whitespace) and lower-cased; missing fields are ""."""
    return {key: fold_value(record.get(key)) for key in RECORD_FIELDS}


def ad_text(record: Mapping[str, str]) -> str:
    """The ad's own text fields joined (what indicators read)."""
    return "\n".join(record[key] for key in AD_TEXT_FIELDS if record[key])


class FoldRecords(TransformerMixin, BaseEstimator):
    """Records (mappings) to folded records, so later steps see one normal form."""

    def fit(self, records: Sequence[Mapping[str, Any]], y: Any = None) -> FoldRecords:
        return self

    def transform(self, records: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
        return [fold_record(record) for record in records]


class JoinFields(TransformerMixin, BaseEstimator):
    """Folded records to one string each: the named fields, each cut to max_chars (0 = whole), joined.

    With ``context=True`` the string is the context view (risk_model.features.context): the sentences that carry
    a legal indicator are left out, so that evidence reaches the model only through its indicator.
    """

    def __init__(
        self, fields: tuple[str, ...] = AD_TEXT_FIELDS, max_chars: int = 0, context: bool = False
    ) -> None:
        self.fields = fields
        self.max_chars = max_chars
        self.context = context

    def fit(self, records: Sequence[Mapping[str, str]], y: Any = None) -> JoinFields:
        return self

    def transform(self, records: Sequence[Mapping[str, str]]) -> list[str]:
        cut = self.max_chars or None
        joined = ["\n".join(r[key][:cut] for key in self.fields if r[key]) for r in records]
        return [context_view(text) for text in spans_read(joined)] if self.context else joined


class DedupHashingVectorizer(HashingVectorizer):
    """HashingVectorizer that hashes each distinct text of a batch once (company texts repeat a lot)."""

    def transform(self, X: Any) -> sp.csr_matrix:
        texts = list(X)
        distinct, inverse = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
        return super().transform(list(distinct))[inverse.ravel()]


class IndicatorFeatures(TransformerMixin, BaseEstimator):
    """Folded records to the indicator block (risk_model.features.indicators), one column per indicator."""

    def fit(self, records: Sequence[Mapping[str, str]], y: Any = None) -> IndicatorFeatures:
        self.feature_names_ = [i.name for i in indicators()]  # what the coefficients were fitted to
        return self

    def transform(self, records: Sequence[Mapping[str, str]]) -> sp.csr_matrix:
        texts = spans_read([ad_text(r) for r in records])
        rows = [indicator_values(text, r["company_name"]) for text, r in zip(texts, records, strict=True)]
        return sp.csr_matrix(np.asarray(rows, dtype=np.float64).reshape(len(rows), len(indicators())))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray([i.name for i in indicators()], dtype=object)


class StructuredFeatures(TransformerMixin, BaseEstimator):
    """Folded records to the registry/structured block (risk_model.features.structured)."""

    def fit(self, records: Sequence[Mapping[str, str]], y: Any = None) -> StructuredFeatures:
        self.feature_names_ = [f.name for f in structured_features()]  # what the coefficients were fitted to
        self.features_version_ = STRUCTURED_FEATURES_VERSION
        return self

    def transform(self, records: Sequence[Mapping[str, str]]) -> sp.csr_matrix:
        rows = [structured_values(context_record(r, AD_TEXT_FIELDS, ad_text(r))) for r in records]
        width = len(structured_features())
        return sp.csr_matrix(np.asarray(rows, dtype=np.float64).reshape(len(rows), width))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray([f.name for f in structured_features()], dtype=object)


def feature_set_problem(base: Any) -> str | None:
    """Why a fitted pipeline cannot run with this code's feature set, or None when it can.

    Indicator and registry columns are computed by the code, not stored in the model file; a model
    trained before an indicator was added or removed would multiply the wrong columns (or fail on the
    width). Models record the names they were fitted to; older files are checked by width.
    """
    union, clf = base.named_steps["features"], base.named_steps["clf"]
    width = 0
    for name, block in union.transformer_list:
        if isinstance(block, IndicatorFeatures | StructuredFeatures):
            current = list(block.get_feature_names_out())
            fitted = getattr(block, "feature_names_", None)
            version = getattr(block, "features_version_", 1)
            if isinstance(block, StructuredFeatures) and version != STRUCTURED_FEATURES_VERSION:
                return f"{name} features changed meaning (version {version}, code has {STRUCTURED_FEATURES_VERSION})"
            if fitted is not None and list(fitted) != current:
                added = sorted(set(current) - set(fitted))
                removed = sorted(set(fitted) - set(current))
                return f"{name} columns changed (added {added or 'none'}, removed {removed or 'none'})"
            width += len(current)
        else:
            width += int(block.named_steps["hash"].n_features)
    if clf.coef_.shape[1] != width:
        return f"the model has {clf.coef_.shape[1]} feature columns, this code computes {width}"
    return None
