"""Three `gongkai worker` processes crawl every portal site from one Redis queue; one is killed with SIGKILL in the
middle of a site. Afterwards every manifest document is in the catalogue and (after `gongkai reindex` over all
workers' WARC files) in the index exactly once, the killed worker's site was resumed by another worker, and the
portal's own request log shows that no site was ever crawled by two workers at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

from indexer.backends import open_backend
from indexer.catalog import Catalog
from indexer.config import Settings
from indexer.crawl_queue import SiteJob, SiteJobQueue
from indexer.schema import record_id
from portal.config import PortalConfig
from portal.server import PortalServer
from tests.crawler.harness import GONGKAI, REPO, crawl_env
from tests.distributed.run_checks import assert_one_worker_per_site_at_a_time, assert_resumed_by_another

SLOW = {"CONCURRENT_REQUESTS_PER_DOMAIN": "2", "DOWNLOAD_DELAY": "0.01", "AUTOTHROTTLE_ENABLED": "false"}
LEASE = 4.0


def catalogued(catalog_path: Path, site: str) -> int:
    if not catalog_path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{catalog_path}?mode=ro", uri=True, timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM records WHERE site=?", (site,)).fetchone()[0])
    except sqlite3.Error:
        return 0


def start_worker(
    name: str,
    data_dir: Path,
    redis_url: str,
    prefix: str,
    *,
    index: bool = False,
    environment: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    env = {
        **crawl_env(),
        "GONGKAI_REDIS_URL": redis_url,
        "GONGKAI_REDIS_PREFIX": prefix,
        **(environment or {}),
    }
    command = [str(GONGKAI), "worker", "--data-dir", str(data_dir), "--worker-id", name, "--drain"]
    command += ["--lease", str(LEASE)] + ([] if index else ["--no-index"])
    for setting, value in SLOW.items():
        command += ["--set", f"{setting}={value}"]
    log = (data_dir.parent / f"{name}.log").open("wb")
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


def test_three_workers_one_killed_every_document_exactly_once(
    tmp_path: Path, redis_url: str, prefix: str, queue: SiteJobQueue
) -> None:
    data_dir = tmp_path / "data"
    with PortalServer(PortalConfig(seed=7, docs=900, base_port=0)) as portal:
        portal.record_requests()
        for site in portal.sites:
            queue.enqueue(SiteJob(site=site.id, host=urlsplit(site.base_url).netloc, base_url=site.base_url))
        expected = {
            record_id(d.url)
            for d in portal.manifest().documents
            if not d.robots_disallowed and not d.not_found
        }
        workers = {name: start_worker(name, data_dir, redis_url, prefix) for name in ("w1", "w2", "w3")}

        # kill w1 once its current site is a third catalogued
        deadline = time.monotonic() + 240
        victim_site = None
        while victim_site is None:
            assert time.monotonic() < deadline, "w1 never got far enough into a site to be killed"
            for lease in queue.leases():
                if lease.worker == "w1" and catalogued(data_dir / "catalog.sqlite3", lease.site) >= 30:
                    victim_site = lease.site
            time.sleep(0.05)
        os.kill(workers["w1"].pid, signal.SIGKILL)
        killed_at = time.monotonic()
        workers["w1"].wait()

        for name in ("w2", "w3"):
            assert workers[name].wait(timeout=300) == 0, (tmp_path / f"{name}.log").read_text()[-3000:]
        requests = portal.request_log()

    assert_resumed_by_another(queue.events(), victim_site, "w1")
    # w1's crawl died with it: no request in its name once it was killed (one in-flight request of slack)
    late = [r for r in requests if r.user_agent.endswith("worker/w1") and r.at > killed_at + 0.5]
    assert late == []
    spans = assert_one_worker_per_site_at_a_time(requests)
    assert len(spans[victim_site]) >= 2

    # every document in the catalogue exactly once
    with Catalog(data_dir / "catalog.sqlite3") as catalog:
        assert catalog.record_count() == len(expected)
        assert all(catalog.get_state(rid) is not None for rid in expected)

    # each worker wrote its own WARC files; reindex reads them all and indexes each document once
    writers = {path.name.split("-")[2] for path in (data_dir / "warc").glob("gongkai-*.warc.gz")}
    assert {"w1", "w2", "w3"} <= writers or {"w2", "w3"} <= writers
    result = subprocess.run(
        [str(GONGKAI), "reindex", "--backend", "embedded", "--data-dir", str(data_dir)],
        cwd=REPO,
        env=crawl_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    backend = open_backend(Settings(data_dir=data_dir, backend="embedded"))
    try:
        assert backend.stats().total == len(expected)
    finally:
        backend.close()
