"""Embedded facet counts are cached per index generation: repeated queries reuse them, any commit (from this
process or another one writing the same index) makes them fresh."""

from __future__ import annotations

from pathlib import Path

from indexer.backends.base import SearchRequest
from indexer.backends.embedded import EmbeddedBackend
from tests.index.corpus import build_corpus

FACETS = ["site", "issuer", "column", "category", "year"]


def counts(backend: EmbeddedBackend, q: str) -> dict[str, dict[str, int]]:
    response = backend.search(SearchRequest(q=q, size=5, facets=FACETS))
    return {name: {b.value: b.count for b in buckets} for name, buckets in response.facets.items()}


def test_repeated_facets_come_from_the_cache_and_equal_a_fresh_count(tmp_path: Path) -> None:
    records = build_corpus(300, seed=3)
    backend = EmbeddedBackend(tmp_path / "index")
    backend.upsert(records)
    first = counts(backend, "通知")
    assert sum(first["site"].values()) > 0
    misses = backend._facet_cache.misses
    assert counts(backend, "通知") == first
    assert backend._facet_cache.misses == misses and backend._facet_cache.hits >= 1
    # a fresh process over the same index counts the same
    other = EmbeddedBackend(tmp_path / "index")
    assert counts(other, "通知") == first
    other.close()
    backend.close()


def test_a_commit_from_another_writer_refreshes_cached_facets(tmp_path: Path) -> None:
    records = build_corpus(300, seed=5)
    writer = EmbeddedBackend(tmp_path / "index")
    writer.upsert(records[:200])
    reader = EmbeddedBackend(tmp_path / "index")
    before = counts(reader, "通知")
    before_total = reader.search(SearchRequest(q="通知", size=1)).total
    assert counts(reader, "通知") == before  # cached

    added = [
        r.model_copy(update={"site": "cache-probe-site", "title": r.title + "通知"}) for r in records[200:]
    ]
    writer.upsert(added)
    after = counts(reader, "通知")
    assert after["site"].get("cache-probe-site") == len(added)
    assert reader.search(SearchRequest(q="通知", size=1)).total == before_total + len(added)

    writer.delete([r.id for r in added])
    assert counts(reader, "通知") == before
    reader.close()
    writer.close()
