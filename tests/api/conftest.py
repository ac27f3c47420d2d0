"""Fixtures: one data set in a fresh backend (embedded and Elasticsearch) + catalogue, and the app over it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexer.backends.base import SearchBackend
from indexer.catalog import Catalog
from indexer.config import Settings
from search_api.app import create_app
from tests.api.dataset import Dataset, build_dataset


def _open_backend(kind: str, index_dir: Path, request: pytest.FixtureRequest) -> SearchBackend:
    if kind == "embedded":
        from indexer.backends.embedded import EmbeddedBackend

        return EmbeddedBackend(index_dir)
    url = request.getfixturevalue("es_url")  # tests/conftest.py: skips, or fails when GONGKAI_REQUIRE_ES=1
    from indexer.backends.elastic import ElasticsearchBackend

    return ElasticsearchBackend(url, f"gongkai-apitest-{uuid.uuid4().hex[:8]}")


@pytest.fixture(
    scope="module",
    params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)],
)
def backend_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def world(
    backend_kind: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[Settings, SearchBackend, Catalog, Dataset]]:
    data_dir = tmp_path_factory.mktemp(f"api-{backend_kind}")
    settings = Settings(data_dir=data_dir, backend=backend_kind, api_key=None)  # type: ignore[arg-type]
    backend = _open_backend(backend_kind, settings.index_dir, request)
    catalog = Catalog(settings.catalog_path)
    dataset = build_dataset(backend, catalog, settings.warc_dir)
    yield settings, backend, catalog, dataset
    if hasattr(backend, "drop"):
        backend.drop()
    backend.close()
    catalog.close()


@pytest.fixture(scope="module")
def dataset(world: tuple[Settings, SearchBackend, Catalog, Dataset]) -> Dataset:
    return world[3]


@pytest.fixture(scope="module")
def client(world: tuple[Settings, SearchBackend, Catalog, Dataset]) -> Iterator[TestClient]:
    settings, backend, catalog, _ = world
    app = create_app(settings, backend=backend, catalog=catalog)
    with TestClient(app) as test_client:
        yield test_client
