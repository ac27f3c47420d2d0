"""A document number's series view is computed once per series and index generation: every number of the series
shares it, and any commit to the index (from this process or another writer) makes the next answer fresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from indexer.backends.embedded import EmbeddedBackend
from indexer.catalog import Catalog
from indexer.config import Settings
from indexer.generation_cache import GenerationCache
from indexer.schema import RecordStatus
from search_api.app import create_app
from tests.api.dataset import _record


def held(serial: int, *, status: RecordStatus = RecordStatus.active) -> object:
    return _record(
        f"held{serial}",
        "jinan-gov",
        f"关于政府信息公开工作的通知（第{serial}号）",
        doc_number=f"济政办发〔2022〕{serial}号",
        issuer="济南市人民政府办公厅",
        status=status,
    )


@pytest.fixture()
def world(tmp_path: Path) -> Iterator[tuple[TestClient, EmbeddedBackend, Settings]]:
    settings = Settings(data_dir=tmp_path, backend="embedded", api_key=None)  # type: ignore[arg-type]
    backend = EmbeddedBackend(settings.index_dir)
    catalog = Catalog(settings.catalog_path)
    backend.upsert([held(serial) for serial in (1, 2, 3, 7, 8)])
    with TestClient(create_app(settings, backend=backend, catalog=catalog)) as client:
        yield client, backend, settings
    backend.close()
    catalog.close()


def series_of(client: TestClient, number: str, **params: object) -> dict:
    response = client.get(f"/doc-numbers/{quote(number, safe='')}", params=params)
    assert response.status_code == 200
    return response.json()["series"]


def cache_of(client: TestClient) -> GenerationCache:
    return client.app.state.services.series_cache  # type: ignore[attr-defined]


def test_numbers_of_one_series_share_one_computed_view(world) -> None:
    client, _, _ = world
    first = series_of(client, "济政办发〔2022〕1号")
    misses = cache_of(client).misses
    # another number, and another spelling, of the same series: the same view, from the cache
    assert series_of(client, "济政办发[2022]8号") == first
    assert series_of(client, "济政办发（2022）3号") == first
    assert cache_of(client).misses == misses and cache_of(client).hits >= 2
    assert (first["min_serial"], first["max_serial"], first["held_count"], first["gap_count"]) == (1, 8, 5, 3)
    # other options are another entry; a per-number page is never cached
    assert len(series_of(client, "济政办发〔2022〕1号", series_runs=1)["runs"]) == 1
    assert cache_of(client).misses == misses + 1
    page = series_of(client, "济政办发〔2022〕1号", series_numbers="true")
    assert [entry["serial"] for entry in page["numbers"]] == [1, 2, 3, 7, 8]
    assert cache_of(client).misses == misses + 1


def test_a_commit_in_this_process_makes_the_next_answer_fresh(world) -> None:
    client, backend, _ = world
    before = series_of(client, "济政办发〔2022〕1号")
    backend.upsert([held(5), held(2, status=RecordStatus.withdrawn)])
    after = series_of(client, "济政办发〔2022〕1号")
    assert after["held_count"] == before["held_count"] + 1 and after["gap_count"] == before["gap_count"] - 1
    assert {"state": "withdrawn", "first": 2, "last": 2, "count": 1} in after["runs"]
    assert {"state": "withdrawn", "first": 2, "last": 2, "count": 1} not in before["runs"]


def test_a_commit_from_another_writer_makes_the_next_answer_fresh(world) -> None:
    client, backend, settings = world
    before = series_of(client, "济政办发〔2022〕7号")
    backend.close()  # releases the writer lock; its searcher keeps serving the app
    other = EmbeddedBackend(settings.index_dir)
    other.upsert([held(12)])
    other.close()
    after = series_of(client, "济政办发〔2022〕7号")
    assert (before["max_serial"], after["max_serial"]) == (8, 12)
    assert after["numbers_total"] == before["numbers_total"] + 1


def test_without_a_generation_nothing_is_cached() -> None:
    cache = GenerationCache(max_entries=2)
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert [cache.get_or_compute(None, "k", compute) for _ in range(3)] == [1, 2, 3]
    assert cache.get_or_compute("g1", "k", compute) == 4
    assert cache.get_or_compute("g1", "k", compute) == 4
    assert cache.get_or_compute("g2", "k", compute) == 5  # a new generation empties the cache
    cache.get_or_compute("g2", "a", compute)
    cache.get_or_compute("g2", "b", compute)  # beyond max_entries: the least recently used ("k") goes
    assert cache.get_or_compute("g2", "k", compute) == 8
