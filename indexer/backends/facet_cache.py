"""Facet counts of the embedded index, cached per index generation.

Counting five facets over the hundreds of thousands of records a common word matches costs more than the search
itself, and the same query's facets are asked again and again (paging, sorting, a popular word). The counts only
change when the index does: every commit (and every merge) rewrites the index's `meta.json`, so its identity
(inode, size, mtime) names the generation, and a new one empties the cache. Like Elasticsearch's shard request
cache, which is also dropped on refresh.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from indexer.backends.base import FacetBucket
from indexer.generation_cache import GenerationCache

Facets = dict[str, list[FacetBucket]]
Generation = tuple[int, int, int] | None


class FacetCache:
    def __init__(self, meta_path: Path, *, capacity: int = 512) -> None:
        self._meta_path = meta_path
        self._entries: GenerationCache[Facets] = GenerationCache(max_entries=capacity)
        self._generation: Generation = None
        self._lock = threading.Lock()

    @property
    def hits(self) -> int:
        return self._entries.hits

    @property
    def misses(self) -> int:
        return self._entries.misses

    def generation(self) -> Generation:
        try:
            stat = self._meta_path.stat()
        except OSError:
            return None
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns)

    def sync(self, reload: Callable[[], None]) -> Generation:
        """The index's current generation. On a new one the cache is emptied and `reload` (the caller's searcher
        reload) runs before any caller can see the new generation, so a searcher opened after this call is at
        least as new as the generation returned, and no entry is computed from an older one."""
        current = self.generation()
        with self._lock:
            if current != self._generation:
                reload()
                self._entries.clear()
                self._generation = current
            return current

    def clear(self) -> None:
        self._entries.clear()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Facets]) -> Facets:
        """Cached under the generation of the last `sync`; an index without `meta.json` yet caches nothing."""
        return self._entries.get_or_compute(self._generation, key, compute)

    def stats(self) -> dict[str, Any]:
        return self._entries.stats()
