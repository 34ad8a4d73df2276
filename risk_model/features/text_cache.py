"""A least-recently-used cache of per-text results that a whole batch can fill at once.

``functools.lru_cache`` fills itself one call at a time. The legal spans of a batch are read faster
finder by finder across the batch than text by text (risk_model.features.indicators.read_legal_spans),
so their cache must take a batch's results: ``put`` does, with lru_cache's ``cache_info`` and
``cache_clear`` beside it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, NamedTuple, TypeVar

V = TypeVar("V")


class CacheInfo(NamedTuple):
    hits: int
    misses: int
    maxsize: int
    currsize: int


class TextCache(Generic[V]):
    """Text -> result, the least recently used dropped past MAXSIZE; safe to share between threads."""

    def __init__(self, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError("a text cache holds at least one entry")
        self.maxsize = maxsize
        self._entries: OrderedDict[str, V] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = self._misses = 0

    def get(self, text: str) -> V | None:
        """The cached result for TEXT (now the most recently used), or None."""
        with self._lock:
            found = self._entries.get(text)
            if found is None:
                self._misses += 1
            else:
                self._hits += 1
                self._entries.move_to_end(text)
            return found

    def put(self, text: str, value: V) -> V:
        """Cache VALUE for TEXT and return it."""
        with self._lock:
            self._entries[text] = value
            self._entries.move_to_end(text)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
        return value

    def cache_info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(self._hits, self._misses, self.maxsize, len(self._entries))

    def cache_clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._hits = self._misses = 0
