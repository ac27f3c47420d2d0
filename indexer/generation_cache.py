"""A least-recently-used cache of answers derived from an index, kept while the index generation they were
computed at is current.

A generation names one state of the index (`SearchBackend.generation()`); the caller asks for it before
computing, so the searcher it then reads is at least as new. A new generation empties the cache; None (a backend
without generations) means no caching. Used for facet counts inside the embedded backend and for
document-number series in the search API.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

_V = TypeVar("_V")


class GenerationCache(Generic[_V]):
    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, _V] = OrderedDict()
        self._generation: Hashable | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, generation: Hashable | None, key: Hashable, compute: Callable[[], _V]) -> _V:
        if generation is None:
            return compute()
        with self._lock:
            if generation != self._generation:
                self._entries.clear()
                self._generation = generation
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return hit
            self.misses += 1
        value = compute()
        with self._lock:
            if generation == self._generation:  # not if a newer generation arrived meanwhile
                self._entries[key] = value
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def stats(self) -> dict[str, Any]:
        return {"entries": len(self._entries), "hits": self.hits, "misses": self.misses}
