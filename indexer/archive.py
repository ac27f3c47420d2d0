"""The WARC archive: conventions shared by the crawler (writer) and the indexer (reader).

Every fetched HTTP exchange is a WARC `response` record (the exact bytes as harvested). Next to it the crawler
writes WARC `resource` records carrying derived JSON, so that the index and the catalogue can always be rebuilt
from the archive alone:

- `RECORD_MEDIA_TYPE`: one `DisclosureRecord` (model_dump_json) per stored version or status change, with
  `WARC-Target-URI: urn:gongkai:record:{id}:v{version}` and `WARC-Refers-To` = WARC-Record-ID of its response.
- `COLUMNS_MEDIA_TYPE`: a site's column tree at one run: {"site", "run_id", "checked_at", "columns": [Column...]}.
- `RUN_MEDIA_TYPE`: a site's run report at the end of a run.

WARC files are named `gongkai-{UTC timestamp}-{sequence:05d}.warc.gz` and rotate by size; sorting the names
gives write order.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel, Field, ValidationError
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from indexer.schema import Column, DisclosureRecord

RECORD_MEDIA_TYPE = "application/vnd.gongkai.record+json"
COLUMNS_MEDIA_TYPE = "application/vnd.gongkai.columns+json"
RUN_MEDIA_TYPE = "application/vnd.gongkai.run+json"
RECORD_URI_PREFIX = "urn:gongkai:record:"
WARC_FILE_GLOB = "gongkai-*.warc.gz"

# ---------------------------------------------------------------------------------------------------
# Reader side: the index, the catalogue and audits rebuild from these.


log = logging.getLogger(__name__)

_READ_ERRORS = (ArchiveLoadFailed, OSError, EOFError, ValueError, UnicodeDecodeError)


class ArchiveReadError(RuntimeError):
    """A WARC file or record cannot be read (missing, truncated, not a WARC record at that offset)."""


class ArchivedResponse(BaseModel):
    """One archived HTTP response, as harvested."""

    url: str
    status: int | None
    headers: list[tuple[str, str]]
    content_type: str | None
    body: bytes
    fetched_at: datetime | None
    record_id: str | None = None


class ColumnSnapshot(BaseModel):
    """A site's column tree as seen at one run."""

    site: str
    run_id: str
    checked_at: datetime | None = None
    tree_complete: bool | None = Field(
        default=None, description="False when the column tree could not be read"
    )
    columns: list[Column] = Field(default_factory=list)


class ArchivedRecordRef(BaseModel):
    """Where a record version lives in the archive."""

    file: str
    offset: int
    record_id: str
    version: int | None = None


class WarcFileCheck(BaseModel):
    file: str
    records: int = 0
    ok: int = 0
    bad: int = 0
    unchecked: int = Field(default=0, description="records without a digest to check")
    problems: list[str] = Field(default_factory=list)
    readable: bool = True
    error: str | None = Field(default=None, description="why reading stopped early (truncated, not a WARC)")


class ArchiveVerifyReport(BaseModel):
    files: list[WarcFileCheck] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.readable and check.bad == 0 for check in self.files)

    @property
    def records(self) -> int:
        return sum(check.records for check in self.files)

    @property
    def bad(self) -> int:
        return sum(check.bad for check in self.files)


def iter_warc_files(warc_dir: Path | str) -> list[Path]:
    """The archive's WARC files in write order (their names sort chronologically)."""
    directory = Path(warc_dir)
    if not directory.is_dir():
        return []
    return sorted(directory.glob(WARC_FILE_GLOB))


def _iter_resources(warc_dir: Path | str, media_type: str) -> Iterator[tuple[Path, int, Any, bytes]]:
    """(file, offset, warcio record, payload) of every resource record of one media type, in write order.

    A damaged file is logged and its readable part is used; reading moves on to the next file.
    """
    for path in iter_warc_files(warc_dir):
        try:
            with path.open("rb") as stream:
                iterator = ArchiveIterator(stream)
                for record in iterator:
                    if record.rec_type != "resource" or record.content_type != media_type:
                        continue
                    payload = record.content_stream().read()
                    yield path, iterator.get_record_offset(), record, payload
        except _READ_ERRORS as error:
            log.warning("WARC file %s is damaged; read up to the damage: %s", path.name, error)


def _record_uri_id(uri: str | None) -> tuple[str, int | None] | None:
    if not uri or not uri.startswith(RECORD_URI_PREFIX):
        return None
    rest = uri[len(RECORD_URI_PREFIX) :]
    record_id, _, version = rest.rpartition(":v")
    if not record_id:
        return rest, None
    return record_id, int(version) if version.isdigit() else None


def iter_archived_records(warc_dir: Path | str) -> Iterator[DisclosureRecord]:
    """Every archived record version and status change, in write order; unreadable payloads are logged."""
    for path, offset, _record, payload in _iter_resources(warc_dir, RECORD_MEDIA_TYPE):
        try:
            yield DisclosureRecord.model_validate_json(payload)
        except ValidationError as error:
            log.warning("unreadable record at %s:%d: %s", path.name, offset, error.errors()[:1])


def latest_record_refs(warc_dir: Path | str) -> dict[str, ArchivedRecordRef]:
    """Where the last written version of each record lives (ids are read from WARC-Target-URI)."""
    latest: dict[str, ArchivedRecordRef] = {}
    for path in iter_warc_files(warc_dir):
        try:
            with path.open("rb") as stream:
                iterator = ArchiveIterator(stream)
                for record in iterator:
                    if record.rec_type != "resource" or record.content_type != RECORD_MEDIA_TYPE:
                        continue
                    parsed = _record_uri_id(record.rec_headers.get_header("WARC-Target-URI"))
                    if parsed is None:
                        continue
                    record_id, version = parsed
                    latest[record_id] = ArchivedRecordRef(
                        file=path.name,
                        offset=iterator.get_record_offset(),
                        record_id=record_id,
                        version=version,
                    )
        except _READ_ERRORS as error:
            log.warning("WARC file %s is damaged; read up to the damage: %s", path.name, error)
    return latest


