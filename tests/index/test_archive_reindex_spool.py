"""The WARC reader, rebuilding an index from the archive, the spool, and the `gongkai index` commands."""

from __future__ import annotations

import gzip
import json
import uuid
import zlib
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.archive import (
    ArchiveReadError,
    iter_archived_records,
    iter_column_snapshots,
    iter_run_reports,
    iter_warc_files,
    latest_records,
    read_response,
    verify_archive,
)
from indexer.backends import open_backend
from indexer.backends.base import BackendUnavailable, SearchRequest
from indexer.backends.elastic import ElasticsearchBackend
from indexer.backends.embedded import EmbeddedBackend
from indexer.backends.spool import SpoolingIndexer
from indexer.config import Settings
from indexer.reindex import reindex_from_archive
from indexer.schema import RecordStatus
from tests.index.corpus import T0, build_corpus
from tests.index.warc_helper import TestWarc

RECORDS = build_corpus(60, seed=3)


def write_archive(warc_dir: Path) -> dict[str, object]:
    """Two files: versions 1 of every record, then changes to a few (a new version and a withdrawal)."""
    first = TestWarc(warc_dir, 1)
    offsets: dict[str, object] = {}
    for record in RECORDS[:40]:
        offset, warc_id = first.response(record.url, f"<html>{record.title}</html>".encode())
        offsets.setdefault("response", (first.path, offset, record))
        resource_offset = first.record(record, refers_to=warc_id)
        offsets.setdefault("resource", resource_offset)
    first.columns({"site": "jinan-gov", "run_id": "r1", "checked_at": T0.isoformat(), "columns": []})
    first.close()
    second = TestWarc(warc_dir, 2)
    for record in RECORDS[40:]:
        second.record(record)
    changed = RECORDS[0].model_copy(update={"title": "修订后的标题", "version": 2})
    withdrawn = RECORDS[1].model_copy(update={"status": RecordStatus.withdrawn})
    second.record(changed)
    second.record(withdrawn)
    second.run_report({"site": "jinan-gov", "run_id": "r1", "fetched": 40})
    second.close()
    offsets["changed"] = changed
    offsets["withdrawn"] = withdrawn
    return offsets


def test_reader_reads_records_in_write_order_and_keeps_the_latest(tmp_path: Path) -> None:
    facts = write_archive(tmp_path)
    assert [p.name for p in iter_warc_files(tmp_path)] == [
        "gongkai-20261101080000-00001.warc.gz",
        "gongkai-20261101080000-00002.warc.gz",
    ]
    archived = list(iter_archived_records(tmp_path))
    assert len(archived) == 62
    assert [r.id for r in archived[:60]] == [r.id for r in RECORDS]
    latest = {r.id: r for r in latest_records(tmp_path)}
    assert len(latest) == 60
    assert latest[RECORDS[0].id] == facts["changed"]
    assert latest[RECORDS[1].id] == facts["withdrawn"]
    assert latest[RECORDS[2].id] == RECORDS[2]
    snapshots = list(iter_column_snapshots(tmp_path))
    assert [(s.site, s.run_id) for s in snapshots] == [("jinan-gov", "r1")]
    assert list(iter_run_reports(tmp_path)) == [{"site": "jinan-gov", "run_id": "r1", "fetched": 40}]
    assert list(iter_archived_records(tmp_path / "missing")) == []


def test_read_response_returns_the_archived_bytes(tmp_path: Path) -> None:
    facts = write_archive(tmp_path)
    path, offset, record = facts["response"]  # type: ignore[misc]
    response = read_response(path, offset)
    assert response.url == record.url
    assert response.status == 200
    assert response.body == f"<html>{record.title}</html>".encode()
    assert response.content_type == "text/html; charset=utf-8"
    assert response.fetched_at is not None
    with pytest.raises(ArchiveReadError, match="not a response"):
        read_response(path, facts["resource"])  # type: ignore[arg-type]
    with pytest.raises(ArchiveReadError):
        read_response(path, offset + 3)
    with pytest.raises(ArchiveReadError, match="not found"):
        read_response(tmp_path / "nope.warc.gz", 0)
    # Stray bytes that warcio would otherwise take for a legacy ARC header are not a record.
    stray = tmp_path / "stray.warc"
    stray.write_bytes(b"]Q\xcbn\xd3@ \xddG \xca?\xf8 &cv J\n\n")
    with pytest.raises(ArchiveReadError, match="no WARC record"):
        read_response(stray, 0)


