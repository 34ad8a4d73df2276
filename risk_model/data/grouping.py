"""Near-duplicate grouping so copies of one ad never sit on both sides of a split.

Exact copies (same folded company + body) are joined by hash; near copies by MinHash over character
5-gram shingles with LSH banding, each candidate pair confirmed by its estimated Jaccard similarity.
Groups are the connected components (union-find).
"""

from __future__ import annotations

import hashlib
import zlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

_PRIME = (1 << 61) - 1


class UnionFind:
    """Disjoint sets over 0..n-1 with path halving."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def shingles(text: str, size: int = 5) -> np.ndarray:
    """Distinct crc32 hashes of the text's character shingles (the text itself when shorter)."""
    pieces = {text[i : i + size] for i in range(max(len(text) - size + 1, 1))}
    return np.fromiter((zlib.crc32(p.encode()) for p in pieces), dtype=np.uint64, count=len(pieces))


def minhash_signatures(texts: Sequence[str], num_perm: int = 64, seed: int = 0) -> np.ndarray:
    """(n, num_perm) MinHash signatures with universal hashing (a·x + b) mod p."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 1 << 31, size=num_perm, dtype=np.uint64)
    b = rng.integers(0, 1 << 31, size=num_perm, dtype=np.uint64)
    signatures = np.empty((len(texts), num_perm), dtype=np.uint64)
    for row, text in enumerate(texts):
        hashes = shingles(text)
        # x < 2^32 and a < 2^31, so a·x + b fits in 64 bits before the modulus.
        signatures[row] = ((np.outer(hashes, a) + b) % _PRIME).min(axis=0)
    return signatures


def _candidate_pairs(signatures: np.ndarray, bands: int) -> set[tuple[int, int]]:
    rows_per_band = signatures.shape[1] // bands
    pairs: set[tuple[int, int]] = set()
    for band in range(bands):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        chunk = signatures[:, band * rows_per_band : (band + 1) * rows_per_band]
        for index, key in enumerate(chunk):
            buckets[key.tobytes()].append(index)
        for members in buckets.values():
            pairs.update((members[0], other) for other in members[1:])
    return pairs


def near_duplicate_groups(texts: Sequence[str], threshold: float = 0.7, bands: int = 16) -> np.ndarray:
    """Group id per text: exact copies and pairs with estimated Jaccard ≥ threshold share one."""
    found = UnionFind(len(texts))
    first_by_hash: dict[bytes, int] = {}
    for index, text in enumerate(texts):
        digest = hashlib.blake2b(text.encode(), digest_size=16).digest()
        found.union(index, first_by_hash.setdefault(digest, index))
    signatures = minhash_signatures(texts)
    for a, b in _candidate_pairs(signatures, bands):
        if np.mean(signatures[a] == signatures[b]) >= threshold:
            found.union(a, b)
    roots = [found.find(i) for i in range(len(texts))]
    _, group_ids = np.unique(roots, return_inverse=True)
    return group_ids
