"""Character n-gram hashing for a whole batch at once, in numpy: the text blocks' hot path.

scikit-learn's HashingVectorizer builds a Python string per n-gram before hashing it (about half of the
scoring time, docs/model.md). Here a batch's distinct texts are laid end to end as code points, every
n-gram's hash is computed with vector arithmetic over shifted slices (a polynomial over the code points,
then a 64-bit mix), windows that cross a text boundary are dropped, and the counts become a CSR matrix.
Naming a column for an explanation hashes that one text's n-grams the same way.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

_MULTIPLIER = np.uint64(0x100000001B3)  # odd: the polynomial over code points
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SEED = np.uint64(0x2545F4914F6CDD1D)
CHUNK_CODE_POINTS = 32_768  # texts hashed together, at most about this many code points (see _count)


def _hashes(codes: np.ndarray, n: int) -> np.ndarray:
    """Hash of every window of N code points (length len(codes) - n + 1)."""
    width = len(codes) - n + 1
    h = np.full(width, _SEED * np.uint64(n), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * _MULTIPLIER + codes[k : k + width]
        h ^= h >> np.uint64(31)
        h *= _MIX
        h ^= h >> np.uint64(29)
    return h


def _counts(keys: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    """How often each (row, col) pair occurs, the pairs given as KEYS = row * shape[1] + col: a CSR matrix
    in canonical form (each row's columns sorted, each once). What ``csr_matrix((ones, (row, col)),
    shape).sum_duplicates()`` gives, but by one numpy sort of the keys (row-major), not a conversion and
    then a sort inside every row (~2x the time).
    """
    width = shape[1]
    keys = np.sort(keys)
    first = np.empty(len(keys), dtype=bool)  # where each distinct key starts
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    distinct = keys[starts]
    counts = np.diff(np.append(starts, len(keys))).astype(np.float64)
    # scipy's index type: 32 bits unless the columns or the entries need more.
    index_type = np.int32 if max(width, len(distinct)) <= np.iinfo(np.int32).max else np.int64
    indptr = np.searchsorted(distinct // width, np.arange(shape[0] + 1)).astype(index_type)
    columns = (distinct % width).astype(index_type)
    return sp.csr_matrix((counts, columns, indptr), shape=shape)


class CharNgramHasher(TransformerMixin, BaseEstimator):
    """Texts to hashed character n-gram counts (CSR, float64), like HashingVectorizer(analyzer="char",
    norm=None, alternate_sign=False) but vectorised over the batch; n_features must be a power of two."""

    def __init__(self, n_features: int = 2**20, ngram_range: tuple[int, int] = (2, 3)) -> None:
        self.n_features = n_features
        self.ngram_range = ngram_range

    def fit(self, X: Any, y: Any = None) -> CharNgramHasher:
        if self.n_features & (self.n_features - 1):
            raise ValueError("n_features must be a power of two")
        return self

    def transform(self, X: Any) -> sp.csr_matrix:
        texts = list(X)
        # Each distinct text hashed once (a company's texts repeat), in order of first appearance: a batch
        # of distinct texts (most ad texts) is then the matrix itself, without a copy picking its rows.
        first: dict[str, int] = {}
        rows = [first.setdefault(text, len(first)) for text in texts]
        matrix = self._count(list(first))
        return matrix if len(first) == len(texts) else matrix[rows]

    def _count(self, texts: list[str]) -> sp.csr_matrix:
        """The counts of TEXTS, hashed a few dozen texts at a time: the arrays of one chunk (~32k code
        points, 256 kB each) stay in the processor's cache, where a whole batch's (~2 MB each for 500 ads)
        did not: about half the time, the same matrix (each row's counts depend on its text alone)."""
        chunks, start, size = [], 0, 0
        for end, text in enumerate(texts, 1):
            size += len(text) + 1
            if size >= CHUNK_CODE_POINTS:
                chunks.append(self._count_chunk(texts[start:end]))
                start, size = end, 0
        if start < len(texts) or not texts:
            chunks.append(self._count_chunk(texts[start:]))
        return chunks[0] if len(chunks) == 1 else sp.vstack(chunks, format="csr")

    def _count_chunk(self, texts: list[str]) -> sp.csr_matrix:
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        shape = (len(texts), self.n_features)
        if not len(texts) or not lengths.sum():
            return sp.csr_matrix(shape, dtype=np.float64)
        codes = np.frombuffer("\x00".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        # Each n-gram becomes one key, row * n_features + column (n_features is a power of two): 32 bits
        # when the batch allows (sorted twice as fast as 64), else 64.
        width = int(self.n_features)
        key_type = np.uint32 if len(texts) * width <= 2**32 else np.uint64
        doc = np.repeat(np.arange(len(texts), dtype=np.uint64), lengths + 1)[: len(codes)]
        keys = []
        mask = np.uint64(width - 1)
        for n in range(self.ngram_range[0], self.ngram_range[1] + 1):
            if len(codes) < n:
                continue
            start_doc, end_doc = doc[: len(codes) - n + 1], doc[n - 1 :]
            ends = np.arange(n - 1, len(codes))
            boundary = np.cumsum(lengths + 1) - 1  # the separator after each text
            valid = (start_doc == end_doc) & (ends != boundary[end_doc.astype(np.intp)])
            keys.append(
                (start_doc[valid] * np.uint64(width) + (_hashes(codes, n)[valid] & mask)).astype(key_type)
            )
        return _counts(np.concatenate(keys), shape)

    def columns_of(self, text: str) -> ColumnNames:
        """Column -> the text's distinct n-grams hashed there (for naming explanation phrases)."""
        if not text:
            return ColumnNames(text, [])
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        mask = np.uint64(self.n_features - 1)
        low, high = self.ngram_range
        return ColumnNames(
            text, [(n, _hashes(codes, n) & mask) for n in range(low, high + 1) if len(codes) >= n]
        )


class ColumnNames(Mapping[int, list[str]]):
    """One text's n-grams by hashed column, each column looked up when asked.

    An explanation names the one or two phrase columns in a record's top, so a lookup compares that column
    with the text's hashes (vectorised) instead of first building a Python dict of every n-gram: that dict
    was about a third of the scoring path's time (docs/model.md). Iterating still gives every column."""

    def __init__(self, text: str, hashed: list[tuple[int, np.ndarray]]) -> None:
        self._text, self._hashed = text, hashed
        # Every n's hashes end to end, so that a lookup is one comparison; _sizes says which n a place is.
        self._joined = np.concatenate([hashes for _, hashes in hashed]) if hashed else np.empty(0, np.uint64)
        self._starts = np.cumsum([0] + [len(hashes) for _, hashes in hashed]).tolist()
        self._found: dict[int, list[str]] = {}
        self._every: dict[int, list[str]] | None = None

    def __getitem__(self, column: int) -> list[str]:
        if not isinstance(column, int | np.integer) or column < 0 or column >= 2**64:
            raise KeyError(column)  # no hash column (a string, -1): absent, as a dict would say
        if column not in self._found:
            grams = set()
            for place in np.flatnonzero(self._joined == np.uint64(column)).tolist():
                part = bisect_right(self._starts, place) - 1
                n, i = self._hashed[part][0], place - self._starts[part]
                grams.add(self._text[i : i + n])
            self._found[column] = sorted(grams)
        if not self._found[column]:
            raise KeyError(column)
        return self._found[column]

    def _all(self) -> dict[int, list[str]]:
        if self._every is None:
            out: dict[int, set[str]] = defaultdict(set)
            for n, hashes in self._hashed:
                for i, column in enumerate(hashes.tolist()):
                    out[int(column)].add(self._text[i : i + n])
            self._every = {column: sorted(grams) for column, grams in out.items()}
        return self._every

    def __iter__(self) -> Iterator[int]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())
