"""Stacking the blocks of several models' feature matrices that share one layout (SharedFeatures._stacked).

Every risk model's blocks hold the same index arrays, so each model's ``sp.hstack`` of them has the first
model's layout; later models only gather their values into its order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp


def stack_order(parts: list[sp.csr_matrix]) -> np.ndarray:
    """Where each entry of ``sp.hstack(parts, format="csr")`` sits in the parts' values laid end to end.

    Stacked row r is part 0's row r, then part 1's, and so on: one run of consecutive positions per
    (row, part), the runs in that order. Each position is its run's start in the values plus its offset
    from where the run starts in the stacked row, computed for all runs at once.
    """
    values_start = np.cumsum([0] + [p.nnz for p in parts[:-1]])
    run_start = np.stack([s + p.indptr[:-1] for s, p in zip(values_start, parts, strict=True)], 1).ravel()
    run_length = np.stack([np.diff(p.indptr) for p in parts], 1).ravel()
    stacked_start = np.cumsum(run_length) - run_length
    shift = (run_start - stacked_start).astype(np.int64)
    return np.repeat(shift, run_length) + np.arange(int(run_length.sum()), dtype=np.int64)


def same_arrays(parts: list[sp.csr_matrix], arrays: list[tuple[np.ndarray, np.ndarray]]) -> bool:
    """Each part's index arrays are views of the very memory of those in ARRAYS (same place, shape and
    type), which the layout keeps alive: the same arrays, without comparing their values."""
    return len(parts) == len(arrays) and all(
        _memory(p.indices) == _memory(indices) and _memory(p.indptr) == _memory(indptr)
        for p, (indices, indptr) in zip(parts, arrays, strict=True)
    )


def _memory(array: np.ndarray) -> tuple[Any, ...]:
    return (array.__array_interface__["data"][0], array.shape, array.strides, array.dtype)
