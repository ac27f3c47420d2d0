"""A crawl and a recrawl with the catalogue on PostgreSQL give, record by record, the outcome the SQLite catalogue
gives for the same portal; the API reads it."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from fastapi.testclient import TestClient

from indexer.catalog import Catalog
from indexer.config import Settings
from indexer.schema import record_id
from portal.config import PortalConfig
from portal.manifest import PortalManifest
from portal.server import PortalServer
from search_api.app import create_app
from tests.crawler.harness import run_crawl


def crawl(data_dir: Path, base_urls: dict[str, str], catalog_url: str | None) -> None:
    env = {"GONGKAI_CATALOG_URL": catalog_url} if catalog_url else None
    result = run_crawl(data_dir, base_urls, timeout=300, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def statuses(catalog: Catalog, manifest: PortalManifest) -> dict[str, str | None]:
    result = {}
    for doc in manifest.documents:
        if not (doc.robots_disallowed or doc.not_found):
            state = catalog.get_state(record_id(doc.url))
            result[doc.url] = state.status.value if state else None
    return result


def columns(catalog: Catalog) -> list[dict]:
    return [column.model_dump(exclude={"last_checked"}) for column in catalog.columns()]


def test_crawl_and_recrawl_with_a_postgresql_catalogue(tmp_path: Path, fresh_postgres) -> None:
    catalog_url = fresh_postgres()
    on_sqlite, on_postgres = tmp_path / "sqlite", tmp_path / "postgres"
    with PortalServer(PortalConfig(seed=5, docs=150, base_port=0, faults="jinan-zjj:churn=1")) as portal:
        base_urls = {site.id: site.base_url for site in portal.sites}
        for epoch in (0, 1):
            portal.set_epoch(epoch)
            crawl(on_sqlite, base_urls, None)
            crawl(on_postgres, base_urls, catalog_url)
        manifest = portal.manifest()

    assert not (on_postgres / "catalog.sqlite3").exists(), "the SQLite default was not used"
    with Catalog(catalog_url) as catalog, Catalog(on_sqlite / "catalog.sqlite3") as reference:
        got = statuses(catalog, manifest)
        assert got == statuses(reference, manifest)
        assert catalog.record_count() == reference.record_count()
        assert columns(catalog) == columns(reference)
        assert {run.site for run in catalog.latest_runs()} == {site.id for site in manifest.sites}
        assert all(run.ok for run in catalog.latest_runs())
    outcome = Counter((doc.status, got[doc.url]) for doc in manifest.documents if doc.url in got)
    print(dict(outcome), file=sys.stderr)
    assert outcome[("withdrawn", "withdrawn")] > 0 and outcome[("changed", "changed")] > 0
    assert outcome[("active", "active")] > 200

    settings = Settings(data_dir=on_postgres, catalog_url=catalog_url)
    with TestClient(create_app(settings)) as client:
        health = client.get("/health").json()
        catalogue = next(c for c in health["components"] if c["name"] == "catalog")
        assert catalogue["details"]["engine"] == "postgresql" and catalogue["status"] == "ok"
        coverage = client.get("/coverage")
        assert coverage.status_code == 200 and "jinan-zjj" in coverage.text
