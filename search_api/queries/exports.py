"""Search exports (CSV, JSONL, XLSX) with the query, the export time and provenance on every row."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from enum import StrEnum

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from indexer.schema import DisclosureRecord
from search_api.queries.records import document_link

EXPORT_ROW_CAP = 10_000

EXPORT_COLUMNS = (
    "id",
    "title",
    "doc_number",
    "doc_number_raw",
    "index_number",
    "issuer",
    "site",
    "column",
    "category",
    "written_date",
    "published_date",
    "status",
    "version",
    "url",
    "fetched_at",
    "warc_file",
    "warc_offset",
    "content_sha256",
    "document_link",
    "query",
    "exported_at",
)


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    xlsx = "xlsx"


MEDIA_TYPES = {
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.jsonl: "application/x-ndjson",
    ExportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_row(record: DisclosureRecord, query: str, exported_at: datetime) -> dict[str, str | int | None]:
    return {
        "id": record.id,
        "title": record.title,
        "doc_number": record.doc_number,
        "doc_number_raw": record.doc_number_raw,
        "index_number": record.index_number,
        "issuer": record.issuer,
        "site": record.site,
        "column": "/".join(record.column),
        "category": record.category,
        "written_date": record.written_date.isoformat() if record.written_date else None,
        "published_date": record.published_date.isoformat() if record.published_date else None,
        "status": record.status.value,
        "version": record.version,
        "url": record.url,
        "fetched_at": record.fetched_at.isoformat(),
        "warc_file": record.warc.file if record.warc else None,
        "warc_offset": record.warc.offset if record.warc else None,
        "content_sha256": record.content_sha256,
        "document_link": document_link(record.id),
        "query": query,
        "exported_at": exported_at.isoformat(),
    }


def _csv_safe(value: str | int | None) -> str | int | None:
    """Neutralise spreadsheet formulas in harvested text (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _xlsx_safe(value: str | int | None) -> str | int | None:
    """Spreadsheet cells cannot hold control characters; harvested text and queries sometimes do."""
    value = _csv_safe(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def iter_csv(rows: Iterable[dict[str, str | int | None]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS)
    buffer.write("\ufeff")  # BOM so that spreadsheet programs read UTF-8 Chinese correctly
    writer.writeheader()
    yield buffer.getvalue().encode("utf-8")
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow({k: _csv_safe(v) for k, v in row.items()})
        yield buffer.getvalue().encode("utf-8")


def iter_jsonl(rows: Iterable[dict[str, str | int | None]]) -> Iterator[bytes]:
    for row in rows:
        yield (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")


def xlsx_bytes(rows: Iterable[dict[str, str | int | None]], about: dict[str, str]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("results")
    sheet.append(list(EXPORT_COLUMNS))
    for row in rows:
        sheet.append([_xlsx_safe(row[c]) for c in EXPORT_COLUMNS])
    info = workbook.create_sheet("about")
    for key, value in about.items():
        info.append([key, _xlsx_safe(value)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
