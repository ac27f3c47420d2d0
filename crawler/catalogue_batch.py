"""The crawl's catalogue connection: record writes grouped into one transaction per batch.

A commit per record (two upserts) is a sizeable share of a detail page's CPU. `BatchedCatalog` keeps one
transaction open for up to `batch_records` record writes (`save_record`, `touch`) or `batch_seconds`, whichever
comes first; every other write (runs, sites, columns) first commits the open batch and then commits itself, so a
run row or a finished run is never left behind its records. Reads on this connection see the open batch.

Resuming after `kill -9` still holds: the index journal and the WARC are written before the catalogue, and a
resumed run re-fetches whatever the catalogue does not hold for the run, so a lost batch costs only refetching.

All sites crawled by one process share one `BatchedCatalog` per catalogue file (`shared_catalog`): a second
connection of the same process would wait on the open batch's write lock, on the thread that has to commit it.
"""

from __future__ import annotations

import atexit
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from pathlib import Path
from sqlite3 import Connection

from indexer.catalog import Catalog
from indexer.schema import DisclosureRecord

DEFAULT_BATCH_RECORDS = 100
DEFAULT_BATCH_SECONDS = 1.0


class BatchedCatalog(Catalog):
    def __init__(
        self,
        path: Path | str,
        *,
        batch_records: int = DEFAULT_BATCH_RECORDS,
        batch_seconds: float = DEFAULT_BATCH_SECONDS,
    ) -> None:
        super().__init__(path)
        self.batch_records = max(1, batch_records)
        self.batch_seconds = batch_seconds
        self._batch_open = False
        self._batch_writes = 0
        self._batch_started = 0.0
        self._writing_into_batch = False

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self._lock:
            if self._writing_into_batch:
                # one record write inside the open batch: a savepoint undoes a failing write alone
                self._db.execute("SAVEPOINT catalogue_write")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK TO catalogue_write")
                    self._db.execute("RELEASE catalogue_write")
                    raise
                self._db.execute("RELEASE catalogue_write")
                return
            self.commit_batch()
            with super().transaction() as db:
                yield db

    def _write_into_batch(self, write: Callable[[], None]) -> None:
        with self._lock:
            if not self._batch_open:
                self._db.execute("BEGIN")
                self._batch_open = True
                self._batch_writes = 0
                self._batch_started = time.monotonic()
            self._writing_into_batch = True
            try:
                write()
            finally:
                self._writing_into_batch = False
            self._batch_writes += 1
            if (
                self._batch_writes >= self.batch_records
                or time.monotonic() - self._batch_started >= self.batch_seconds
            ):
                self.commit_batch()

    def commit_batch(self) -> None:
        """Commit the record writes of the open batch, if any (other connections then see them)."""
        with self._lock:
            if self._batch_open:
                self._batch_open = False
                self._db.execute("COMMIT")

    def save_record(
        self,
        record: DisclosureRecord,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        list_signal: str | None = None,
    ) -> None:
        self._write_into_batch(
            partial(
                super().save_record,
                record,
                etag=etag,
                last_modified=last_modified,
                list_signal=list_signal,
            )
        )

    def touch(self, record_id: str, seen_at: datetime, *, list_signal: str | None = None) -> None:
        self._write_into_batch(partial(super().touch, record_id, seen_at, list_signal=list_signal))

    def close(self) -> None:
        with self._lock:
            self.commit_batch()
            super().close()


_SHARED: dict[Path, tuple[BatchedCatalog, int]] = {}


def shared_catalog(path: Path) -> BatchedCatalog:
    """The process-wide catalogue connection of `path`; give it back with `release_catalog`."""
    key = Path(path).resolve()
    if key in _SHARED:
        catalog, users = _SHARED[key]
        _SHARED[key] = (catalog, users + 1)
        return catalog
    catalog = BatchedCatalog(key)
    _SHARED[key] = (catalog, 1)
    return catalog


@atexit.register
def _commit_open_batches() -> None:
    """A crawl that ends without closing its run (an exception, a failed start) still keeps its records."""
    for catalog, _ in list(_SHARED.values()):
        catalog.commit_batch()


def release_catalog(catalog: BatchedCatalog) -> None:
    """Commit; the last user of a shared catalogue also closes it."""
    for key, (shared, users) in list(_SHARED.items()):
        if shared is catalog:
            if users > 1:
                _SHARED[key] = (shared, users - 1)
                catalog.commit_batch()
            else:
                del _SHARED[key]
                catalog.close()
            return
    catalog.close()
