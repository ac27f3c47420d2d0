"""Feeds harvested records to the search index in batches without ever losing one.

Each record is first appended to a small journal file, then buffered; a batch goes to the index through the
spooling indexer (which keeps records on disk while the engine is down). The journal is emptied only after a
batch was handed over, so a crawl killed between the catalogue write and the index write replays the journal
at its next start.

Sites crawled in one process each have their own sink and journal but share one backend per data folder: the
embedded index admits a single writer, so separate backends would lock each other out.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from indexer.config import Settings
from indexer.schema import DisclosureRecord

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 200


class IndexSink:
    def __init__(
        self, settings: Settings, journal_path: Path, *, batch_size: int = DEFAULT_BATCH_SIZE
    ) -> None:
        from indexer.backends.spool import SpoolingIndexer

        self.batch_size = batch_size
        self._backend: Any = _acquire_backend(settings)
        self._indexer: Any = SpoolingIndexer(self._backend, settings.spool_dir)
        self._journal_path = journal_path
        journal_path.parent.mkdir(parents=True, exist_ok=True)
        self._buffer: list[DisclosureRecord] = []
        self.indexed = 0
        self.replayed = self._replay()
        if self.replayed:
            logger.info("re-indexed %d journaled records of an interrupted crawl", self.replayed)
        self._journal: IO[str] = journal_path.open("a", encoding="utf-8")

    def _replay(self) -> int:
        """Hand over records journaled by a run that died before indexing them."""
        if not self._journal_path.exists():
            return 0
        records: list[DisclosureRecord] = []
        for line in self._journal_path.read_text(encoding="utf-8").splitlines():
            try:
                records.append(DisclosureRecord.model_validate_json(line))
            except ValidationError:
                logger.warning("index journal: skipping a cut-off line")  # last line of a killed process
        if records:
            self._indexer.upsert(records)
        self._journal_path.write_text("", encoding="utf-8")
        return len(records)

    def add(self, record: DisclosureRecord, *, record_json: str | None = None) -> None:
        """Journal and buffer a record; `record_json` is `record.model_dump_json()` when the caller has it."""
        line = record_json if record_json is not None else record.model_dump_json()
        self._journal.write(line + "\n")
        self._journal.flush()
        self._buffer.append(record)
        if len(self._buffer) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        self._indexer.upsert(self._buffer)
        self.indexed += len(self._buffer)
        self._buffer = []
        self._journal.seek(0)
        self._journal.truncate()

    def close(self) -> None:
        try:
            self.flush()
            drain = getattr(self._indexer, "drain", None)
            if callable(drain):
                drain()
            self._backend.refresh()
        finally:
            self._journal.close()
            _release_backend(self._backend)


_SHARED_BACKENDS: dict[tuple[str, Path], tuple[Any, int]] = {}


def _acquire_backend(settings: Settings) -> Any:
    """The process-wide backend of a data folder and engine, opened on first use.

    An index that cannot be opened (locked, outdated, broken) does not stop the crawl: its records are spooled.
    """
    from indexer.backends import open_backend
    from indexer.backends.base import BackendUnavailable, UnavailableBackend

    key = (settings.backend, settings.data_dir.resolve())
    backend, users = _SHARED_BACKENDS.get(key, (None, 0))
    if backend is None:
        try:
            backend = open_backend(settings)
        except BackendUnavailable as error:
            logger.error("search index unavailable, records will be spooled: %s", error)
            backend = UnavailableBackend(str(error))
    _SHARED_BACKENDS[key] = (backend, users + 1)
    return backend


def _release_backend(backend: Any) -> None:
    """The last user of a shared backend closes it (committing the embedded writer)."""
    for key, (shared, users) in list(_SHARED_BACKENDS.items()):
        if shared is backend:
            if users > 1:
                _SHARED_BACKENDS[key] = (shared, users - 1)
            else:
                del _SHARED_BACKENDS[key]
                backend.close()
            return
    backend.close()
