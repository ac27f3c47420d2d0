"""Crawler-private state next to the catalogue: where each record's latest JSON version is archived and
which column it was last listed in (needed to withdraw records without re-fetching them), plus the identity of
a resumable run kept in its JOBDIR."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel

from indexer.schema import WarcRef

_SCHEMA = """
CREATE TABLE IF NOT EXISTS record_meta (
    record_id TEXT PRIMARY KEY, site TEXT NOT NULL, column_id TEXT,
    resource_file TEXT, resource_offset INTEGER
);
CREATE INDEX IF NOT EXISTS record_meta_site ON record_meta(site);
"""


class RecordMeta(BaseModel):
    record_id: str
    site: str
    column_id: str | None
    resource: WarcRef | None


class CrawlerState:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def remember(self, record_id: str, site: str, column_id: str | None, resource: WarcRef | None) -> None:
        self._db.execute(
            "INSERT INTO record_meta(record_id, site, column_id, resource_file, resource_offset)"
            " VALUES (?,?,?,?,?) ON CONFLICT(record_id) DO UPDATE SET site=excluded.site,"
            " column_id=COALESCE(excluded.column_id, record_meta.column_id),"
            " resource_file=COALESCE(excluded.resource_file, record_meta.resource_file),"
            " resource_offset=COALESCE(excluded.resource_offset, record_meta.resource_offset)",
            (
                record_id,
                site,
                column_id,
                resource.file if resource else None,
                resource.offset if resource else None,
            ),
        )

    def get(self, record_id: str) -> RecordMeta | None:
        row = self._db.execute(
            "SELECT record_id, site, column_id, resource_file, resource_offset FROM record_meta WHERE record_id=?",
            (record_id,),
        ).fetchone()
        if row is None:
            return None
        resource = WarcRef(file=row[3], offset=row[4]) if row[3] else None
        return RecordMeta(record_id=row[0], site=row[1], column_id=row[2], resource=resource)

    def close(self) -> None:
        self._db.close()


class RunIdentity(BaseModel):
    """The run a crawl belongs to; a resumed crawl (same JOBDIR) keeps the id and start time."""

    run_id: str
    site: str
    started_at: datetime
    resumed: bool = False


def _identity_path(jobdir: str) -> Path:
    return Path(jobdir) / "gongkai-run.json"


def load_run_identity(jobdir: str | None) -> RunIdentity | None:
    """The identity of an interrupted run stored in `jobdir`, if any."""
    if not jobdir:
        return None
    path = _identity_path(jobdir)
    if not path.exists():
        return None
    try:
        stored = RunIdentity.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, OSError):
        return None  # a file cut off by a kill: the caller starts a fresh run
    return stored.model_copy(update={"resumed": True})


def save_run_identity(jobdir: str | None, identity: RunIdentity) -> None:
    if not jobdir:
        return
    path = _identity_path(jobdir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(identity.model_dump_json(), encoding="utf-8")
    tmp.replace(path)


def clear_run_identity(jobdir: str | None) -> None:
    """A run that finished cleanly: the next crawl with this JOBDIR is a new run."""
    if jobdir:
        (Path(jobdir) / "gongkai-run.json").unlink(missing_ok=True)