def tamper_member(path: Path, offset: int, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    raw = inflater.decompress(data[offset:])
    end = len(data) - len(inflater.unused_data)
    assert old in raw
    path.write_bytes(data[:offset] + gzip.compress(raw.replace(old, new, 1)) + data[end:])


def test_verify_archive_reports_bad_digests_and_truncation(tmp_path: Path) -> None:
    facts = write_archive(tmp_path)
    report = verify_archive(tmp_path)
    assert report.ok and report.bad == 0 and report.records == 104
    # change the body of one archived response (its gzip member rewritten, digests left as they were)
    path, offset, _record = facts["response"]  # type: ignore[misc]
    tamper_member(path, offset, b"<html>", b"<HTML>")
    damaged = verify_archive(tmp_path)
    assert damaged.bad >= 1 and not damaged.ok
    assert any("digest" in problem for check in damaged.files for problem in check.problems)
    # cut the second file in the middle of a record
    second = iter_warc_files(tmp_path)[1]
    second.write_bytes(second.read_bytes()[: second.stat().st_size // 2])
    truncated = verify_archive(tmp_path)
    check = next(c for c in truncated.files if c.file == second.name)
    assert not check.readable and check.error
    assert 0 < check.records < 23
    # the readers keep going and yield what is readable
    assert 40 <= len(list(iter_archived_records(tmp_path))) < 62


def _search_ids(backend, q: str = "") -> set[str]:
    return {h.record.id for h in backend.search(SearchRequest(q=q, size=100, facets=[])).hits}


def test_reindex_embedded_from_the_archive(tmp_path: Path) -> None:
    write_archive(tmp_path / "warc")
    backend = EmbeddedBackend(tmp_path / "index")
    backend.upsert(build_corpus(5, seed=99))  # stale content must disappear
    backend.refresh()
    seen: list[int] = []
    report = reindex_from_archive(backend, tmp_path / "warc", batch_size=7, progress=seen.append)
    assert report.records == 60 and sum(seen) == 60
    assert _search_ids(backend) == {r.id for r in RECORDS}
    assert backend.get(RECORDS[0].id).title == "修订后的标题"  # type: ignore[union-attr]
    assert backend.get(RECORDS[1].id).status is RecordStatus.withdrawn  # type: ignore[union-attr]
    backend.close()


@pytest.mark.elasticsearch
def test_reindex_elasticsearch_swaps_the_alias(tmp_path: Path, es_url: str) -> None:
    write_archive(tmp_path / "warc")
    backend = ElasticsearchBackend(es_url, f"test-{uuid.uuid4().hex[:12]}")
    try:
        backend.upsert(build_corpus(5, seed=99))
        backend.refresh()
        before = backend.current_indices()
        report = reindex_from_archive(backend, tmp_path / "warc", batch_size=25)
        assert report.records == 60
        assert report.compacted is True
        assert report.replaced == before
        assert backend.current_indices() == [report.index]
        assert report.index != before[0]
        assert _search_ids(backend) == {r.id for r in RECORDS}
        assert backend.get(RECORDS[0].id).title == "修订后的标题"  # type: ignore[union-attr]
        backend.upsert([RECORDS[0]])  # writes go to the new index through the alias
        backend.refresh()
        assert backend.get(RECORDS[0].id) == RECORDS[0]
    finally:
        backend.drop()


def _stored_bytes(backend: ElasticsearchBackend, index: str) -> dict[str, int]:
    usage = backend._client.perform_request(
        "POST",
        f"/{index}/_disk_usage",
        params={"run_expensive_tasks": "true"},
        headers={"accept": "application/json"},
    ).body[index]
    return {name: field["stored_fields_in_bytes"] for name, field in usage["fields"].items()}


@pytest.mark.elasticsearch
def test_compacting_a_loaded_index_drops_its_recovery_source(es_url: str) -> None:
    backend = ElasticsearchBackend(es_url, f"test-{uuid.uuid4().hex[:12]}")
    try:
        backend.ensure_index()
        index = backend.create_next_index()
        for start in range(0, len(RECORDS), 20):  # one segment per refresh
            backend.bulk_into(index, RECORDS[start : start + 20])
            backend._client.indices.refresh(index=index)
        assert _stored_bytes(backend, index).get("_recovery_source", 0) > 0
        assert backend.compact(index) is True
        stored = _stored_bytes(backend, index)
        assert stored.get("_recovery_source", 0) == 0
        assert stored["_source"] > 0
        # every shard copy (a replica too, on a cluster) is one segment
        segments = backend._client.cat.segments(index=index, format="json").body
        copies = Counter((segment["shard"], segment["prirep"]) for segment in segments)
        assert copies and set(copies.values()) == {1}
        backend.swap_alias(index)
        assert _search_ids(backend) == {r.id for r in RECORDS}
        assert backend.get(RECORDS[5].id) == RECORDS[5]
    finally:
        backend.drop()


# --- spool -------------------------------------------------------------------------------------------------


def dead_backend() -> ElasticsearchBackend:
    return ElasticsearchBackend("http://127.0.0.1:9", "dead", request_timeout=2)


def test_spool_keeps_records_while_the_engine_is_down_and_drains_in_order(tmp_path: Path) -> None:
    spool_dir = tmp_path / "spool"
    spooler = SpoolingIndexer(dead_backend(), spool_dir)
    assert spooler.upsert(RECORDS[:20]) == 20
    assert spooler.upsert(RECORDS[20:30]) == 10
    newer = RECORDS[0].model_copy(update={"title": "最新版本", "version": 3})
    spooler.upsert([newer])
    assert spooler.backlog() == 31
    assert len(spooler.spool_files()) == 3
    report = spooler.drain()
    assert report.drained == 0 and report.remaining == 31 and "unreachable" in (report.error or "")

    live = EmbeddedBackend(tmp_path / "index")
    spooler.backend = live
    report = spooler.drain()
    assert report.drained == 31 and report.files == 3 and report.remaining == 0
    live.refresh()
    assert spooler.backlog() == 0 and spooler.spool_files() == []
    assert _search_ids(live) == {r.id for r in RECORDS[:30]}
    assert live.get(RECORDS[0].id).title == "最新版本"  # type: ignore[union-attr]
    live.close()


def test_new_records_queue_behind_a_backlog(tmp_path: Path) -> None:
    spool_dir = tmp_path / "spool"
    SpoolingIndexer(dead_backend(), spool_dir).upsert([RECORDS[0]])
    live = EmbeddedBackend(tmp_path / "index")
    spooler = SpoolingIndexer(live, spool_dir)
    newer = RECORDS[0].model_copy(update={"title": "更新的版本", "version": 2})
    spooler.upsert([newer, RECORDS[1]])  # drains the old version first, then writes the new one
    live.refresh()
    assert live.get(RECORDS[0].id).title == "更新的版本"  # type: ignore[union-attr]
    assert spooler.backlog() == 0
    live.close()


def test_a_corrupt_spool_line_is_kept_aside_not_lost(tmp_path: Path) -> None:
    spool_dir = tmp_path / "spool"
    spooler = SpoolingIndexer(dead_backend(), spool_dir)
    spooler.upsert(RECORDS[:3])
    path = spooler.spool_files()[0]
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "cut-off')
    spooler.backend = EmbeddedBackend(tmp_path / "index")
    report = spooler.drain()
    assert report.drained == 3 and report.unreadable_lines == 1
    assert (spool_dir / "rejected.jsonl").read_text(encoding="utf-8").startswith('{"id": "cut-off')


@pytest.mark.elasticsearch
def test_spool_drains_into_a_live_elasticsearch(tmp_path: Path, es_url: str) -> None:
    spooler = SpoolingIndexer(dead_backend(), tmp_path / "spool")
    spooler.upsert(RECORDS)
    live = ElasticsearchBackend(es_url, f"test-{uuid.uuid4().hex[:12]}")
    try:
        spooler.backend = live
        assert spooler.drain().drained == len(RECORDS)
        live.refresh()
        assert live.stats().total == len(RECORDS)
    finally:
        live.drop()


def test_open_backend_follows_settings(tmp_path: Path) -> None:
    embedded = open_backend(Settings(data_dir=tmp_path))
    assert isinstance(embedded, EmbeddedBackend)
    embedded.close()
    remote = open_backend(
        Settings(data_dir=tmp_path, backend="elasticsearch", elasticsearch_url="http://127.0.0.1:9")
    )
    with pytest.raises(BackendUnavailable):
        remote.search(SearchRequest(q="环境"))


def test_a_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    first = EmbeddedBackend(tmp_path / "index")
    first.upsert(RECORDS[:1])
    second = EmbeddedBackend(tmp_path / "index")
    with pytest.raises(BackendUnavailable, match="locked by another writer"):
        second.upsert(RECORDS[1:2])
    assert second.get(RECORDS[0].id) == RECORDS[0]  # reading works alongside the writer
    first.close()


def test_concurrent_searches_while_writing(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    backend = EmbeddedBackend(tmp_path / "index")
    corpus = build_corpus(200, seed=5)
    backend.upsert(corpus[:100])
    backend.refresh()

    def search(i: int) -> int:
        return backend.search(SearchRequest(q=["环境", "通知", "采购 -济南"][i % 3], size=10)).total

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(search, i) for i in range(120)]
        for start in range(100, 200, 20):
            backend.upsert(corpus[start : start + 20])
            backend.refresh()
        totals = [future.result() for future in futures]
    assert all(total > 0 for total in totals)
    assert backend.stats().total == 200
    backend.close()


# --- CLI ---------------------------------------------------------------------------------------------------


def test_cli_reindex_and_stats(tmp_path: Path) -> None:
    from cli.index import index, reindex

    write_archive(tmp_path / "warc")
    runner = CliRunner()
    result = runner.invoke(reindex, ["--backend", "embedded", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "indexed 60 records" in result.output
    SpoolingIndexer(dead_backend(), tmp_path / "spool").upsert(RECORDS[:2])
    result = runner.invoke(index, ["stats", "--backend", "embedded", "--data-dir", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["total"] == 60 and stats["backlog"] == 2
    assert sum(site["total"] for site in stats["sites"]) == 60
    table = runner.invoke(index, ["stats", "--data-dir", str(tmp_path)])
    assert "spool backlog: 2 records" in table.output and "(all)" in table.output
    drained = runner.invoke(index, ["drain", "--data-dir", str(tmp_path)])
    assert drained.exit_code == 0 and "drained 2 records" in drained.output


def test_cli_reports_an_unreachable_engine_without_a_traceback(tmp_path: Path, monkeypatch) -> None:
    from cli.index import reindex

    write_archive(tmp_path / "warc")
    monkeypatch.setenv("GONGKAI_ELASTICSEARCH_URL", "http://127.0.0.1:9")
    result = CliRunner().invoke(reindex, ["--backend", "elasticsearch", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "unreachable" in result.output and "Traceback" not in result.output
    empty = CliRunner().invoke(reindex, ["--data-dir", str(tmp_path / "nothing")])
    assert empty.exit_code == 2 and "no WARC files" in empty.output


@pytest.mark.elasticsearch
def test_rejected_writes_are_spooled_and_replayed(tmp_path: Path, es_url: str) -> None:
    backend = ElasticsearchBackend(es_url, f"test-{uuid.uuid4().hex[:12]}")
    try:
        backend.upsert(RECORDS[:5])
        backend.refresh()
        index = backend.current_indices()[0]
        backend._client.indices.close(index=index)  # the engine is up but refuses writes
        spooler = SpoolingIndexer(backend, tmp_path / "spool")
        assert spooler.upsert(RECORDS[5:20]) == 15
        assert spooler.backlog() == 15
        backend._client.indices.open(index=index, wait_for_active_shards="1")
        report = spooler.drain()
        assert report.drained == 15 and report.complete
        backend.refresh()
        assert backend.stats().total == 20
    finally:
        backend.drop()


# --- schema and mapping versions ---------------------------------------------------------------------------


def test_an_embedded_index_of_another_schema_is_refused_until_rebuilt(tmp_path: Path) -> None:
    from cli.index import reindex
    from indexer.backends.embedded import SCHEMA_VERSION_FILE

    write_archive(tmp_path / "warc")
    backend = EmbeddedBackend(tmp_path / "index")
    backend.upsert(RECORDS[:3])
    backend.close()
    (tmp_path / "index" / SCHEMA_VERSION_FILE).write_text("1\n")  # as an older gongkai left it
    with pytest.raises(BackendUnavailable, match=r"schema v1.*gongkai reindex"):
        EmbeddedBackend(tmp_path / "index")
    result = CliRunner().invoke(reindex, ["--backend", "embedded", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rebuilt = EmbeddedBackend(tmp_path / "index")
    assert _search_ids(rebuilt) == {r.id for r in RECORDS}
    rebuilt.close()


@pytest.mark.elasticsearch
def test_an_elasticsearch_index_with_an_older_mapping_is_refused_until_rebuilt(
    tmp_path: Path, es_url: str
) -> None:
    from indexer.backends import elastic

    write_archive(tmp_path / "warc")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    old = ElasticsearchBackend(es_url, prefix)
    try:
        old._client.indices.create(
            index=old.versioned_name(1),
            aliases={prefix: {"is_write_index": True}},
            mappings={"_meta": {"gongkai_mapping_version": elastic.MAPPING_VERSION - 1}},
        )
        backend = ElasticsearchBackend(es_url, prefix)
        with pytest.raises(BackendUnavailable, match=r"outdated mapping.*gongkai reindex"):
            backend.search(SearchRequest(q="通知"))
        report = reindex_from_archive(backend, tmp_path / "warc", compact=False)
        assert report.replaced == [old.versioned_name(1)]
        assert report.compacted is None
        assert _search_ids(backend) == {r.id for r in RECORDS}
    finally:
        old.drop()
