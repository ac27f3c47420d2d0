"""Attachment files (附件): sniff the type from the bytes, extract text from PDF, DOCX, XLSX, OFD and text,
and OCR scans: images (JPG, PNG, TIFF, GIF, BMP, WebP), PDF pages without a text layer, OFD pages that
only hold images.

Nothing here raises on bad input: a corrupt or hostile file becomes `AttachmentText.error`.
Zip containers (DOCX, XLSX, OFD) are checked before opening: too many members, too much uncompressed data
or an absurd compression ratio is refused as a zip bomb. Images are checked for their declared size before
decoding (see `images`).
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel

from crawler.extraction.ocr import ENGINE_NAME, OcrOptions, OcrStats, PageCache, ocr_page

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
WPS = "application/vnd.ms-works"  # WPS Office writer files (.wps) are OLE containers like .doc
ET = "application/vnd.ms-excel"  # WPS spreadsheet (.et)
OFD = "application/ofd"
ZIP = "application/zip"
RAR = "application/vnd.rar"
SEVEN_ZIP = "application/x-7z-compressed"
TEXT = "text/plain"
CSV = "text/csv"
HTML = "text/html"
OCTET_STREAM = "application/octet-stream"

MAX_INPUT_BYTES = 64 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_UNCOMPRESSED = 256 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_PDF_PAGES = 2_000

_EXTENSION_TYPES = {
    ".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX, ".pptx": PPTX, ".doc": DOC, ".xls": XLS, ".ppt": PPT,
    ".wps": WPS, ".et": ET, ".ofd": OFD, ".zip": ZIP, ".rar": RAR, ".7z": SEVEN_ZIP, ".txt": TEXT,
    ".csv": CSV, ".htm": HTML, ".html": HTML,
}  # fmt: skip
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"Rar!\x1a\x07", RAR),
    (b"7z\xbc\xaf\x27\x1c", SEVEN_ZIP),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
_GENERIC_DECLARED = {
    "",
    OCTET_STREAM,
    "application/x-download",
    "application/force-download",
    "binary/octet-stream",
}


IMAGE_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/gif", "image/tiff", "image/bmp", "image/webp", "image/x-ms-bmp"}
)
PDF_RENDER_DPI = 200
MIN_TEXT_LAYER_CHARS = 8
"""A PDF page with fewer extractable characters than this (after stripping) counts as a scan."""


class AttachmentText(BaseModel):
    media_type: str
    text: str | None = None
    error: str | None = None
    ocr: bool = False
    ocr_engine: str | None = None
    ocr_confidence: float | None = None
    ocr_pages: int = 0
    ocr_stats: dict[str, float | int] = {}


@dataclass
class _Ocr:
    """OCR for the pages of one file (digest = the file's sha256, the cache key)."""

    options: OcrOptions
    digest: str
    cache: PageCache
    stats: OcrStats = field(default_factory=OcrStats)

    def budget_left(self) -> bool:
        return self.options.enabled and self.stats.pages < self.options.max_pages

    def page(self, number: int, render: Callable[[], object]) -> str:
        return ocr_page(self.digest, number, render, self.options, self.cache, self.stats).text

    def image(self, data: bytes) -> str:
        """One embedded image (of an OFD page), cached by its own digest."""
        from crawler.extraction.images import image_frames

        if not self.budget_left():
            self.stats.skipped_pages += 1
            return ""
        digest = hashlib.sha256(data).hexdigest()
        return ocr_page(
            digest, 0, lambda: next(image_frames(data, 1)), self.options, self.cache, self.stats
        ).text


def _extension_type(filename: str | None) -> str | None:
    if not filename:
        return None
    extension = posixpath.splitext(filename.lower().split("?", 1)[0])[1]
    return _EXTENSION_TYPES.get(extension) or (
        mimetypes.guess_type(f"x{extension}")[0] if extension else None
    )


def _zip_media_type(data: bytes) -> str | None:
    """The OOXML/OFD type of a zip container, ZIP for a plain archive, None when it cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    if any(name.startswith("ppt/") for name in names):
        return PPTX
    if any(name.lower().endswith("ofd.xml") for name in names):
        return OFD
    return ZIP


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    if not sample or b"\x00" in sample:
        return False
    for codec in ("utf-8", "gb18030"):
        try:
            sample.decode(codec)
        except UnicodeDecodeError as error:
            if error.start >= len(sample) - 4:  # a character cut by the sample boundary
                return True
            continue
        return True
    return False


def sniff_media_type(data: bytes, filename: str | None, declared: str | None) -> str:
    """The media type of a file: magic bytes first, then the declared type, then the file name."""
    head = data[:16]
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    by_name = _extension_type(filename)
    declared_type = (declared or "").split(";", 1)[0].strip().lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        # a damaged container keeps the type its name or header claims, so that it is reported corrupt
        return _zip_media_type(data) or by_name or declared_type or ZIP
    if head.startswith(_OLE_MAGIC):
        # .doc, .xls, .ppt, .wps and .et are all OLE compound files: only the name or header tells
        if by_name in {DOC, XLS, PPT, WPS, ET}:
            return by_name
        return declared_type if declared_type in {DOC, XLS, PPT, WPS} else "application/x-ole-storage"
    if declared_type and declared_type not in _GENERIC_DECLARED:
        return declared_type
    if by_name:
        return by_name
    stripped = data[:512].lstrip().lower()
    if stripped.startswith((b"<!doctype html", b"<html")):
        return HTML
    if _looks_like_text(data):
        return TEXT
    return OCTET_STREAM


def _zip_bomb_reason(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        return f"not a zip container: {error}"
    if len(infos) > MAX_ZIP_MEMBERS:
        return f"zip bomb suspected: {len(infos)} members"
    total = sum(info.file_size for info in infos)
    if total > MAX_ZIP_UNCOMPRESSED:
        return f"zip bomb suspected: {total} bytes uncompressed"
    for info in infos:
        if (
            info.compress_size
            and info.file_size / info.compress_size > MAX_ZIP_RATIO
            and info.file_size > 1_000_000
        ):
            return f"zip bomb suspected: {info.filename} expands {info.file_size // info.compress_size}x"
    return None


class _TextBudget:
    """Collects text pieces until max_chars is reached."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.pieces: list[str] = []
        self.size = 0

    @property
    def full(self) -> bool:
        return self.size >= self.max_chars

    def add(self, piece: str) -> None:
        if self.full or not piece:
            return
        piece = piece[: self.max_chars - self.size]
        self.pieces.append(piece)
        self.size += len(piece) + 1

    def text(self) -> str:
        return "\n".join(self.pieces)[: self.max_chars]


def _pdf_text(data: bytes, max_chars: int, ocr: _Ocr | None = None) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("encrypted")
    pages: list[str] = []
    for number, page in enumerate(reader.pages):
        if sum(map(len, pages)) >= max_chars or number >= MAX_PDF_PAGES:
            break
        pages.append((page.extract_text() or "").strip())
    scanned = [n for n, text in enumerate(pages) if len(text) < MIN_TEXT_LAYER_CHARS]
    if scanned and ocr is not None and ocr.options.enabled:
        _ocr_pdf_pages(data, scanned, pages, ocr)
    budget = _TextBudget(max_chars)
    for text in pages:
        budget.add(text)
    return budget.text()


def _ocr_pdf_pages(data: bytes, numbers: list[int], pages: list[str], ocr: _Ocr) -> None:
    """Render the pages without a text layer that hold images, and OCR them (within the page budget)."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    from crawler.extraction.images import OCR_LONG_SIDE, prepare_for_ocr

    document = pypdfium2.PdfDocument(data)
    try:
        for number in numbers:
            page = document[number]
            try:
                if not any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)):
                    continue  # a blank or vector-only page: nothing to read
                if not ocr.budget_left():
                    ocr.stats.skipped_pages += 1
                    continue
                width, height = page.get_size()
                scale = min(PDF_RENDER_DPI / 72, OCR_LONG_SIDE / max(width, height, 1.0))

                def render(page: pypdfium2.PdfPage = page, scale: float = scale) -> object:
                    return prepare_for_ocr(page.render(scale=scale, grayscale=True).to_pil())

                text = ocr.page(number, render)
                pages[number] = "\n".join(piece for piece in (pages[number], text) if piece)
            finally:
                page.close()
    finally:
        document.close()


def _image_text(data: bytes, max_chars: int, ocr: _Ocr | None = None) -> str:
    from crawler.extraction.images import image_frames

    if ocr is None or not ocr.options.enabled:
        return ""
    pieces: list[str] = []
    frames = image_frames(data, max(ocr.options.max_pages, 1))
    number = 0
    while ocr.budget_left():
        try:
            frame = next(frames)
        except StopIteration:
            break
        pieces.append(ocr.page(number, lambda frame=frame: frame))
        number += 1
    return "\n".join(piece for piece in pieces if piece)[:max_chars]


def _ofd_text(data: bytes, max_chars: int, ocr: _Ocr | None = None) -> str:
    from crawler.extraction.ofd import ofd_text

    return ofd_text(data, max_chars, ocr.image if ocr is not None and ocr.options.enabled else None)


def _docx_text(data: bytes, max_chars: int) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    budget = _TextBudget(max_chars)
    for paragraph in document.paragraphs:
        budget.add(paragraph.text.strip())
    for table in document.tables:
        for row in table.rows:
            if budget.full:
                break
            budget.add("\t".join(cell.text.strip() for cell in row.cells))
    return budget.text()


def _xlsx_text(data: bytes, max_chars: int) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    budget = _TextBudget(max_chars)
    try:
        for sheet in workbook.worksheets:
            budget.add(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                if budget.full:
                    break
                cells = ["" if value is None else str(value) for value in row]
                if any(cells):
                    budget.add("\t".join(cells).rstrip("\t"))
    finally:
        workbook.close()
    return budget.text()


def _plain_text(data: bytes, max_chars: int) -> str:
    from crawler.extraction.encoding import decode_html

    return decode_html(data).text[:max_chars]


def _html_text(data: bytes, max_chars: int) -> str:
    from crawler.extraction.encoding import decode_html
    from crawler.extraction.tree import block_lines, parse_html

    root = parse_html(decode_html(data).text)
    return "\n".join(block_lines(root))[:max_chars] if root is not None else ""


_Extractor = Callable[..., str]
_OCR_CAPABLE = {PDF, OFD, *IMAGE_TYPES}
_EXTRACTORS: dict[str, tuple[str, _Extractor]] = {
    PDF: ("pdf", _pdf_text),
    OFD: ("ofd", _ofd_text),
    **{media_type: ("image", _image_text) for media_type in IMAGE_TYPES},
    DOCX: ("docx", _docx_text),
    XLSX: ("xlsx", _xlsx_text),
    TEXT: ("text", _plain_text),
    CSV: ("text", _plain_text),
    HTML: ("html", _html_text),
}
_ZIP_BASED = {DOCX, XLSX, OFD}


def extract_attachment_text(
    data: bytes,
    *,
    filename: str | None = None,
    declared_type: str | None = None,
    max_chars: int = 200_000,
    ocr: OcrOptions | None = None,
) -> AttachmentText:
    """Text of an attachment; types without an extractor get text None and error None. With `ocr` options,
    scans (images, PDF pages without text, image-only OFD pages) are OCR'd; without, they give no text."""
    media_type = sniff_media_type(data, filename, declared_type)
    extractor = _EXTRACTORS.get(media_type)
    if extractor is None:
        return AttachmentText(media_type=media_type)
    kind, read = extractor
    if not data:
        return AttachmentText(media_type=media_type, error=f"corrupt {kind}: empty file")
    if len(data) > MAX_INPUT_BYTES:
        return AttachmentText(media_type=media_type, error=f"too large: {len(data)} bytes")
    if media_type in _ZIP_BASED:
        reason = _zip_bomb_reason(data)
        if reason:
            return AttachmentText(media_type=media_type, error=f"corrupt {kind}: {reason}")
    job = (
        _Ocr(ocr, hashlib.sha256(data).hexdigest(), PageCache(ocr.cache_dir))
        if ocr is not None and media_type in _OCR_CAPABLE
        else None
    )
    try:
        text = read(data, max_chars, job) if media_type in _OCR_CAPABLE else read(data, max_chars)
    except Exception as error:  # parsers raise anything on hostile input; record it, never crash a crawl
        return AttachmentText(
            media_type=media_type,
            error=f"corrupt {kind}: {type(error).__name__}: {error}"[:500],
            **_ocr_fields(job),
        )
    return AttachmentText(media_type=media_type, text=text, **_ocr_fields(job))


def _ocr_fields(job: _Ocr | None) -> dict[str, object]:
    if job is None or not (job.stats.pages or job.stats.skipped_pages):
        return {}
    return {
        "ocr": job.stats.pages > 0,
        "ocr_engine": ENGINE_NAME if job.stats.pages else None,
        "ocr_confidence": job.stats.mean_confidence,
        "ocr_pages": job.stats.pages,
        "ocr_stats": job.stats.as_dict(),
    }
