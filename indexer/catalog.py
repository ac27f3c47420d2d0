"""The catalogue: crawl state, record versions, column snapshots and run reports.

One SQLite file by default; a shared PostgreSQL database when several crawl workers on several machines write
it (`GONGKAI_CATALOG_URL=postgresql://…`). The SQL is written once for both (ISO-8601 text for dates, so both
compare them the same way); `_Sqlite` and `_Postgres` differ only in how they connect, bind and lock.

The search index answers "which documents match"; the catalogue answers "what did we see, when, and where is it
archived". The crawler writes it, the API reads it. Everything in it can be rebuilt from the WARC archive
(`indexer.reindex`), because the crawler archives the same facts as WARC resource records.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel

from indexer.schema import Column, DisclosureRecord, RecordStatus, Site, WarcRef


@dataclass(frozen=True)
class Migration:
    """One numbered step of the catalogue schema; applied once, in order, recorded in `schema_migrations`."""

    version: int
    description: str
    sql: str


# Statements are separated by ";" at a line end. Types are those both engines read the same way (BIGINT for
# WARC offsets, which pass 2 GiB in a large WARC file).
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "sites, records, versions, columns, runs",
        """
CREATE TABLE IF NOT EXISTS sites (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, department TEXT NOT NULL, platform TEXT NOT NULL,
    base_url TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY, site TEXT NOT NULL, url TEXT NOT NULL, version INTEGER NOT NULL,
    content_sha256 TEXT NOT NULL, status TEXT NOT NULL, title TEXT NOT NULL DEFAULT '',
    first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, withdrawn_at TEXT,
    published_date TEXT, written_date TEXT,
    has_doc_number INTEGER NOT NULL, has_index_number INTEGER NOT NULL, has_written_date INTEGER NOT NULL,
    etag TEXT, last_modified TEXT, list_signal TEXT
);
CREATE INDEX IF NOT EXISTS records_site ON records(site);
CREATE TABLE IF NOT EXISTS versions (
    record_id TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL, content_sha256 TEXT NOT NULL,
    fetched_at TEXT NOT NULL, title TEXT NOT NULL DEFAULT '', warc_file TEXT, warc_offset BIGINT,
    PRIMARY KEY (record_id, version, status)
);
CREATE TABLE IF NOT EXISTS columns (
    site TEXT NOT NULL, column_id TEXT NOT NULL, name TEXT NOT NULL, path_json TEXT NOT NULL, url TEXT,
    item_count INTEGER NOT NULL, newest_item_date TEXT, last_checked TEXT, run_id TEXT,
    PRIMARY KEY (site, column_id)
);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, site TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
    ok INTEGER, report_json TEXT
);
CREATE INDEX IF NOT EXISTS runs_site ON runs(site, started_at)
""",
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].version

# every table, parents first, with the key that orders a copy (`gongkai catalog migrate`)
TABLES: dict[str, str] = {
    "sites": "id",
    "records": "id",
    "versions": "record_id, version, status",
    "columns": "site, column_id",
    "runs": "run_id",
}


class CatalogError(RuntimeError):
    """The catalogue cannot be opened or used: a clear message instead of a driver traceback."""


class _Connection(Protocol):
    engine: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...
    def stream(self, sql: str, params: Sequence[Any] = (), batch: int = 2000) -> Iterator[dict[str, Any]]: ...
    def transaction(self) -> Any: ...
    def migration_lock(self) -> None: ...
    def days_between(self, later: str, earlier: str) -> str: ...
    def close(self) -> None: ...


class _Sqlite:
    """One SQLite file in WAL mode; one connection guarded by the catalogue's lock."""

    engine = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = _dict_row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return self._db.execute(sql, tuple(params)).fetchall()

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._db.executemany(sql, rows)

    def stream(self, sql: str, params: Sequence[Any] = (), batch: int = 2000) -> Iterator[dict[str, Any]]:
        # a second, read-only connection: the rows stream while the main one goes on writing
        db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        db.row_factory = _dict_row
        try:
            cursor = db.execute(sql, tuple(params))
            while rows := cursor.fetchmany(batch):
                yield from rows
        finally:
            db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def migration_lock(self) -> None:
        pass  # BEGIN IMMEDIATE already holds the file's write lock

    def days_between(self, later: str, earlier: str) -> str:
        return f"julianday({later}) - julianday({earlier})"

    def close(self) -> None:
        self._db.close()


