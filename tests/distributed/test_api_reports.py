"""/health, /metrics and `gongkai status` / `gongkai schedule` report the crawl queue and its workers."""

from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from cli.main import main as gongkai
from indexer.config import Settings
from indexer.crawl_queue import SiteJob, SiteJobQueue, WorkerBeat
from search_api.app import create_app


def test_health_and_metrics_report_the_queue(
    tmp_path: Path, redis_url: str, prefix: str, queue: SiteJobQueue
) -> None:
    settings = Settings(data_dir=tmp_path, redis_url=redis_url, redis_prefix=prefix)
    queue.enqueue(SiteJob(site="a", host="a.gov.cn"), due=1)
    queue.enqueue(SiteJob(site="b", host="b.gov.cn"), due=time.time() + 3600)
    with TestClient(create_app(settings)) as client:
        body = client.get("/health").json()
        component = next(c for c in body["components"] if c["name"] == "crawl_queue")
        assert component["status"] == "degraded" and "no worker" in component["reason"]
        assert component["details"]["queue_depth"] == 1

        queue.heartbeat(WorkerBeat(worker="w1", machine="m", pid=1, site=None, seen=time.time()))
        assert queue.claim("w1", 60) == "a"
        queue.record_outcome("a", "w1", ok=False)
        component = next(c for c in client.get("/health").json()["components"] if c["name"] == "crawl_queue")
        assert component["details"]["workers"] == 1 and component["details"]["leases"] == 1
        assert component["details"]["failing_sites"] == ["a"]
        assert body["status"] != "down", "the queue is not essential to searching"

        metrics = client.get("/metrics")
        assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
        text = metrics.text
        assert 'gongkai_component_up{component="crawl_queue"} 1.0' in text
        assert "gongkai_workers 1.0" in text and "gongkai_queue_leases 1.0" in text
        assert 'gongkai_site_failures_total{site="a"} 1.0' in text


def test_without_a_queue_health_leaves_it_out(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path))) as client:
        names = {c["name"] for c in client.get("/health").json()["components"]}
        assert "crawl_queue" not in names
        assert "gongkai_queue_due" not in client.get("/metrics").text


def test_status_and_schedule_commands(
    tmp_path: Path, redis_url: str, prefix: str, queue: SiteJobQueue, monkeypatch
) -> None:
    monkeypatch.setenv("GONGKAI_REDIS_URL", redis_url)
    monkeypatch.setenv("GONGKAI_REDIS_PREFIX", prefix)
    runner = CliRunner()
    added = runner.invoke(
        gongkai, ["schedule", "add", "jinan-gov", "--base-url", "jinan-gov=http://127.0.0.1:9/"]
    )
    assert added.exit_code == 0, added.output
    assert queue.job("jinan-gov") == SiteJob(
        site="jinan-gov", host="127.0.0.1:9", base_url="http://127.0.0.1:9/", reason="added"
    )
    shown = runner.invoke(gongkai, ["schedule"])
    assert shown.exit_code == 0 and "DUE" in shown.output and "jinan-gov" in shown.output
    queue.record_outcome("jinan-gov", "w", ok=True)
    status = runner.invoke(gongkai, ["status"])
    assert status.exit_code == 0 and "1 due now" in status.output and "error rate 0%" in status.output
    unknown = runner.invoke(gongkai, ["schedule", "add", "no-such-site"])
    assert unknown.exit_code != 0 and "unknown site" in unknown.output


def test_no_queue_configured_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.delenv("GONGKAI_REDIS_URL", raising=False)
    result = CliRunner().invoke(gongkai, ["status"])
    assert result.exit_code == 2 and "GONGKAI_REDIS_URL" in result.output
