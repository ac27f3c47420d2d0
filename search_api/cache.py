"""Small in-process caches: time-bounded for whole-catalogue scans (coverage at 100k+ records), per index
generation for answers derived from the index (a document-number series)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class TimedCache:
    def __init__(self, ttl_seconds: float, max_entries: int = 64) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and now - hit[0] < self.ttl_seconds:
                return hit[1]
        value = compute()
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[key] = (now, value)
        return value


class GenerationCache:
    """Answers derived from the index, kept while the index generation they were computed at is current.

    The generation comes from `SearchBackend.generation()`, asked before computing (the searcher is then at least
    as new); a new one empties the cache, None (a backend without generations) means no caching. Least recently
    used entries go first beyond `max_entries`.
    """

    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._generation: Hashable | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, generation: Hashable | None, key: Hashable, compute: Callable[[], Any]) -> Any:
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
