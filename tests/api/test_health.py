"""GET /health: components, their verdicts, and the 200/503 rule, on the embedded backend, Elasticsearch
(a real node or cluster), a dead Elasticsearch and an unreadable embedded index."""

from __future__ import annotations

import shutil
import uuid

import httpx
import pytest
from fastapi.testclient import TestClient

from indexer.backends.base import SearchBackend, UnavailableBackend
from indexer.backends.elastic import ElasticsearchBackend
from indexer.backends.embedded import EmbeddedBackend
from indexer.catalog import Catalog
from indexer.config import Settings
from indexer.health import ComponentHealth, HealthStatus
from search_api.app import create_app
from search_api.deps import Services
from search_api.queries.health import HEALTH_CHECKS, HealthCheck, health_report
from tests.api.dataset import Dataset


def _components(body: dict) -> dict[str, dict]:
    return {component["name"]: component for component in body["components"]}


def test_health_reports_index_and_catalog(
    client: TestClient, backend_kind: str, world: tuple[Settings, SearchBackend, Catalog, Dataset]
) -> None:
    backend = world[1]
    if isinstance(backend, ElasticsearchBackend):  # replicas of a new index may still be allocating
        httpx.get(
            f"{backend.hosts[0]}/_cluster/health",
            params={"wait_for_status": "green", "timeout": "30s"},
            timeout=40,
        )
    response = client.get("/health")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok", body
    components = _components(body)
    assert set(components) >= {"index", "catalog"}
    index, catalog = components["index"], components["catalog"]
    assert index["essential"] and catalog["essential"]
    assert index["status"] == catalog["status"] == "ok"
    assert catalog["details"]["sites"] == len(world[2].sites()) > 0
    if backend_kind == "embedded":
        assert index["details"]["engine"] == "tantivy"
        assert index["details"]["documents"] == world[1].stats().total > 0
    else:
        details = index["details"]
        assert details["engine"] == "elasticsearch"
        assert details["cluster_status"] == "green"
        assert details["unassigned_shards"] == 0
        assert details["number_of_nodes"] == len(details["nodes"]) >= 1
        assert details["unreachable_urls"] == []


def test_dead_elasticsearch_is_503_with_the_reason(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path)
    catalog = Catalog(settings.catalog_path)
    dead = ElasticsearchBackend(["http://127.0.0.1:9", "http://127.0.0.1:7"], "dead", request_timeout=2)
    with TestClient(create_app(settings, backend=dead, catalog=catalog)) as client:
        response = client.get("/health")
    catalog.close()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "30"
    body = response.json()
    assert body["status"] == "down"
    index = _components(body)["index"]
    assert index["status"] == "down" and index["essential"]
    assert "unreachable" in index["reason"] and "127.0.0.1" in index["reason"]
    assert index["details"]["urls"] == ["http://127.0.0.1:9", "http://127.0.0.1:7"]
    assert _components(body)["catalog"]["status"] == "ok"


def test_backend_that_failed_to_open_is_503(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path)
    catalog = Catalog(settings.catalog_path)
    backend = UnavailableBackend("cannot open the embedded index: permission denied")
    with TestClient(create_app(settings, backend=backend, catalog=catalog)) as client:  # type: ignore[arg-type]
        response = client.get("/health")
    catalog.close()
    assert response.status_code == 503
    assert "permission denied" in _components(response.json())["index"]["reason"]


def test_unreadable_embedded_index_is_down(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path)
    backend = EmbeddedBackend(settings.index_dir)
    assert backend.health().status is HealthStatus.ok
    shutil.rmtree(settings.index_dir)
    health = backend.health()
    assert health.status is HealthStatus.down
    assert str(settings.index_dir) in (health.reason or "")


