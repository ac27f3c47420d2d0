"""Attachments are real files whose digests and text match the manifest."""

from __future__ import annotations

import hashlib
import io

import docx
import httpx
import openpyxl
import pypdf
import pytest
from pypdf.errors import PdfReadError

from portal.manifest import ManifestAttachment, PortalManifest


def extract_text(kind: str, data: bytes) -> str:
    if kind in ("ofd", "scan"):  # the crawler's reader (OCR for scans) is what must find the text
        from crawler.extraction.attachments import extract_attachment_text
        from crawler.extraction.ocr import OcrOptions

        return "".join((extract_attachment_text(data, ocr=OcrOptions()).text or "").split())
    if kind == "pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    if kind == "docx":
        return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    cells = [
        str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v
    ]
    return "\n".join(cells)


def _attachments(manifest: PortalManifest) -> list[ManifestAttachment]:
    return [a for d in manifest.documents if not d.robots_disallowed for a in d.attachments]


def test_every_attachment_matches_digest_and_text(manifest: PortalManifest, client: httpx.Client) -> None:
    attachments = [a for a in _attachments(manifest) if a.kind != "oversized"]
    assert {a.kind for a in attachments} >= {"pdf", "docx", "xlsx", "corrupt"}
    for attachment in attachments:
        response = client.get(attachment.url)
        assert response.status_code == 200, attachment.url
        assert response.headers["content-type"] == attachment.media_type
        assert len(response.content) == attachment.size
        assert hashlib.sha256(response.content).hexdigest() == attachment.sha256
        if attachment.kind == "scan" and attachment.scan_variant != "clean":
            from crawler.extraction.attachments import sniff_media_type

            assert sniff_media_type(response.content, None, None) == attachment.media_type
            continue  # how well noisy scans read is measured by bench/bench_ocr.py
        if attachment.text_contains is not None:
            assert attachment.text_contains in extract_text(attachment.kind, response.content)
        if attachment.kind == "ofd":
            assert extract_text("ofd", response.content) == "".join((attachment.text or "").split())


def test_corrupt_pdf_does_not_parse(manifest: PortalManifest, client: httpx.Client) -> None:
    corrupt = next(a for a in _attachments(manifest) if a.kind == "corrupt")
    assert corrupt.text_contains is None
    data = client.get(corrupt.url).content
    assert data.startswith(b"%PDF-")
    with pytest.raises((PdfReadError, ValueError, KeyError)):
        reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
        _ = [page.extract_text() for page in reader.pages]


def test_oversized_file_is_streamed_with_its_digest(manifest: PortalManifest, client: httpx.Client) -> None:
    big = next(a for a in _attachments(manifest) if a.kind == "oversized")
    assert big.size is not None and big.size > 20 * 1024 * 1024
    hasher = hashlib.sha256()
    received = 0
    with client.stream("GET", big.url) as response:
        assert int(response.headers["content-length"]) == big.size
        for chunk in response.iter_bytes():
            hasher.update(chunk)
            received += len(chunk)
    assert received == big.size
    assert hasher.hexdigest() == big.sha256


def test_attachment_links_appear_on_detail_pages(manifest: PortalManifest, client: httpx.Client) -> None:
    for doc in [d for d in manifest.documents if d.attachments and not d.robots_disallowed][:20]:
        page = client.get(doc.url)
        text = page.content.decode(page.charset_encoding or "utf-8")
        for attachment in doc.attachments:
            assert attachment.name in text