class _Postgres:
    """A PostgreSQL database shared by every crawl worker and API process (psycopg 3, autocommit outside
    explicit transactions)."""

    engine = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg
        from psycopg.rows import dict_row

        self._psycopg = psycopg
        self._url = url
        try:
            self._db = psycopg.connect(url, autocommit=True, row_factory=dict_row, connect_timeout=10)
        except psycopg.Error as error:
            raise CatalogError(
                f"cannot connect to the catalogue at {redact(url)}: {error}".strip()
            ) from error

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")  # the catalogue's SQL has no literal question marks

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self._db.execute(self._sql(sql), tuple(params) or None)
        return cursor.fetchall() if cursor.description else []

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._db.cursor() as cursor:
            cursor.executemany(self._sql(sql), list(rows))

    def stream(self, sql: str, params: Sequence[Any] = (), batch: int = 2000) -> Iterator[dict[str, Any]]:
        from psycopg.rows import dict_row

        # a second connection with a server-side cursor: memory does not grow with the result
        with (
            self._psycopg.connect(self._url, row_factory=dict_row) as db,
            db.transaction(),
            db.cursor(name=f"gongkai_{uuid.uuid4().hex[:8]}") as cursor,
        ):
            cursor.itersize = batch
            cursor.execute(self._sql(sql), tuple(params) or None)
            yield from cursor

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._db.transaction():
            yield

    def migration_lock(self) -> None:
        # two workers starting at once: one migrates, the other waits and then finds nothing to do
        self._db.execute("SELECT pg_advisory_xact_lock(hashtext('gongkai-catalog-migrations'))")

    def days_between(self, later: str, earlier: str) -> str:
        return f"(CAST({later} AS date) - CAST({earlier} AS date))"

    def close(self) -> None:
        self._db.close()


