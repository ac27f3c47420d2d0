"""Never lose a harvested record: when the engine is down, spool records to disk and replay them later.

Spool files are JSONL (one DisclosureRecord per line) named `spool-{UTC time}-{sequence}.jsonl`; each is written
completely and fsynced before `upsert` returns, and deleted only after its records were indexed. Order is kept:
while a backlog exists, new records are queued behind it (a newer version must never be overwritten by an older
spooled one).
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ValidationError

from indexer.backends.base import BackendUnavailable, SearchBackend
from indexer.schema import DisclosureRecord

log = logging.getLogger(__name__)

SPOOL_GLOB = "spool-*.jsonl"
REJECTED_NAME = "rejected.jsonl"


class DrainReport(BaseModel):
    drained: int = 0
    files: int = 0
    remaining: int = 0
    unreadable_lines: int = 0
    error: str | None = None

    @property
    def complete(self) -> bool:
        return self.error is None


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def spool_files(spool_dir: Path) -> list[Path]:
    """Spool files oldest first."""
    if not spool_dir.is_dir():
        return []
    return sorted(spool_dir.glob(SPOOL_GLOB))


def spool_backlog(spool_dir: Path | str) -> int:
    """Records waiting in a spool directory."""
    total = 0
    for path in spool_files(Path(spool_dir)):
        with path.open("rb") as handle:
            total += sum(1 for line in handle if line.strip())
    return total


class SpoolingIndexer:
    """Wraps a backend: `upsert` indexes or spools; `drain` replays the spool in order."""

    def __init__(self, backend: SearchBackend, spool_dir: Path | str) -> None:
        self.backend = backend
        self.spool_dir = Path(spool_dir)
        self._sequence = itertools.count()

    def spool_files(self) -> list[Path]:
        return spool_files(self.spool_dir)

    def backlog(self) -> int:
        """Records waiting in the spool."""
        return spool_backlog(self.spool_dir)

    def upsert(self, records: Iterable[DisclosureRecord]) -> int:
        """Index records, or spool them when the engine is unavailable or rejects them; returns the count taken."""
        batch = list(records)
        if not batch:
            return 0
        if self.spool_files() and not self._drain().complete:
            self._spool(batch)  # keep order: newer records wait behind the backlog
            return len(batch)
        try:
            self.backend.upsert(batch)
        except BackendUnavailable as error:
            log.warning("index unavailable, spooling %d records: %s", len(batch), error)
            self._spool(batch)
        return len(batch)

    def _spool(self, batch: list[DisclosureRecord]) -> Path:
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        final = self.spool_dir / f"spool-{stamp}-{os.getpid()}-{next(self._sequence):06d}.jsonl"
        partial = final.with_suffix(".partial")
        with partial.open("w", encoding="utf-8") as handle:
            for record in batch:
                handle.write(record.model_dump_json())
                handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        partial.rename(final)  # a crash mid-write leaves a .partial, never a half spool file
        _fsync_dir(self.spool_dir)
        return final

    def _read(self, path: Path) -> tuple[list[DisclosureRecord], list[str]]:
        records: list[DisclosureRecord] = []
        bad: list[str] = []
        with path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    records.append(DisclosureRecord.model_validate_json(line))
                except ValidationError:
                    bad.append(line.rstrip("\n"))
        return records, bad

    def _keep_rejected(self, lines: list[str]) -> None:
        with (self.spool_dir / REJECTED_NAME).open("a", encoding="utf-8") as handle:
            for line in lines:
                handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def drain(self) -> DrainReport:
        """Replay spool files oldest first; stop at the first failure (the rest stays spooled)."""
        report = self._drain()
        if not report.complete:
            report.remaining = self.backlog()
        return report

    def _drain(self) -> DrainReport:
        report = DrainReport()
        for path in self.spool_files():
            records, bad = self._read(path)
            try:
                if records:
                    self.backend.upsert(records)
            except BackendUnavailable as error:
                report.error = str(error)
                return report
            if bad:
                # unparseable lines are kept aside for a human, never silently dropped
                self._keep_rejected(bad)
                report.unreadable_lines += len(bad)
            path.unlink()
            _fsync_dir(self.spool_dir)
            report.drained += len(records)
            report.files += 1
        return report
