"""A three-node Elasticsearch cluster loses a node: search and indexing go on, /health says degraded (yellow),
and after the node is back the cluster is green again with nothing lost.

Needs the cluster of `scripts/elasticsearch.sh cluster-start` (what scripts/test.sh starts unless
GONGKAI_ES_TOPOLOGY=single) with GONGKAI_TEST_ES_URL set to its `cluster-urls`: the test stops and restarts one
of its nodes through the same script.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from indexer.backends.base import SearchRequest
from indexer.backends.elastic import ElasticsearchBackend
from indexer.catalog import Catalog
from indexer.config import Settings, split_hosts
from search_api.app import create_app
from tests.index.corpus import build_corpus

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "elasticsearch.sh"

pytestmark = pytest.mark.elasticsearch


def _script(*args: str) -> str:
    done = subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=600, check=False, env=os.environ.copy()
    )
    assert done.returncode == 0, f"elasticsearch.sh {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done.stdout.strip()


@pytest.fixture(scope="module")
def cluster_hosts(es_url: str) -> list[str]:
    hosts = split_hosts(es_url)
    script_hosts = split_hosts(_script("cluster-urls"))
    if hosts != script_hosts:
        message = (
            f"GONGKAI_TEST_ES_URL ({es_url}) is not this checkout's cluster ({','.join(script_hosts)}); "
            "run scripts/elasticsearch.sh cluster-start and export GONGKAI_TEST_ES_URL=$(scripts/elasticsearch.sh "
            "cluster-urls)"
        )
        if os.environ.get("GONGKAI_REQUIRE_ES_CLUSTER") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return hosts


def _cluster_health(host: str, **params: str) -> dict:
    response = httpx.get(f"{host}/_cluster/health", params=params, timeout=120)
    response.raise_for_status()
    return response.json()


def test_losing_one_node_keeps_search_and_indexing(cluster_hosts: list[str], tmp_path: Path) -> None:
    records = build_corpus(160, seed=23)
    first, later = records[:120], records[120:]
    backend = ElasticsearchBackend(cluster_hosts, f"test-failover-{uuid.uuid4().hex[:8]}", request_timeout=60)
    settings = Settings(data_dir=tmp_path, backend="elasticsearch", elasticsearch_url=",".join(cluster_hosts))
    catalog = Catalog(settings.catalog_path)
    stopped: int | None = None
    try:
        backend.upsert(first)
        backend.refresh()
        assert _cluster_health(cluster_hosts[0], wait_for_status="green", timeout="60s")["status"] == "green"
        index = backend.current_indices()[0]
        shards = httpx.get(
            f"{cluster_hosts[0]}/_cat/shards/{index}", params={"format": "json"}, timeout=30
        ).json()
        assert sorted(shard["prirep"] for shard in shards) == ["p", "r"], (
            shards
        )  # auto replicas: one copy more
        # stop the node holding the primary: the replica has to take over
        primary_node = next(shard["node"] for shard in shards if shard["prirep"] == "p")
        stopped = int(primary_node.rsplit("-", 1)[1])
        stopped_url = cluster_hosts[stopped - 1]
        _script("node-stop", str(stopped))
        alive = [host for host in cluster_hosts if host != stopped_url]

        with TestClient(create_app(settings, backend=backend, catalog=catalog)) as client:
            response = client.get("/health")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "degraded"
        index_health = next(c for c in body["components"] if c["name"] == "index")
        assert index_health["status"] == "degraded"
        # the replica of the lost node's shard stays unassigned for the node-left delay (1 minute by default)
        assert index_health["details"]["cluster_status"] == "yellow", index_health
        assert index_health["details"]["unreachable_urls"] == [stopped_url]
        assert index_health["details"]["number_of_nodes"] == len(cluster_hosts) - 1
        assert "yellow" in index_health["reason"] and stopped_url in index_health["reason"]

        # search still finds everything, through a client that also lists the dead node
        assert backend.search(SearchRequest(q="", size=0, facets=[])).total == len(first)
        assert backend.get(first[0].id) == first[0]
        # and indexing goes on
        assert backend.upsert(later) == len(later)
        backend.refresh()
        assert backend.search(SearchRequest(q="", size=0, facets=[])).total == len(records)
        assert backend.get(later[-1].id) == later[-1]
        assert all(_cluster_health(host)["number_of_nodes"] == len(alive) for host in alive)

        _script("node-start", str(stopped))
        stopped = None
        assert _cluster_health(cluster_hosts[0], wait_for_status="green", timeout="90s")["status"] == "green"
        with TestClient(create_app(settings, backend=backend, catalog=catalog)) as client:
            body = client.get("/health").json()
        assert body["status"] == "ok", body
        assert backend.search(SearchRequest(q="", size=0, facets=[])).total == len(records)
    finally:
        if stopped is not None:
            _script("node-start", str(stopped))
        backend.drop()
        backend.close()
        catalog.close()
