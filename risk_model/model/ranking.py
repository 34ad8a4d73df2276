"""Each row's largest entries: the cut explanations take their top contributions from.

``top_order`` / ``top_of_sizes`` rank one row; ``top_rows`` ranks every row of a batch at once and gives
each row exactly what ``top_of_sizes`` gives it (docs/model.md, "Scoring speed, fifteenth session").
"""

from __future__ import annotations

from bisect import bisect_right

import numpy as np

# Entries (at least) in the sample top_order takes its cut from.
TOP_SAMPLE = 128


def top_order(weights: np.ndarray, top: int) -> np.ndarray:
    """Indices of the TOP largest |weights|, largest first, ties in index order.

    The same as ``np.argsort(-np.abs(weights), kind="stable")[:top]`` without sorting every column:
    only the entries at least as large as a cut are sorted. Any cut at or below the TOP-th largest gives
    the same first TOP (every larger entry and every tie at the TOP-th is among the candidates, in index
    order). The TOP-th largest of an evenly spaced sample of at least max(TOP, TOP_SAMPLE) entries is
    such a cut, and partitioning the sample costs far less than partitioning a row of ~1,000 entries.
    A NaN weight (none in practice) is no candidate at any cut; such a row takes its cut from every entry.
    """
    size = np.abs(weights)
    return top_of_sizes(size, top, bool(np.isnan(size).any()))


def top_of_sizes(size: np.ndarray, top: int, has_nan: bool) -> np.ndarray:
    """``top_order`` given SIZE, the |weights|, and whether any of them is NaN (explain_rows takes both
    for a whole batch at once: two numpy calls a row fewer)."""
    if len(size) > top:
        cut_from = size if has_nan else size[:: max(1, len(size) // max(top, TOP_SAMPLE))]
        cut = np.partition(cut_from, len(cut_from) - top)[len(cut_from) - top]
        candidates = np.flatnonzero(size >= cut)
    else:
        candidates = np.arange(len(size))
    return candidates[np.argsort(-size[candidates], kind="stable")][:top]


# top_rows: entries a row should have, on average, at or above the batch's cut (a few times TOP), and
# about how many entries the cut is taken from.
CANDIDATES_PER_TOP = 4
BATCH_SAMPLE = 8192


def top_rows(sizes: np.ndarray, bounds: list[int], top: int) -> tuple[np.ndarray, list[int]]:
    """The TOP (at least 1) largest of each CSR row's SIZES, largest first, ties in index order; BOUNDS is
    the matrix's whole indptr (rows end to end over SIZES): (the picked positions of every row, one row
    after another; how many each row has).

    Row by row this is ``top_of_sizes`` on each row, ~6 numpy calls a row. Here the batch is cut once: the
    cut is taken from a sample so that a few times TOP entries a row reach it, one comparison finds the
    candidates of every row, and one sort by (row, size) ranks them all. A row with at least TOP candidates
    has its TOP largest among them (its TOP-th largest reaches the cut), ties at it included, so its first
    TOP are those of ``top_of_sizes``; so does a row all of whose entries are candidates. Any other row is
    cut row by row as before: a row holding a NaN, or one the cut leaves short (in a batch of ORFD ads,
    none: every row reaches the cut often enough).
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    rows = len(bounds) - 1
    if rows <= 0:
        return np.zeros(0, dtype=np.intp), []
    starts = np.asarray(bounds)
    lengths = np.diff(starts)
    sample = sizes[:: max(1, len(sizes) // BATCH_SAMPLE)]
    wanted = len(sample) * CANDIDATES_PER_TOP * top * rows // max(len(sizes), 1)
    cut = -np.inf if wanted >= len(sample) else np.partition(sample, len(sample) - wanted - 1)[-wanted - 1]
    candidates = np.flatnonzero(sizes >= cut)
    candidate_rows = np.searchsorted(starts, candidates, "right") - 1
    counts = np.bincount(candidate_rows, minlength=rows)
    whole = (counts >= top) | ((counts == lengths) & (lengths > 0))
    nan_rows = _rows_with_nan(sizes, bounds)
    for row in nan_rows:
        whole[row] = False
    kept = whole[candidate_rows]
    candidates, candidate_rows = candidates[kept], candidate_rows[kept]
    ranked = candidates[np.lexsort((-sizes[candidates], candidate_rows))]  # stable: ties in index order
    counts = np.where(whole, counts, 0)
    taken = np.minimum(counts, top)
    first = np.cumsum(counts) - counts  # where each row's ranked candidates begin
    picked = ranked[np.repeat(first - (np.cumsum(taken) - taken), taken) + np.arange(int(taken.sum()))]
    if whole.all():
        return picked, taken.tolist()
    out, sizes_out, at = [], taken.tolist(), 0
    for row in range(rows):
        if whole[row]:
            out.append(picked[at : at + sizes_out[row]])
            at += sizes_out[row]
        else:
            start, end = bounds[row], bounds[row + 1]
            out.append(top_of_sizes(sizes[start:end], top, row in nan_rows) + start)
            sizes_out[row] = len(out[-1])
    return np.concatenate(out), sizes_out


def _rows_with_nan(sizes: np.ndarray, bounds: list[int]) -> set[int]:
    """The rows (CSR row BOUNDS over SIZES) holding a NaN: none in practice, so one check for the batch."""
    nan_at = np.flatnonzero(np.isnan(sizes))
    return {bisect_right(bounds, int(at)) - 1 for at in nan_at}
