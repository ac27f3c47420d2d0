"""What a record becomes in an index: the same derived fields for every backend."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from indexer.analysis import lookup_string, token_string
from indexer.docno import parse_doc_number
from indexer.schema import DisclosureRecord, text_from_ocr

TEXT_FIELD_BOOST = {"title": 2.0, "body": 1.0, "att": 1.0}
"""The searchable texts of a record (title, body, attachment text) and their relevance weight in every backend.
Each is indexed as `{name}_tok`, its tokens (framed CJK bigrams, words, punctuation) with positions, and as
`{name}_look`, its lookup tokens (4-grams and key phrases) without positions (see indexer.analysis)."""
TEXT_FIELDS = tuple(TEXT_FIELD_BOOST)

ISSUER_SEPARATOR = "、"
COLUMN_SEPARATOR = "/"
_ID_SORT_HEX_DIGITS = 10
_NO_DATE_DAY = 0


@dataclass(frozen=True, slots=True)
class DocNumberParts:
    issuer_code: str | None
    year: int | None
    serial: int | None


_STANDARD_NUMBER_RE = re.compile(r"(.+)〔(\d{4})〕(\d+)号")


def doc_number_parts(canonical: str | None) -> DocNumberParts:
    """Issuer code, year and serial of a canonical document number (发文字号)."""
    if not canonical:
        return DocNumberParts(None, None, None)
    standard = _STANDARD_NUMBER_RE.fullmatch(canonical)
    if standard:  # the common canonical shape 代字〔年份〕序号号, read without the full parser
        return DocNumberParts(standard.group(1), int(standard.group(2)), int(standard.group(3)))
    parsed = parse_doc_number(canonical)
    return DocNumberParts(parsed.issuer_code, parsed.year, parsed.serial)


def issuers_of(record: DisclosureRecord) -> list[str]:
    """Each issuer of a (possibly joint) record."""
    if not record.issuer:
        return []
    return [part.strip() for part in record.issuer.split(ISSUER_SEPARATOR) if part.strip()]


def column_path(column: list[str]) -> str:
    return COLUMN_SEPARATOR.join(part.strip() for part in column)


def column_prefixes(column: list[str]) -> list[str]:
    """Every prefix of the column path joined by '/', so a filter on a parent column matches its children."""
    parts = [part.strip() for part in column]
    return [COLUMN_SEPARATOR.join(parts[: i + 1]) for i in range(len(parts))]


def facet_year(record: DisclosureRecord) -> str | None:
    """The year a record is listed under in facets: its publication date, else its written date."""
    day = record.published_date or record.written_date
    return str(day.year) if day else None


def date_sort_key(day: date | None, record_id: str) -> int:
    """Sort key for date order with a deterministic tie-break by id; records without the date sort last."""
    ordinal = day.toordinal() if day else _NO_DATE_DAY
    try:
        id_part = int(record_id[:_ID_SORT_HEX_DIGITS], 16)
    except ValueError:
        id_part = int.from_bytes(record_id.encode("utf-8")[:5].ljust(5, b"\0"), "big")
    return (ordinal << (4 * _ID_SORT_HEX_DIGITS)) | id_part


def attachment_text(record: DisclosureRecord) -> str:
    return "\n".join(attachment.text for attachment in record.attachments if attachment.text)


@dataclass(frozen=True, slots=True)
class IndexDocument:
    """The derived fields of one record, engine-neutral."""

    id: str
    site: str
    issuers: list[str]
    column: str
    column_prefixes: list[str]
    category: str | None
    status: str
    doc_number: str | None
    issuer_code: str | None
    doc_year: int | None
    serial: int | None
    cites: list[str]
    year: str | None
    """The facet year: of the published date, else of the written date."""
    written_year: str | None
    """The year of the written date (the embedded backend pre-filters written-date ranges by it)."""
    published_date: date | None
    written_date: date | None
    published_sort: int
    written_sort: int
    ocr: bool
    """Some of the text was read from scans by OCR."""
    title_tokens: str
    body_tokens: str
    attachment_tokens: str
    lookups: dict[str, str]
    """Lookup field name (`title_look`, …) → its whitespace-separated lookup tokens; empty ones left out."""
    record_json: str


def lookup_field(text_field: str) -> str:
    return f"{text_field}_look"


def _lookup_fields(texts: dict[str, str]) -> dict[str, str]:
    fields = {}
    for name, text in texts.items():
        lookups = lookup_string(text) if text else ""
        if lookups:
            fields[lookup_field(name)] = lookups
    return fields


def to_index_document(record: DisclosureRecord) -> IndexDocument:
    parts = doc_number_parts(record.doc_number)
    attachments = attachment_text(record)
    return IndexDocument(
        id=record.id,
        site=record.site,
        issuers=issuers_of(record),
        column=column_path(record.column),
        column_prefixes=column_prefixes(record.column),
        category=record.category,
        status=record.status.value,
        doc_number=record.doc_number,
        issuer_code=parts.issuer_code,
        doc_year=parts.year,
        serial=parts.serial,
        cites=list(dict.fromkeys(record.cites)),
        year=facet_year(record),
        written_year=str(record.written_date.year) if record.written_date else None,
        published_date=record.published_date,
        written_date=record.written_date,
        published_sort=date_sort_key(record.published_date, record.id),
        written_sort=date_sort_key(record.written_date, record.id),
        ocr=text_from_ocr(record),
        title_tokens=token_string(record.title),
        body_tokens=token_string(record.body_text),
        attachment_tokens=token_string(attachments),
        lookups=_lookup_fields({"title": record.title, "body": record.body_text, "att": attachments}),
        record_json=record.model_dump_json(),
    )
