"""Extraction of one fetched detail page or attachment: pure functions of the bytes (no Scrapy, no I/O), so
they can run in a worker thread or a worker process (`crawler.workers`); what they return pickles cheaply."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crawler.extraction.attachments import extract_attachment_text
from crawler.extraction.encoding import charset_from_content_type, decode_html
from crawler.extraction.ocr import OcrOptions
from crawler.extraction.page import ExtractionHints, build_record, extract_page


@dataclass
class ExtractedDetail:
    record_json: dict[str, Any]
    links: list[tuple[str, str]]
    decode_problems: list[str]
    body_images: list[str]


def extract_detail(
    body: bytes,
    content_type: str | None,
    url: str,
    hints: ExtractionHints,
    *,
    site: str,
    column: list[str],
    category: str | None,
    fetched_at: datetime,
) -> ExtractedDetail:
    """Decode and extract one detail page into record JSON (pure: safe in a worker thread or process)."""
    decoded = decode_html(body, content_type)
    problems: list[str] = []
    declared = charset_from_content_type(content_type)
    if declared and declared != decoded.encoding:
        problems.append(f"header declares {declared}, page decoded as {decoded.encoding}")
    if decoded.replaced:
        problems.append(f"{decoded.replaced} undecodable bytes ({decoded.encoding})")
    page = extract_page(decoded.text, url, hints=hints)
    record = build_record(page, url=url, site=site, column=column, category=category, fetched_at=fetched_at)
    return ExtractedDetail(
        record_json=record.model_dump(mode="json"),
        links=[(link.url, link.name) for link in page.attachments],
        decode_problems=problems,
        body_images=list(page.body_images),
    )


def describe_attachment(
    body: bytes, filename: str, declared_type: str | None, ocr: OcrOptions | None = None
) -> dict[str, Any]:
    """Media type, size, digest and text of a fetched attachment (pure but for the OCR page cache: safe in a
    worker thread or process). `ocr_stats` is for the run report, not the record."""
    text = extract_attachment_text(body, filename=filename, declared_type=declared_type, ocr=ocr)
    described: dict[str, Any] = {
        "media_type": text.media_type,
        "size": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
        "text": text.text or None,
        "error": text.error,
    }
    if text.ocr:
        described.update(
            ocr=True, ocr_engine=text.ocr_engine, ocr_confidence=text.ocr_confidence, ocr_pages=text.ocr_pages
        )
    if text.ocr_stats:
        described["ocr_stats"] = text.ocr_stats
    return described


def read_body_image(body: bytes, filename: str, declared_type: str | None, ocr: OcrOptions) -> dict[str, Any]:
    """The OCR text of an image that carries a page's body (text None and an error when it is no readable
    image); `ocr_stats` is for the run report."""
    text = extract_attachment_text(body, filename=filename, declared_type=declared_type, ocr=ocr)
    error = text.error
    if error is None and not text.media_type.startswith("image/"):
        error = f"body image is {text.media_type}"
    return {
        "text": (text.text or None) if error is None else None,
        "error": error,
        "ocr_stats": text.ocr_stats,
    }
