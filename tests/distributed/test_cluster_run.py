"""The issue's proof on real engines: three workers on a Redis queue crawl fifty sites (the fixed portal's nine and
41 generated department sites harvested by the `generic` adapter), share a PostgreSQL catalogue and index into a
three-node Elasticsearch cluster; one worker is killed with SIGKILL mid-site and one Elasticsearch node is stopped
mid-run. Afterwards every manifest document is in the catalogue and in the index exactly once, and both portals'
request logs show no host crawled by two workers at once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from indexer.backends.elastic import ElasticsearchBackend
from indexer.catalog import Catalog
from indexer.config import split_hosts
from indexer.crawl_queue import SiteJob, SiteJobQueue
from indexer.schema import record_id
from portal.config import PortalConfig
from portal.generated.server import GeneratedPortal
from portal.server import PortalServer
from tests.crawler.generality import write_site_files
from tests.distributed.run_checks import assert_one_worker_per_site_at_a_time, assert_resumed_by_another
from tests.distributed.test_workers import start_worker

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "elasticsearch.sh"
GENERATED_SEED = 11  # any seed does; this one keeps the 41 sites to 645 documents
GENERATED_SITES = 41

pytestmark = pytest.mark.elasticsearch


def es_script(*args: str) -> str:
    done = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"elasticsearch.sh {' '.join(args)}: {done.stderr[-2000:]}"
    return done.stdout.strip()


@pytest.fixture
def cluster_hosts(es_url: str) -> list[str]:
    hosts = split_hosts(es_url)
    if len(hosts) < 3 or hosts != split_hosts(es_script("cluster-urls")):
        message = (
            f"needs this checkout's three-node cluster (scripts/elasticsearch.sh cluster-start), not {es_url}"
        )
        if os.environ.get("GONGKAI_REQUIRE_ES_CLUSTER") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return hosts


def sites_folder(directory: Path, generated: GeneratedPortal) -> Path:
    """The project's site files (the fixed portal's sites) beside one `platform: generic` file per generated
    site: GONGKAI_SITES_DIR replaces the project's folder, so the fixed sites are copied in."""
    directory.mkdir(parents=True)
    for path in (REPO / "sites").glob("*.yaml"):
        shutil.copy(path, directory / path.name)
    write_site_files(generated.manifest(), directory)
    return directory


def test_three_workers_fifty_sites_postgres_catalogue_es_cluster_one_worker_killed_one_node_stopped(
    tmp_path: Path,
    redis_url: str,
    prefix: str,
    queue: SiteJobQueue,
    fresh_postgres,
    cluster_hosts: list[str],
) -> None:
    catalog_url = fresh_postgres()
    index_name = f"test-workers-{uuid.uuid4().hex[:8]}"
    data_dir = tmp_path / "data"
    stopped_node: int | None = None
    workers: dict[str, subprocess.Popen[bytes]] = {}
    backend = ElasticsearchBackend(cluster_hosts, index_name, request_timeout=60)
    try:
        with (
            PortalServer(PortalConfig(seed=9, docs=540, base_port=0)) as portal,
            GeneratedPortal(GENERATED_SEED, GENERATED_SITES) as generated,
        ):
            environment = {
                "GONGKAI_CATALOG_URL": catalog_url,
                "GONGKAI_BACKEND": "elasticsearch",
                "GONGKAI_ELASTICSEARCH_URL": ",".join(cluster_hosts),
                "GONGKAI_ELASTICSEARCH_INDEX": index_name,
                "GONGKAI_SITES_DIR": str(sites_folder(tmp_path / "sites", generated)),
            }
            portal.record_requests()
            generated.record_requests()
            base_urls = {site.id: site.base_url for site in portal.sites} | generated.base_urls
            for site, base_url in base_urls.items():
                queue.enqueue(SiteJob(site=site, host=urlsplit(base_url).netloc, base_url=base_url))
            documents = [
                d for d in portal.manifest().documents if not d.robots_disallowed and not d.not_found
            ] + generated.manifest().documents
            expected = {record_id(d.url) for d in documents}
            assert len(expected) == len(documents)
            per_site = {site: sum(d.site == site for d in documents) for site in base_urls}
            assert len(per_site) >= 50 and all(per_site.values())

            for name in ("w1", "w2", "w3"):
                workers[name] = start_worker(
                    name, data_dir, redis_url, prefix, index=True, environment=environment
                )
            finish_by = time.monotonic() + 780  # ~7 min on two CPUs shared with other work
            # kill w1 in the middle of a site: some of it catalogued, at most half
            deadline = time.monotonic() + 300
            victim = None
            with Catalog(catalog_url) as catalog:
                while victim is None:
                    assert time.monotonic() < deadline, "w1 never got far enough into a site to be killed"
                    for lease in queue.leases():
                        done = catalog.record_count(lease.site) if lease.worker == "w1" else 0
                        if 10 <= done <= per_site[lease.site] // 2:
                            victim = lease.site
                    time.sleep(0.1)
            os.kill(workers["w1"].pid, signal.SIGKILL)
            killed_at = time.monotonic()
            workers["w1"].wait()
            stopped_node = 3
            es_script("node-stop", str(stopped_node))  # a node not holding the first URL the workers try
            with Catalog(catalog_url) as catalog:
                unfinished = [site for site, count in per_site.items() if catalog.record_count(site) < count]
            assert len(unfinished) >= 3, "the node was stopped too late to matter"
            for name in ("w2", "w3"):
                log = tmp_path / f"{name}.log"
                left = max(finish_by - time.monotonic(), 1)
                assert workers[name].wait(timeout=left) == 0, log.read_text()[-3000:]
            requests = portal.request_log() + generated.request_log()

        assert_resumed_by_another(queue.events(), victim, "w1")
        # w1's crawl died with it: no request in its name once it was killed (one in-flight request of slack)
        assert [r for r in requests if r.user_agent.endswith("worker/w1") and r.at > killed_at + 0.5] == []
        spans = assert_one_worker_per_site_at_a_time(requests)
        assert set(spans) == set(base_urls)
        assert len(spans[victim]) >= 2
        with Catalog(catalog_url) as catalog:
            assert catalog.record_count() == len(expected)
            assert all(catalog.get_state(rid) is not None for rid in expected)
            assert {site: catalog.record_count(site) for site in per_site} == per_site
        backend.refresh()
        for rid in expected:
            assert backend.get(rid) is not None, rid
        assert backend.stats().total == len(expected)
    finally:
        for worker in workers.values():  # a failed test leaves no worker behind (their crawls die with them)
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        if stopped_node is not None:
            es_script("node-start", str(stopped_node))
            httpx.get(
                f"{cluster_hosts[0]}/_cluster/health",
                params={"wait_for_status": "green", "timeout": "120s"},
                timeout=150,
            )
        backend.drop()
        backend.close()
