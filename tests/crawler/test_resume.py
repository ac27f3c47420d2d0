"""A crawl killed with SIGKILL mid-run resumes from its JOBDIR without losing or duplicating records."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from indexer.backends import open_backend
from indexer.catalog import Catalog
from indexer.config import Settings
from indexer.schema import record_id
from portal.config import PortalConfig
from portal.server import PortalServer
from tests.crawler.harness import GONGKAI, REPO, crawl_command, crawl_env, run_crawl

SITES = ("jinan-gov", "jinan-jyj", "jinan-sthjj", "jinan-czj")
SLOW = {"CONCURRENT_REQUESTS_PER_DOMAIN": "2", "DOWNLOAD_DELAY": "0.01", "GONGKAI_INDEX_BATCH": "7"}


def _catalogued(catalog_path: Path) -> int:
    if not catalog_path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{catalog_path}?mode=ro", uri=True, timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM records").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_kill_9_then_resume(tmp_path: Path) -> None:
    data_dir, jobdir = tmp_path / "data", tmp_path / "job"
    with PortalServer(PortalConfig(seed=3, docs=700, base_port=0)) as portal:
        urls = {site: portal.base_url(site) for site in SITES}
        expected = {
            record_id(d.url)
            for d in portal.manifest().documents
            if d.site in SITES and not d.robots_disallowed and not d.not_found
        }
        command = crawl_command(data_dir, urls, sites=SITES, jobdir=jobdir, settings=SLOW)
        process = subprocess.Popen(
            command, cwd=REPO, env=crawl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while _catalogued(data_dir / "catalog.sqlite3") < len(expected) // 3:
            assert process.poll() is None, "the crawl finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        killed_at = _catalogued(data_dir / "catalog.sqlite3")
        assert 0 < killed_at < len(expected)

        resumed = run_crawl(data_dir, urls, sites=SITES, jobdir=jobdir, settings=SLOW)
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr[-3000:]
        assert "(resumed)" in resumed.stdout

    with Catalog(data_dir / "catalog.sqlite3") as catalog:
        states = {sid: s for site in SITES for sid, s in catalog.states_for_site(site).items()}
        assert set(states) == expected
        assert all(state.version == 1 and state.status.value == "active" for state in states.values())
        assert all(len(catalog.versions(sid)) == 1 for sid in expected)
    backend = open_backend(Settings(data_dir=data_dir))
    try:
        assert backend.stats().total == len(expected)
    finally:
        backend.close()
    verify = subprocess.run(
        [str(GONGKAI), "archive", "verify", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env=crawl_env(),
        check=False,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert " 0 bad digests" in verify.stdout
