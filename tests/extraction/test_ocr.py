"""OCR of scans (images, image-only PDFs, scanned OFD), OFD text, and hostile images."""

from __future__ import annotations

import asyncio
import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from crawler.extraction.attachments import extract_attachment_text
from crawler.extraction.detail import describe_attachment
from crawler.extraction.ocr import OcrOptions
from crawler.workers import ExtractionWorkers
from indexer.docno import extract_doc_numbers
from portal import scans

TITLE = "济南市财政局关于公开财政资金信息的通知"
NUMBER_LINE = "济财预〔2024〕17号"
BODY = "各区县财政局：现将扫描件中的专项资金绩效评价结果予以公开。"
LINES = (TITLE, NUMBER_LINE, BODY)


def _ocr(tmp_path: Path, **changes: object) -> OcrOptions:
    return OcrOptions(cache_dir=str(tmp_path / "ocr-cache"), **changes)


def _compact(text: str | None) -> str:
    return "".join((text or "").split())


def test_an_image_only_pdf_is_ocrd_and_cached(tmp_path: Path) -> None:
    page = scans.render_page(LINES, "clean", "t1")
    data = scans.scan_pdf([page, page])
    first = extract_attachment_text(data, filename="扫描件.pdf", ocr=_ocr(tmp_path))
    assert first.error is None, first.error
    assert first.ocr and first.ocr_engine == "rapidocr" and first.ocr_pages == 2
    assert NUMBER_LINE in _compact(first.text) and "专项资金绩效评价" in _compact(first.text)
    assert first.ocr_confidence is not None and 0.8 < first.ocr_confidence <= 1
    assert first.ocr_stats["cached_pages"] == 0 and first.ocr_stats["seconds"] > 0
    again = extract_attachment_text(data, filename="扫描件.pdf", ocr=_ocr(tmp_path))
    assert again.text == first.text
    assert again.ocr_stats["cached_pages"] == 2 and again.ocr_stats["seconds"] == 0
    without = extract_attachment_text(data, filename="扫描件.pdf")
    assert without.text == "" and not without.ocr


def test_the_page_budget_bounds_a_long_scan(tmp_path: Path) -> None:
    page = scans.render_page((NUMBER_LINE,), "clean", "t2")
    data = scans.scan_pdf([page] * 4)
    result = extract_attachment_text(data, filename="汇编.pdf", ocr=_ocr(tmp_path, max_pages=2))
    assert result.ocr_pages == 2 and result.ocr_stats["skipped_pages"] == 2
    assert _compact(result.text).count(NUMBER_LINE) == 2


def test_a_pdf_with_a_text_layer_is_not_ocrd(tmp_path: Path) -> None:
    from portal.attachments import make_pdf

    result = extract_attachment_text(make_pdf(LINES), filename="a.pdf", ocr=_ocr(tmp_path))
    assert not result.ocr and result.ocr_pages == 0 and NUMBER_LINE in _compact(result.text)


@pytest.mark.parametrize("image_format", ["png", "jpg", "tiff", "gif"])
def test_images_are_ocrd(tmp_path: Path, image_format: scans.ImageFormat) -> None:
    data = scans.image_bytes(scans.render_page(LINES, "clean", "t3"), image_format)
    described = describe_attachment(data, f"通知.{image_format}", None, _ocr(tmp_path))
    assert described["error"] is None and described["ocr"] is True
    assert described["media_type"].startswith("image/")
    assert NUMBER_LINE in _compact(described["text"])
    assert described["ocr_stats"]["pages"] == 1


def test_noisy_and_low_resolution_scans_still_read(tmp_path: Path) -> None:
    for variant in ("noisy", "lowres"):
        data = scans.image_bytes(scans.render_page(LINES, variant, "t4"), "png")
        result = extract_attachment_text(data, filename="x.png", ocr=_ocr(tmp_path))
        # OCR may read 〕 as ] here: the number parser takes either
        assert NUMBER_LINE in [c.canonical for c in extract_doc_numbers(result.text or "")], (
            variant,
            result.text,
        )


def test_ofd_text_layer_is_extracted_in_reading_order() -> None:
    data = scans.ofd_document([[TITLE, NUMBER_LINE], [BODY]], title=TITLE)
    result = extract_attachment_text(data, filename="公文.ofd")
    assert result.error is None and result.media_type == "application/ofd" and not result.ocr
    assert result.text == "\n".join(LINES)


def test_a_scanned_ofd_page_is_ocrd(tmp_path: Path) -> None:
    data = scans.scanned_ofd(scans.render_page(LINES, "clean", "t5"), title=TITLE)
    result = extract_attachment_text(data, filename="公文.ofd", ocr=_ocr(tmp_path))
    assert result.error is None and result.ocr and NUMBER_LINE in _compact(result.text)


def test_a_hostile_ofd_is_an_error() -> None:
    billion_laughs = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'>&b;</ofd:OFD>"
    )
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", billion_laughs)
    result = extract_attachment_text(buffer.getvalue(), filename="x.ofd")
    assert result.text is None and result.error is not None and result.error.startswith("corrupt ofd")


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG declaring width × height pixels (its one IDAT decompresses to a huge all-zero image)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * width
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(min(height, 64))) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def test_hostile_images_are_recorded_errors_in_a_memory_limited_worker(tmp_path: Path) -> None:
    options = _ocr(tmp_path)
    good = scans.image_bytes(scans.render_page(LINES, "clean", "t6"), "png")
    tiff = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(tiff, "TIFF", compression="group4")  # a few KB on disk
    files = {
        "cut.png": good[: len(good) // 2],
        "huge.png": _png_header_only(30_000, 30_000),
        "bomb.png": _png_header_only(9_000, 9_000),  # 81 Mpx from a few KB
        "bomb.tif": tiff.getvalue(),
        "x.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 100,
    }
    workers = ExtractionWorkers(1, memory_mb=1536)  # as the crawler runs them
    try:

        async def describe_all() -> list[dict[str, object]]:
            return [
                await workers.run(describe_attachment, data, name, None, options)
                for name, data in files.items()
            ]

        results = dict(zip(files, asyncio.run(describe_all()), strict=True))
        assert workers._executor is not None  # no worker died
    finally:
        workers.close()
    for name, result in results.items():
        assert result["text"] is None and "ocr" not in result, name
        assert isinstance(result["error"], str) and result["error"].startswith("corrupt image"), name
    for name in ("huge.png", "bomb.png", "bomb.tif"):
        assert "too large" in str(results[name]["error"]), name  # refused from the header, never decoded
