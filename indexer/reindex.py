"""Rebuild an index from the WARC archive alone (the latest version of every record).

Embedded: the index is cleared and refilled in batches. Elasticsearch: a new versioned index is filled while the
old one keeps serving, then the alias moves to it in one atomic step.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from pydantic import BaseModel

from indexer.archive import latest_records
from indexer.backends.base import SearchBackend
from indexer.schema import DisclosureRecord

DEFAULT_BATCH_SIZE = 1000

ProgressCallback = Callable[[int], None]


class ReindexReport(BaseModel):
    backend: str
    records: int
    seconds: float
    index: str | None = None
    replaced: list[str] = []
    compacted: bool | None = None
    """Elasticsearch: whether the new index was merged down without its recovery source before the swap
    (False: the retention leases did not advance in time, merged anyway; None: not compacted)."""

    @property
    def docs_per_second(self) -> float:
        return self.records / self.seconds if self.seconds > 0 else 0.0


def batched(records: Iterable[DisclosureRecord], size: int) -> Iterator[list[DisclosureRecord]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


def rebuild(
    backend: SearchBackend,
    records: Iterable[DisclosureRecord],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback | None = None,
    compact: bool = True,
) -> ReindexReport:
    """Replace the backend's content with `records` (streamed in batches).

    Elasticsearch: with `compact`, the new index is merged down before it goes live, which drops the
    `_recovery_source` of the bulk load (about a third of its size; `ElasticsearchBackend.compact`), at the cost
    of up to ~30 s waiting for the retention leases and one rewrite of the index.
    """
    from indexer.backends.elastic import ElasticsearchBackend

    started = time.perf_counter()
    count = 0
    if isinstance(backend, ElasticsearchBackend):
        new_index = backend.create_next_index()
        for batch in batched(records, batch_size):
            count += backend.bulk_into(new_index, batch)
            if progress:
                progress(len(batch))
        compacted = backend.compact(new_index) if compact else None
        replaced = backend.swap_alias(new_index)
        return ReindexReport(
            backend=backend.name,
            records=count,
            seconds=time.perf_counter() - started,
            index=new_index,
            replaced=replaced,
            compacted=compacted,
        )
    backend.clear()
    for batch in batched(records, batch_size):
        count += backend.upsert(batch)
        if progress:
            progress(len(batch))
    optimize = getattr(backend, "optimize", None)
    if callable(optimize):
        optimize()
    backend.refresh()
    return ReindexReport(backend=backend.name, records=count, seconds=time.perf_counter() - started)


def reindex_from_archive(
    backend: SearchBackend,
    warc_dir: Path,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback | None = None,
    compact: bool = True,
) -> ReindexReport:
    """Rebuild `backend` from the latest archived version of every record in `warc_dir`."""
    return rebuild(
        backend, latest_records(warc_dir), batch_size=batch_size, progress=progress, compact=compact
    )
