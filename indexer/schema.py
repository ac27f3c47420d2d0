"""The disclosure schema: one record shape spoken by the crawler, the index and the API.

JSON field names are a public contract (API, exports, tools); do not rename them.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field


class RecordStatus(StrEnum):
    active = "active"
    changed = "changed"
    withdrawn = "withdrawn"


class Attachment(BaseModel):
    """A file linked from a disclosure page (附件)."""

    model_config = ConfigDict(extra="forbid")

    url: str
    name: str = ""
    media_type: str | None = None
    size: int | None = None
    sha256: str | None = None
    text: str | None = None
    error: str | None = Field(default=None, description="why the file could not be fetched or read")
    ocr: bool = Field(default=False, description="the text was read from scanned pages by OCR")
    ocr_engine: str | None = Field(default=None, description="the OCR engine that read it (rapidocr)")
    ocr_confidence: float | None = Field(
        default=None, description="mean recognition confidence (0-1) of the OCR'd lines"
    )
    ocr_pages: int | None = Field(default=None, description="pages OCR'd")


class WarcRef(BaseModel):
    """Where the archived HTTP response of a record lives."""

    model_config = ConfigDict(extra="forbid")

    file: str
    offset: int


class DisclosureRecord(BaseModel):
    """One disclosed document as harvested from a department site."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="stable id derived from the canonical URL (see record_id)")
    site: str
    url: str
    title: str
    doc_number: str | None = Field(default=None, description="发文字号, canonical form")
    doc_number_raw: str | None = Field(default=None, description="发文字号 as printed")
    index_number: str | None = Field(default=None, description="索引号")
    issuer: str | None = Field(default=None, description="发布机构, cleaned; joint issuers joined by 、")
    column: list[str] = Field(
        default_factory=list, description="column path (栏目) where the record was found"
    )
    category: str | None = Field(default=None, description="standard catalogue category")
    topic: str | None = Field(default=None, description="主题分类 as printed")
    written_date: date | None = Field(default=None, description="成文日期")
    published_date: date | None = Field(default=None, description="发布日期")
    validity: str | None = Field(default=None, description="有效性")
    keywords: list[str] = Field(default_factory=list)
    body_text: str = ""
    attachments: list[Attachment] = Field(default_factory=list)
    body_ocr_images: int = Field(
        default=0, description="images in the page body whose text was read by OCR into body_text"
    )
    cites: list[str] = Field(default_factory=list, description="canonical numbers cited in the body")
    fetched_at: datetime
    first_seen_at: datetime
    last_seen_at: datetime
    status: RecordStatus = RecordStatus.active
    version: int = 1
    content_sha256: str
    warc: WarcRef | None = None


def text_from_ocr(record: DisclosureRecord) -> bool:
    """Whether some of a record's searchable text was read from scans (body images or attachments)."""
    return record.body_ocr_images > 0 or any(attachment.ocr for attachment in record.attachments)


class Column(BaseModel):
    """A column (栏目) of a site as seen at one crawl; exists even when blank."""

    model_config = ConfigDict(extra="forbid")

    id: str
    site: str
    name: str
    path: list[str] = Field(description="names from the root column down to this one")
    url: str | None = None
    item_count: int = 0
    newest_item_date: date | None = None
    last_checked: datetime | None = None


class Site(BaseModel):
    """A department website harvested by one site plugin."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    department: str
    platform: str
    base_url: str
    columns: list[Column] = Field(default_factory=list)


def canonical_url(url: str) -> str:
    """Normalise a URL so that the same page always yields the same id.

    Lower-cases scheme and host, drops the fragment and a default port; path and query are kept as is.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port
    scheme = parts.scheme.lower()
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def record_id(url: str) -> str:
    """Stable record id: the first 20 hex digits of the SHA-256 of the canonical URL."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:20]
