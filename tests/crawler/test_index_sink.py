"""The crawler's index sink: one engine writer per data folder, and nothing lost when the index can't be opened."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.index_sink import IndexSink
from indexer.backends.base import BackendUnavailable, SearchRequest
from indexer.backends.embedded import SCHEMA_VERSION_FILE, EmbeddedBackend
from indexer.backends.spool import SpoolingIndexer
from indexer.config import Settings
from tests.index.corpus import build_corpus

RECORDS = build_corpus(6, seed=5)


def _ids(settings: Settings) -> set[str]:
    backend = EmbeddedBackend(settings.index_dir)
    try:
        return {hit.record.id for hit in backend.search(SearchRequest(size=100, facets=[])).hits}
    finally:
        backend.close()


def test_sites_in_one_process_share_the_index_writer(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = IndexSink(settings, tmp_path / "journal-a.jsonl", batch_size=2)
    second = IndexSink(settings, tmp_path / "journal-b.jsonl", batch_size=2)
    for record in RECORDS[:3]:
        first.add(record)
    for record in RECORDS[3:]:
        second.add(record)  # a second writer on the same embedded index would be locked out and spool
    first.close()
    second.close()
    assert _ids(settings) == {record.id for record in RECORDS}
    assert SpoolingIndexer(EmbeddedBackend(tmp_path / "other"), settings.spool_dir).backlog() == 0


def test_an_index_that_cannot_be_opened_spools_the_records(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    EmbeddedBackend(settings.index_dir).close()
    (settings.index_dir / SCHEMA_VERSION_FILE).write_text("1\n")  # left by an older gongkai
    sink = IndexSink(settings, tmp_path / "journal.jsonl", batch_size=2)
    for record in RECORDS:
        sink.add(record)
    with pytest.raises(BackendUnavailable, match="gongkai reindex"):  # the crawl's report records this
        sink.close()
    assert SpoolingIndexer(EmbeddedBackend(tmp_path / "other"), settings.spool_dir).backlog() == len(RECORDS)
