"""Schema migrations, streaming, health and copying, on both catalogue engines."""

from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main as gongkai
from indexer.catalog import SCHEMA_VERSION, TABLES, Catalog, CatalogError, redact
from indexer.schema import Column, RecordStatus, Site, record_id
from tests.catalog.test_catalog import T0, make_record

# the catalogue as it was before versioned migrations: the same tables, no schema_migrations
_UNVERSIONED = """
CREATE TABLE sites (id TEXT PRIMARY KEY, name TEXT NOT NULL, department TEXT NOT NULL, platform TEXT NOT NULL,
    base_url TEXT NOT NULL);
CREATE TABLE records (id TEXT PRIMARY KEY, site TEXT NOT NULL, url TEXT NOT NULL, version INTEGER NOT NULL,
    content_sha256 TEXT NOT NULL, status TEXT NOT NULL, title TEXT NOT NULL DEFAULT '',
    first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, withdrawn_at TEXT, published_date TEXT,
    written_date TEXT, has_doc_number INTEGER NOT NULL, has_index_number INTEGER NOT NULL,
    has_written_date INTEGER NOT NULL, etag TEXT, last_modified TEXT, list_signal TEXT);
INSERT INTO sites VALUES ('s1', 'n', 'd', 'govcn', 'http://x/');
"""


def fill(catalog: Catalog, records: int = 7) -> None:
    catalog.upsert_site(Site(id="s1", name="某局", department="d", platform="generic", base_url="http://x/"))
    for i in range(records):
        catalog.save_record(make_record(f"http://x/{i}", doc_number=f"济政办发〔2014〕{i + 1}号"))
    catalog.save_record(make_record("http://x/0", version=2, status=RecordStatus.changed))
    catalog.save_columns(
        "s1", "r1", [Column(id="c1", site="s1", name="通知公告", path=["通知公告"], item_count=3)]
    )
    run = catalog.start_run("s1", T0)
    catalog.finish_run(run, ok=True, report={"records": records, "名称": "中文"})


def test_a_new_catalogue_has_the_current_schema_version_and_reopening_applies_nothing(catalog_location):
    with Catalog(catalog_location) as catalog:
        assert catalog.schema_version() == SCHEMA_VERSION
        fill(catalog)
    with Catalog(catalog_location) as catalog:
        assert catalog.schema_version() == SCHEMA_VERSION
        rows = catalog._query("SELECT COUNT(*) AS n FROM schema_migrations")
        assert rows[0]["n"] == SCHEMA_VERSION
        assert catalog.record_count() == 7


def test_an_unversioned_sqlite_catalogue_is_adopted_with_its_data(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(_UNVERSIONED)
    db.close()
    with Catalog(path) as catalog:
        assert catalog.schema_version() == SCHEMA_VERSION
        assert [site.id for site in catalog.sites()] == ["s1"]
        catalog.save_record(make_record("http://x/new"))  # the tables the old file lacked exist now
        assert len(catalog.versions(record_id("http://x/new"))) == 1


def test_a_catalogue_from_a_newer_gongkai_is_refused(catalog_location):
    with Catalog(catalog_location) as catalog:
        catalog._query(
            "INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)", (SCHEMA_VERSION + 1, "x")
        )
    with pytest.raises(CatalogError, match="newer than this gongkai"):
        Catalog(catalog_location)


def test_catalogues_opened_at_once_migrate_once(catalog_location):
    opened: list[Catalog] = []
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            opened.append(Catalog(catalog_location))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert opened[0]._query("SELECT COUNT(*) AS n FROM schema_migrations")[0]["n"] == SCHEMA_VERSION
    for catalog in opened:
        catalog.close()


def test_vanished_ids_stream_while_the_catalogue_is_written(catalog):
    fill(catalog, records=5)
    later = T0 + timedelta(days=2)
    catalog.touch(record_id("http://x/1"), later)
    catalog.save_record(make_record("http://x/2", status=RecordStatus.withdrawn, last_seen_at=T0))
    vanished = []
    for rid in catalog.vanished_record_ids("s1", T0 + timedelta(days=1)):
        vanished.append(rid)
        catalog.touch(rid, later)  # writing while the ids stream
    assert sorted(vanished) == sorted(record_id(f"http://x/{i}") for i in (0, 3, 4))


def test_health_names_the_engine_and_hides_the_password(catalog):
    fill(catalog, records=1)
    health = catalog.health()
    assert health["engine"] == catalog.engine and health["schema_version"] == SCHEMA_VERSION
    assert health["sites"] == 1
    assert redact("postgresql://u:secret@h:5432/d") == "postgresql://u:***@h:5432/d"


def test_an_unreachable_server_is_a_clear_error():
    with pytest.raises(
        CatalogError, match=r"cannot connect to the catalogue at postgresql://u:\*\*\*@127.0.0.1:9/"
    ):
        Catalog("postgresql://u:secret@127.0.0.1:9/gongkai")


def test_migrate_copies_sqlite_into_postgresql_and_checks_counts(tmp_path: Path, fresh_postgres):
    source = tmp_path / "catalog.sqlite3"
    with Catalog(source) as catalog:
        fill(catalog, records=2500)  # more than one copy batch
    target = fresh_postgres()
    runner = CliRunner()
    for _ in range(2):  # a re-run copies nothing twice
        result = runner.invoke(gongkai, ["catalog", "migrate", "--from", str(source), "--to", target])
        assert result.exit_code == 0, result.output
    assert "INCOMPLETE" not in result.output
    with Catalog(source) as origin, Catalog(target) as copy:
        for table in TABLES:
            assert copy.table_count(table) == origin.table_count(table)
        assert copy.get_state(record_id("http://x/0")) == origin.get_state(record_id("http://x/0"))
        assert copy.versions(record_id("http://x/0")) == origin.versions(record_id("http://x/0"))
        assert copy.columns("s1") == origin.columns("s1")
        assert copy.latest_runs() == origin.latest_runs()
        assert copy.completeness() == origin.completeness()