def test_extra_components_and_the_503_rule(tmp_path) -> None:
    """A queue-like component plugs in as one more HealthCheck; only an essential one that is down is a 503."""
    settings = Settings(data_dir=tmp_path)
    backend = EmbeddedBackend(settings.index_dir)
    catalog = Catalog(settings.catalog_path)
    services = Services(settings=settings, backend=backend, catalog=catalog)

    def degraded_queue(_: Services) -> ComponentHealth:
        return ComponentHealth(
            name="queue", status=HealthStatus.degraded, essential=False, reason="1 of 3 workers"
        )

    def broken(_: Services) -> ComponentHealth:
        raise ConnectionRefusedError("redis at 127.0.0.1:1")

    def not_configured(_: Services) -> None:
        return None

    try:
        report = health_report(services, [*HEALTH_CHECKS, HealthCheck("queue", False, degraded_queue)])
        assert report.status is HealthStatus.degraded
        report = health_report(services, [*HEALTH_CHECKS, HealthCheck("queue", False, broken)])
        assert report.status is HealthStatus.degraded  # not essential: the API still answers
        assert report.components[-1].reason == "ConnectionRefusedError: redis at 127.0.0.1:1"
        report = health_report(services, [*HEALTH_CHECKS, HealthCheck("queue", True, broken)])
        assert report.status is HealthStatus.down
        report = health_report(services, [*HEALTH_CHECKS, HealthCheck("queue", True, not_configured)])
        assert report.status is HealthStatus.ok and [c.name for c in report.components] == [
            "index",
            "catalog",
        ]
    finally:
        catalog.close()
        backend.close()


def test_openapi_declares_the_health_model() -> None:
    schema = create_app().openapi()
    operation = schema["paths"]["/health"]["get"]
    assert set(operation["responses"]) >= {"200", "503"}
    component = schema["components"]["schemas"]["ComponentHealth"]
    assert set(component["properties"]) >= {"name", "status", "essential", "details", "reason"}
    assert set(schema["components"]["schemas"]["HealthStatus"]["enum"]) == {"ok", "degraded", "down"}


@pytest.mark.elasticsearch
def test_index_settings_reach_the_index(es_url: str) -> None:
    from indexer.backends.elastic import IndexSettings

    backend = ElasticsearchBackend(
        es_url,
        f"test-settings-{uuid.uuid4().hex[:8]}",
        index_settings=IndexSettings(shards=2, replicas=0, refresh_interval="5s"),
    )
    try:
        backend.ensure_index()
        index = backend.current_indices()[0]
        settings = httpx.get(f"{backend.hosts[0]}/{index}/_settings", timeout=10).json()[index]["settings"][
            "index"
        ]
        assert settings["number_of_shards"] == "2"
        assert settings["number_of_replicas"] == "0"
        assert settings["refresh_interval"] == "5s"
        # a rebuild's new index gets the configured refresh interval back after the bulk load
        new = backend.create_next_index()
        backend.swap_alias(new)
        settings = httpx.get(f"{backend.hosts[0]}/{new}/_settings", timeout=10).json()[new]["settings"][
            "index"
        ]
        assert settings["refresh_interval"] == "5s"
    finally:
        backend.drop()
        backend.close()


def _create_red_index(host: str, name: str, alias: str | None = None) -> None:
    """An index whose only primary shard may live on no node: it stays unassigned, the index red."""
    created = httpx.put(
        f"{host}/{name}",
        params={"wait_for_active_shards": "0"},  # the primary never starts: do not wait for it
        json={
            "settings": {"index.routing.allocation.require._name": "no-such-node", "number_of_replicas": 0},
            "aliases": {alias: {"is_write_index": True}} if alias else {},
        },
        timeout=30,
    )
    assert created.status_code == 200, created.text


@pytest.mark.elasticsearch
def test_red_index_is_down_and_another_red_index_only_degrades(es_url: str, tmp_path) -> None:
    host = es_url.split(",")[0]
    prefix = f"test-red-{uuid.uuid4().hex[:8]}"
    stray = f"test-stray-{uuid.uuid4().hex[:8]}"
    settings = Settings(data_dir=tmp_path)
    catalog = Catalog(settings.catalog_path)
    backend = ElasticsearchBackend(es_url, prefix)
    try:
        backend.ensure_index()
        _create_red_index(host, stray)
        with TestClient(create_app(settings, backend=backend, catalog=catalog)) as client:
            response = client.get("/health")
            assert response.status_code == 200, response.text  # someone else's index: ours still answers
            index = _components(response.json())["index"]
            assert index["status"] == "degraded" and index["details"]["cluster_status"] == "red"
            assert index["details"]["red_indices"] == [stray] and stray in index["reason"]

            backend.drop()
            _create_red_index(host, backend.versioned_name(1), alias=prefix)
            response = client.get("/health")
        assert response.status_code == 503, response.text
        index = _components(response.json())["index"]
        assert index["status"] == "down"
        assert index["details"]["unassigned_shards"] >= 2
        assert f"{prefix}-v1 misses a primary shard" in index["reason"]
    finally:
        httpx.delete(f"{host}/{stray}", timeout=30)
        backend.drop()
        backend.close()
        catalog.close()