def _dict_row(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> dict[str, Any]:
    return {description[0]: value for description, value in zip(cursor.description, row, strict=True)}


def is_postgres_url(location: str | Path) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def redact(url: str) -> str:
    """A database URL without its password, for logs, errors and /health."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


_STATEMENT_END = re.compile(r";\s*\n")


class RecordState(BaseModel):
    """What the crawler remembers about a record between runs."""

    id: str
    site: str
    url: str
    version: int
    content_sha256: str
    status: RecordStatus
    title: str
    first_seen_at: datetime
    last_seen_at: datetime
    withdrawn_at: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    list_signal: str | None = None


class VersionInfo(BaseModel):
    record_id: str
    version: int
    status: RecordStatus
    content_sha256: str
    fetched_at: datetime
    title: str
    warc: WarcRef | None = None


class RunInfo(BaseModel):
    run_id: str
    site: str
    started_at: datetime
    finished_at: datetime | None = None
    ok: bool | None = None
    report: dict[str, Any] = {}


class SiteCompleteness(BaseModel):
    """Share of a site's records carrying the key catalogue metadata."""

    site: str
    records: int
    with_doc_number: int
    with_index_number: int
    with_written_date: int


class FirstSeenBurst(BaseModel):
    """Many records first seen on one day although published long before: back-filling (突击更新)."""

    site: str
    day: date
    records: int
    old_records: int


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


class Catalog:
    """Thread-safe access to the catalogue: a SQLite file (a path) or a PostgreSQL database (a postgresql:// URL).

    Opening applies the schema migrations not applied yet.
    """

    def __init__(self, location: Path | str) -> None:
        self.location = str(location)
        self._lock = threading.RLock()
        if is_postgres_url(location):
            self.path: Path | None = None
            self._db: _Connection = _Postgres(str(location))
        else:
            self.path = Path(location)
            self._db = _Sqlite(self.path)
        self.engine = self._db.engine
        self._migrate()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[_Connection]:
        with self._lock, self._db.transaction():
            yield self._db

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return self._db.execute(sql, params)

    # schema --------------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self.transaction() as db:
            db.migration_lock()
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)"
            )
            applied = {int(row["version"]) for row in db.execute("SELECT version FROM schema_migrations")}
            newer = max(applied, default=0)
            if newer > SCHEMA_VERSION:
                raise CatalogError(
                    f"the catalogue at {self.describe()} has schema version {newer}, newer than this gongkai's "
                    f"{SCHEMA_VERSION}: upgrade gongkai"
                )
            for migration in MIGRATIONS:
                if migration.version in applied:
                    continue
                for statement in _STATEMENT_END.split(migration.sql.strip()):
                    if statement.strip():
                        db.execute(statement)
                db.execute(
                    "INSERT INTO schema_migrations(version, applied_at) VALUES (?,?)",
                    (migration.version, _iso(_now())),
                )

    def schema_version(self) -> int:
        return int(self._query("SELECT MAX(version) AS v FROM schema_migrations")[0]["v"] or 0)

    def describe(self) -> str:
        """Where the catalogue is, without credentials."""
        return redact(self.location) if self.path is None else str(self.path)

    def health(self) -> dict[str, Any]:
        """Engine, location, schema version and site count; raises when the database does not answer."""
        return {
            "engine": self.engine,
            "location": self.describe(),
            "schema_version": self.schema_version(),
            "sites": int(self._query("SELECT COUNT(*) AS n FROM sites")[0]["n"]),
        }

    # copying (gongkai catalog migrate) ------------------------------------------------------------------
    def table_rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of one catalogue table, streamed in key order."""
        return self._db.stream(f"SELECT * FROM {table} ORDER BY {TABLES[table]}")

    def table_count(self, table: str) -> int:
        assert table in TABLES
        return int(self._query(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"])

    def insert_rows(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        """Insert copied rows; a row whose key is already there is left alone (a copy can be re-run)."""
        if not rows:
            return
        assert table in TABLES
        names = list(rows[0])
        sql = (
            f"INSERT INTO {table}({', '.join(names)}) VALUES ({','.join('?' * len(names))})"
            f" ON CONFLICT({TABLES[table]}) DO NOTHING"
        )
        with self.transaction() as db:
            db.executemany(sql, [tuple(row[name] for name in names) for row in rows])

    # sites ---------------------------------------------------------------------------------------------
    def upsert_site(self, site: Site) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO sites(id, name, department, platform, base_url) VALUES (?,?,?,?,?) "
                "ON CONFLICT(id) DO UPDATE SET name=excluded.name, department=excluded.department, "
                "platform=excluded.platform, base_url=excluded.base_url",
                (site.id, site.name, site.department, site.platform, site.base_url),
            )

    def sites(self) -> list[Site]:
        rows = self._query("SELECT * FROM sites ORDER BY id")
        return [
            Site(
                id=r["id"],
                name=r["name"],
                department=r["department"],
                platform=r["platform"],
                base_url=r["base_url"],
            )
            for r in rows
        ]

    # records -------------------------------------------------------------------------------------------
    def save_record(
        self,
        record: DisclosureRecord,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        list_signal: str | None = None,
    ) -> None:
        """Store the current state of a record and remember this version (or status change)."""
        withdrawn_at = record.last_seen_at if record.status is RecordStatus.withdrawn else None
        with self.transaction() as db:
            db.execute(
                "INSERT INTO records(id, site, url, version, content_sha256, status, title, first_seen_at,"
                " last_seen_at, withdrawn_at, published_date, written_date, has_doc_number, has_index_number,"
                " has_written_date, etag, last_modified, list_signal) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(id) DO UPDATE SET site=excluded.site, url=excluded.url, version=excluded.version,"
                " content_sha256=excluded.content_sha256, status=excluded.status, title=excluded.title,"
                " first_seen_at=CASE WHEN excluded.first_seen_at < records.first_seen_at"
                " THEN excluded.first_seen_at ELSE records.first_seen_at END,"
                " last_seen_at=excluded.last_seen_at, withdrawn_at=excluded.withdrawn_at,"
                " published_date=excluded.published_date, written_date=excluded.written_date,"
                " has_doc_number=excluded.has_doc_number, has_index_number=excluded.has_index_number,"
                " has_written_date=excluded.has_written_date,"
                " etag=COALESCE(excluded.etag, records.etag),"
                " last_modified=COALESCE(excluded.last_modified, records.last_modified),"
                " list_signal=COALESCE(excluded.list_signal, records.list_signal)",
                (
                    record.id,
                    record.site,
                    record.url,
                    record.version,
                    record.content_sha256,
                    record.status.value,
                    record.title,
                    _iso(record.first_seen_at),
                    _iso(record.last_seen_at),
                    _iso(withdrawn_at),
                    _iso(record.published_date),
                    _iso(record.written_date),
                    int(record.doc_number is not None),
                    int(bool(record.index_number)),
                    int(record.written_date is not None),
                    etag,
                    last_modified,
                    list_signal,
                ),
            )
            db.execute(
                "INSERT INTO versions(record_id, version, status, content_sha256, fetched_at, title,"
                " warc_file, warc_offset) VALUES (?,?,?,?,?,?,?,?)"
                " ON CONFLICT(record_id, version, status) DO UPDATE SET content_sha256=excluded.content_sha256,"
                " fetched_at=excluded.fetched_at, title=excluded.title, warc_file=excluded.warc_file,"
                " warc_offset=excluded.warc_offset",
                (
                    record.id,
                    record.version,
                    record.status.value,
                    record.content_sha256,
                    _iso(record.fetched_at),
                    record.title,
                    record.warc.file if record.warc else None,
                    record.warc.offset if record.warc else None,
                ),
            )

    def touch(self, record_id: str, seen_at: datetime, *, list_signal: str | None = None) -> None:
        """An unchanged record was seen again."""
        with self.transaction() as db:
            db.execute(
                "UPDATE records SET last_seen_at=?, list_signal=COALESCE(?, list_signal) WHERE id=?",
                (_iso(seen_at), list_signal, record_id),
            )

    def get_state(self, record_id: str) -> RecordState | None:
        rows = self._query("SELECT * FROM records WHERE id=?", (record_id,))
        return _state(rows[0]) if rows else None

    def states_for_site(self, site: str) -> dict[str, RecordState]:
        return {r["id"]: _state(r) for r in self._query("SELECT * FROM records WHERE site=?", (site,))}

    def vanished_record_ids(self, site: str, seen_before: datetime) -> Iterator[str]:
        """Ids of the site's records not withdrawn and not seen since `seen_before`, streamed (a separate
        connection, so memory does not grow with the site)."""
        rows = self._db.stream(
            "SELECT id FROM records WHERE site=? AND status != 'withdrawn' AND last_seen_at < ?",
            (site, _iso(seen_before)),
        )
        return (row["id"] for row in rows)

    def versions(self, record_id: str) -> list[VersionInfo]:
        rows = self._query(
            "SELECT * FROM versions WHERE record_id=? ORDER BY fetched_at, version", (record_id,)
        )
        return [
            VersionInfo(
                record_id=r["record_id"],
                version=r["version"],
                status=RecordStatus(r["status"]),
                content_sha256=r["content_sha256"],
                fetched_at=datetime.fromisoformat(r["fetched_at"]),
                title=r["title"],
                warc=WarcRef(file=r["warc_file"], offset=r["warc_offset"]) if r["warc_file"] else None,
            )
            for r in rows
        ]

    def record_count(self, site: str | None = None) -> int:
        if site is None:
            return int(self._query("SELECT COUNT(*) AS n FROM records")[0]["n"])
        return int(self._query("SELECT COUNT(*) AS n FROM records WHERE site=?", (site,))[0]["n"])

    # columns -------------------------------------------------------------------------------------------
    def save_columns(self, site: str, run_id: str, columns: list[Column]) -> None:
        """Replace the site's column snapshot with the tree seen in this run (blank columns included)."""
        with self.transaction() as db:
            db.execute("DELETE FROM columns WHERE site=?", (site,))
            db.executemany(
                "INSERT INTO columns(site, column_id, name, path_json, url, item_count, newest_item_date,"
                " last_checked, run_id) VALUES (?,?,?,?,?,?,?,?,?)",
                [
                    (
                        site,
                        c.id,
                        c.name,
                        json.dumps(c.path, ensure_ascii=False),
                        c.url,
                        c.item_count,
                        _iso(c.newest_item_date),
                        _iso(c.last_checked),
                        run_id,
                    )
                    for c in columns
                ],
            )

    def columns(self, site: str | None = None) -> list[Column]:
        if site is None:
            rows = self._query("SELECT * FROM columns ORDER BY site, path_json")
        else:
            rows = self._query("SELECT * FROM columns WHERE site=? ORDER BY path_json", (site,))
        return [
            Column(
                id=r["column_id"],
                site=r["site"],
                name=r["name"],
                path=json.loads(r["path_json"]),
                url=r["url"],
                item_count=r["item_count"],
                newest_item_date=date.fromisoformat(r["newest_item_date"]) if r["newest_item_date"] else None,
                last_checked=datetime.fromisoformat(r["last_checked"]) if r["last_checked"] else None,
            )
            for r in rows
        ]

    # runs ----------------------------------------------------------------------------------------------
    def start_run(self, site: str, started_at: datetime | None = None) -> str:
        run_id = f"{site}-{uuid.uuid4().hex[:12]}"
        with self.transaction() as db:
            db.execute(
                "INSERT INTO runs(run_id, site, started_at) VALUES (?,?,?)",
                (run_id, site, _iso(started_at or _now())),
            )
        return run_id

    def finish_run(
        self, run_id: str, *, ok: bool, report: dict[str, Any], finished_at: datetime | None = None
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at=?, ok=?, report_json=? WHERE run_id=?",
                (
                    _iso(finished_at or _now()),
                    int(ok),
                    json.dumps(report, ensure_ascii=False, default=str),
                    run_id,
                ),
            )

    def latest_runs(self) -> list[RunInfo]:
        rows = self._query(
            "SELECT r.* FROM runs r JOIN (SELECT site, MAX(started_at) AS s FROM runs GROUP BY site) m"
            " ON r.site = m.site AND r.started_at = m.s ORDER BY r.site"
        )
        return [_run(r) for r in rows]

    def runs(self, site: str) -> list[RunInfo]:
        return [_run(r) for r in self._query("SELECT * FROM runs WHERE site=? ORDER BY started_at", (site,))]

    # audit helpers -------------------------------------------------------------------------------------
    def completeness(self) -> list[SiteCompleteness]:
        rows = self._query(
            "SELECT site, COUNT(*) AS n, SUM(has_doc_number) AS dn, SUM(has_index_number) AS ix,"
            " SUM(has_written_date) AS wd FROM records WHERE status != 'withdrawn' GROUP BY site ORDER BY site"
        )
        return [
            SiteCompleteness(
                site=r["site"],
                records=r["n"],
                with_doc_number=r["dn"] or 0,
                with_index_number=r["ix"] or 0,
                with_written_date=r["wd"] or 0,
            )
            for r in rows
        ]

    def first_seen_bursts(self, *, min_records: int = 20, min_age_days: int = 365) -> list[FirstSeenBurst]:
        """Days on which at least `min_records` records published `min_age_days` or more before were first seen.

        A site's first crawl day is left out: everything is new to us then, whatever its age.
        """
        rows = self._query(
            "WITH days AS ("
            "  SELECT site, substr(first_seen_at, 1, 10) AS day, COUNT(*) AS n,"
            "   SUM(CASE WHEN published_date IS NOT NULL"
            f"       AND {self._db.days_between('substr(first_seen_at, 1, 10)', 'published_date')} >= ?"
            "       THEN 1 ELSE 0 END) AS old"
            "  FROM records GROUP BY site, day)"
            " SELECT d.* FROM days d"
            " WHERE d.old >= ? AND d.day > (SELECT MIN(day) FROM days f WHERE f.site = d.site)"
            " ORDER BY d.site, d.day",
            (min_age_days, min_records),
        )
        return [
            FirstSeenBurst(
                site=r["site"], day=date.fromisoformat(r["day"]), records=r["n"], old_records=r["old"]
            )
            for r in rows
        ]


def _state(row: dict[str, Any]) -> RecordState:
    return RecordState(
        id=row["id"],
        site=row["site"],
        url=row["url"],
        version=row["version"],
        content_sha256=row["content_sha256"],
        status=RecordStatus(row["status"]),
        title=row["title"],
        first_seen_at=datetime.fromisoformat(row["first_seen_at"]),
        last_seen_at=datetime.fromisoformat(row["last_seen_at"]),
        withdrawn_at=datetime.fromisoformat(row["withdrawn_at"]) if row["withdrawn_at"] else None,
        etag=row["etag"],
        last_modified=row["last_modified"],
        list_signal=row["list_signal"],
    )


def _run(row: dict[str, Any]) -> RunInfo:
    return RunInfo(
        run_id=row["run_id"],
        site=row["site"],
        started_at=datetime.fromisoformat(row["started_at"]),
        finished_at=datetime.fromisoformat(row["finished_at"]) if row["finished_at"] else None,
        ok=None if row["ok"] is None else bool(row["ok"]),
        report=json.loads(row["report_json"]) if row["report_json"] else {},
    )