def latest_records(warc_dir: Path | str) -> Iterator[DisclosureRecord]:
    """The last written version (or status change) of each record, streamed in write order.

    Two passes over the archive, so memory holds only one small reference per record, never the records.
    """
    latest = latest_record_refs(warc_dir)
    wanted = {(ref.file, ref.offset) for ref in latest.values()}
    for path, offset, _record, payload in _iter_resources(warc_dir, RECORD_MEDIA_TYPE):
        if (path.name, offset) not in wanted:
            continue
        try:
            yield DisclosureRecord.model_validate_json(payload)
        except ValidationError as error:
            log.warning("unreadable record at %s:%d: %s", path.name, offset, error.errors()[:1])


def iter_column_snapshots(warc_dir: Path | str) -> Iterator[ColumnSnapshot]:
    """Every archived column tree, in write order."""
    for path, offset, _record, payload in _iter_resources(warc_dir, COLUMNS_MEDIA_TYPE):
        try:
            yield ColumnSnapshot.model_validate_json(payload)
        except ValidationError as error:
            log.warning("unreadable column snapshot at %s:%d: %s", path.name, offset, error.errors()[:1])


def iter_run_reports(warc_dir: Path | str) -> Iterator[dict[str, Any]]:
    """Every archived run report (JSON objects as the crawler wrote them), in write order."""
    for path, offset, _record, payload in _iter_resources(warc_dir, RUN_MEDIA_TYPE):
        try:
            report = json.loads(payload)
        except ValueError as error:
            log.warning("unreadable run report at %s:%d: %s", path.name, offset, error)
            continue
        if isinstance(report, dict):
            yield report


def _parse_warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _open_at(path: Path, offset: int) -> BinaryIO:
    stream = path.open("rb")
    stream.seek(offset)
    return stream


def read_response(warc_file: Path | str, offset: int) -> ArchivedResponse:
    """The HTTP response record at `offset` of a WARC file; raises ArchiveReadError when there is none."""
    path = Path(warc_file)
    if offset < 0:
        raise ArchiveReadError(f"negative offset {offset}")
    try:
        with _open_at(path, offset) as stream:
            record = next(iter(ArchiveIterator(stream)), None)
            if record is None:
                raise ArchiveReadError(f"no WARC record at {path.name}:{offset}")
            if not record.format.startswith("warc"):
                # warcio falls back to parsing stray bytes as a legacy ARC header; we only write WARC.
                raise ArchiveReadError(f"no WARC record at {path.name}:{offset}")
            if record.rec_type != "response":
                raise ArchiveReadError(
                    f"the record at {path.name}:{offset} is a {record.rec_type}, not a response"
                )
            body = record.content_stream().read()
            http = record.http_headers
            status: int | None = None
            headers: list[tuple[str, str]] = []
            content_type: str | None = None
            if http is not None:
                code = http.get_statuscode()
                status = int(code) if code and code.isdigit() else None
                headers = [(str(name), str(value)) for name, value in http.headers]
                content_type = http.get_header("Content-Type")
            return ArchivedResponse(
                url=record.rec_headers.get_header("WARC-Target-URI") or "",
                status=status,
                headers=headers,
                content_type=content_type,
                body=body,
                fetched_at=_parse_warc_date(record.rec_headers.get_header("WARC-Date")),
                record_id=record.rec_headers.get_header("WARC-Record-ID"),
            )
    except ArchiveReadError:
        raise
    except FileNotFoundError as error:
        raise ArchiveReadError(f"WARC file not found: {path}") from error
    except _READ_ERRORS as error:
        raise ArchiveReadError(f"cannot read a WARC record at {path.name}:{offset}: {error}") from error


def verify_file(path: Path) -> WarcFileCheck:
    """Check the WARC-Block-Digest and WARC-Payload-Digest of every record of one file."""
    check = WarcFileCheck(file=path.name)
    try:
        with path.open("rb") as stream:
            iterator = ArchiveIterator(stream, check_digests=True)
            for record in iterator:
                stream_reader = record.content_stream()
                while stream_reader.read(1 << 16):
                    pass
                if record.rec_headers.get_header("Content-Length") is None:
                    # warcio yields a header-less record for a gzip member cut off mid-header
                    check.readable = False
                    check.error = f"record at offset {iterator.get_record_offset()} is truncated"
                    break
                check.records += 1
                passed = record.digest_checker.passed
                if passed is True:
                    check.ok += 1
                elif passed is False:
                    check.bad += 1
                    offset = iterator.get_record_offset()
                    check.problems.extend(
                        f"offset {offset}: {problem}" for problem in record.digest_checker.problems
                    )
                elif record.rec_type != "revisit" and (
                    record.rec_headers.get_header("WARC-Block-Digest")
                    or record.rec_headers.get_header("WARC-Payload-Digest")
                ):
                    # a digest is declared but the block ended early: the file is cut off here
                    check.bad += 1
                    check.readable = False
                    check.error = f"record at offset {iterator.get_record_offset()} is truncated"
                    break
                else:
                    check.unchecked += 1
    except _READ_ERRORS as error:
        check.readable = False
        check.error = (
            f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
        )
    return check


def verify_archive(warc_dir: Path | str) -> ArchiveVerifyReport:
    """Digest check of every WARC file; damaged files are reported, never fatal."""
    return ArchiveVerifyReport(files=[verify_file(path) for path in iter_warc_files(warc_dir)])
