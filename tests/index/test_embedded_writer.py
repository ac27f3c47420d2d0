"""The embedded backend's write path: records analysed one at a time, a batch committed whole or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.backends.embedded import EmbeddedBackend
from indexer.schema import DisclosureRecord
from tests.index.corpus import build_corpus

CORPUS = build_corpus(30, seed=5)


def _failing_after(records: list[DisclosureRecord], count: int) -> Iterator[DisclosureRecord]:
    yield from records[:count]
    raise RuntimeError("the record source broke")


def test_a_batch_that_fails_midway_leaves_nothing_and_the_writer_usable(tmp_path: Path) -> None:
    backend = EmbeddedBackend(tmp_path / "index")
    try:
        assert backend.upsert(CORPUS[:10]) == 10
        with pytest.raises(RuntimeError, match="broke"):
            backend.upsert(_failing_after(CORPUS[10:20], 5))
        backend.refresh()
        assert backend.stats().total == 10
        assert all(backend.get(record.id) is None for record in CORPUS[10:20])
        # the rolled-back writer takes the next batch, and the next commit carries none of the failed one
        assert backend.upsert(iter(CORPUS[20:])) == 10
        backend.refresh()
        assert backend.stats().total == 20
        assert all(backend.get(record.id) is None for record in CORPUS[10:20])
        assert backend.get(CORPUS[25].id) == CORPUS[25]
    finally:
        backend.close()


def test_an_empty_batch_commits_nothing(tmp_path: Path) -> None:
    backend = EmbeddedBackend(tmp_path / "index")
    try:
        before = backend.generation()
        assert backend.upsert(iter([])) == 0
        assert backend.generation() == before
    finally:
        backend.close()
