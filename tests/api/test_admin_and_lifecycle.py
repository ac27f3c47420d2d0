"""Admin key handling, background jobs, engine outages, and reading while another process writes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexer.backends.base import BackendUnavailable, UnavailableBackend
from indexer.backends.embedded import EmbeddedBackend
from indexer.catalog import Catalog
from indexer.config import Settings
from indexer.schema import record_id
from search_api.app import create_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def admin_client(tmp_path: Path):
    settings = Settings(data_dir=tmp_path, api_key="s3cret-key")
    backend = EmbeddedBackend(settings.index_dir)
    catalog = Catalog(settings.catalog_path)
    with TestClient(create_app(settings, backend=backend, catalog=catalog)) as client:
        yield client
    catalog.close()
    backend.close()


def _wait_for_exit(client: TestClient, job_id: str, headers: dict[str, str]) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        jobs = {job["job_id"]: job for job in client.get("/admin/jobs", headers=headers).json()}
        if jobs[job_id]["returncode"] is not None:
            return jobs[job_id]
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish")


def test_admin_rejects_missing_and_wrong_key(admin_client):
    assert admin_client.post("/admin/reindex").status_code == 401
    wrong = admin_client.post("/admin/reindex", headers={"X-API-Key": "s3cret-kez"})
    assert wrong.status_code == 401 and "X-API-Key" in wrong.json()["detail"]


def test_admin_starts_reindex_and_crawl_subprocesses(admin_client, tmp_path):
    headers = {"X-API-Key": "s3cret-key"}
    started = admin_client.post("/admin/reindex", headers=headers)
    assert started.status_code == 202
    job = started.json()
    assert job["command"] == ["gongkai", "reindex"] and job["pid"] > 0
    finished = _wait_for_exit(admin_client, job["job_id"], headers)
    assert Path(finished["log_file"]).is_file() and Path(finished["log_file"]).parent == tmp_path / "logs"

    crawl = admin_client.post("/admin/crawl", headers=headers, json={"site": "no-such-site"})
    assert crawl.status_code == 202 and crawl.json()["command"] == ["gongkai", "crawl", "no-such-site"]
    assert _wait_for_exit(admin_client, crawl.json()["job_id"], headers)["returncode"] != 0

    both = admin_client.post("/admin/crawl", headers=headers, json={"site": "a", "all": True})
    assert both.status_code == 400
    bad_name = admin_client.post("/admin/crawl", headers=headers, json={"site": "../etc"})
    assert bad_name.status_code == 422


def test_admin_runs_one_job_at_a_time(admin_client, tmp_path):
    from search_api.queries.jobs import Job

    headers = {"X-API-Key": "s3cret-key"}
    busy = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        jobs = admin_client.app.state.services.jobs
        jobs["busy"] = Job(
            "busy", ["gongkai", "crawl", "--all"], busy, datetime.now(UTC), tmp_path / "busy.log"
        )
        for refused in (
            admin_client.post("/admin/reindex", headers=headers),
            admin_client.post("/admin/crawl", headers=headers, json={"all": True}),
        ):
            assert refused.status_code == 409
            assert "busy (gongkai crawl --all) is still running" in refused.json()["detail"]
    finally:
        busy.kill()
        busy.wait()
    started = admin_client.post("/admin/reindex", headers=headers)
    assert started.status_code == 202
    _wait_for_exit(admin_client, started.json()["job_id"], headers)


def test_engine_down_is_503_json(tmp_path):
    settings = Settings(data_dir=tmp_path)
    catalog = Catalog(settings.catalog_path)
    backend = UnavailableBackend("connection refused to http://127.0.0.1:1")
    with TestClient(create_app(settings, backend=backend, catalog=catalog)) as client:  # type: ignore[arg-type]
        for path in ("/search?q=空气", "/doc-numbers/国发〔2019〕5号", "/documents/abc", "/export.csv?q=x"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert (
                "unavailable" in response.json()["detail"]
                and "connection refused" in response.json()["detail"]
            )
        page = client.get("/?q=空气")
        assert page.status_code == 503 and "unavailable" in page.text
        # the catalogue still answers
        assert client.get("/coverage").status_code == 200
    catalog.close()
    with pytest.raises(BackendUnavailable):
        backend.search(None)


def test_reader_sees_commits_of_another_process(tmp_path):
    """The API keeps one reader open while a crawler process writes; new commits become visible by themselves."""
    settings = Settings(data_dir=tmp_path)
    reader = EmbeddedBackend(settings.index_dir)
    catalog = Catalog(settings.catalog_path)
    url = "http://127.0.0.1:8900/jinan-gov/art/late.html"
    now = datetime.now(UTC).isoformat()
    writer_script = textwrap.dedent(
        f"""
        from indexer.backends.embedded import EmbeddedBackend
        from indexer.schema import DisclosureRecord, record_id
        backend = EmbeddedBackend({str(settings.index_dir)!r})
        backend.upsert([DisclosureRecord(id=record_id({url!r}), site="jinan-gov", url={url!r},
            title="晚到的通知", fetched_at={now!r}, first_seen_at={now!r}, last_seen_at={now!r},
            content_sha256="0" * 64)])
        backend.close()
        """
    )
    with TestClient(create_app(settings, backend=reader, catalog=catalog)) as client:
        assert client.get(f"/documents/{record_id(url)}").status_code == 404
        subprocess.run([sys.executable, "-c", writer_script], cwd=ROOT, check=True, timeout=60)
        deadline = time.monotonic() + 10
        status = 404
        while time.monotonic() < deadline and status != 200:
            time.sleep(0.2)
            status = client.get(f"/documents/{record_id(url)}").status_code
        assert status == 200
        assert client.get("/search", params={"q": "晚到"}).json()["total"] == 1
    catalog.close()
    reader.close()
