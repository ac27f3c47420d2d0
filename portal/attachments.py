"""Attachment files (附件): real PDF/DOCX/XLSX with extractable text, a corrupt PDF, an oversized file.

Bytes are a pure function of the attachment spec, so sha256/size in the manifest match what is served.
"""

from __future__ import annotations

import hashlib
import io
import random
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterator
from datetime import datetime

from portal.corpus import AttachmentSpec

FIXED_TIME = datetime(2020, 1, 1, 0, 0, 0)
OVERSIZED_CHUNK = 64 * 1024
_PDF_FONT = "STSong-Light"
_font_lock = threading.Lock()
_font_ready = False


def _ensure_font() -> None:
    global _font_ready
    with _font_lock:
        if not _font_ready:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.cidfonts import UnicodeCIDFont

            pdfmetrics.registerFont(UnicodeCIDFont(_PDF_FONT))
            _font_ready = True


def _wrap(line: str, width: int = 34) -> list[str]:
    return [line[n : n + width] for n in range(0, len(line), width)] or [""]


def make_pdf(lines: tuple[str, ...]) -> bytes:
    from reportlab.pdfgen import canvas

    _ensure_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.setTitle(lines[0] if lines else "")
    pdf.setFont(_PDF_FONT, 12)
    y = 780
    for line in lines:
        for part in _wrap(line):
            pdf.drawString(60, y, part)
            y -= 20
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite an OOXML zip with fixed timestamps so identical content gives identical bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(rb"\g<1>2020-01-01T00:00:00Z\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return output.getvalue()


def make_docx(lines: tuple[str, ...]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.created = FIXED_TIME
    document.core_properties.modified = FIXED_TIME
    document.core_properties.title = lines[0] if lines else ""
    if lines:
        document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return _normalise_zip(buffer.getvalue())


def make_xlsx(lines: tuple[str, ...], seed_text: str) -> bytes:
    import openpyxl

    rng = random.Random(seed_text)
    workbook = openpyxl.Workbook()
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append([lines[0]])
    sheet.append(list(lines[1:3]))
    for name in lines[3:]:
        sheet.append([name, rng.randint(10, 5000)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _normalise_zip(buffer.getvalue())


def make_corrupt_pdf(seed_text: str) -> bytes:
    rng = random.Random(seed_text)
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + rng.randbytes(6000)


def oversized_chunks(seed_text: str, size: int) -> Iterator[bytes]:
    """The oversized file, produced in 64 KiB chunks without holding it in memory."""
    base = random.Random(seed_text).randbytes(OVERSIZED_CHUNK)
    sent = 0
    number = 0
    while sent < size:
        header = b"%PDF-1.4\n" if number == 0 else f"\n% part {number:08d}\n".encode()
        chunk = (header + base)[: min(OVERSIZED_CHUNK, size - sent)]
        yield chunk
        sent += len(chunk)
        number += 1


def make_scan(spec: AttachmentSpec, key: str) -> bytes:
    """A scanned page of the spec's lines, delivered as an image-only PDF, an image or a scanned OFD."""
    from portal import scans

    variant = spec.variant if spec.variant in scans.SCAN_VARIANTS else "clean"
    page = scans.render_page(spec.lines, variant, key)  # type: ignore[arg-type]
    if spec.scan_format == "pdf":
        return scans.scan_pdf([page])
    if spec.scan_format == "ofd":
        return scans.scanned_ofd(page, title=spec.lines[0] if spec.lines else "")
    return scans.image_bytes(page, spec.scan_format or "png")  # type: ignore[arg-type]


def seed_text(seed: int, site: str, docid: int, spec: AttachmentSpec) -> str:
    return f"{seed}:{site}:{docid}:{spec.number}"


def render(seed: int, site: str, docid: int, spec: AttachmentSpec) -> bytes:
    """The bytes of a (non-oversized) attachment."""
    key = seed_text(seed, site, docid, spec)
    if spec.kind == "pdf":
        return make_pdf(spec.lines)
    if spec.kind == "docx":
        return make_docx(spec.lines)
    if spec.kind == "xlsx":
        return make_xlsx(spec.lines, key)
    if spec.kind == "corrupt":
        return make_corrupt_pdf(key)
    if spec.kind == "scan":
        return make_scan(spec, key)
    if spec.kind == "ofd":
        from portal.scans import ofd_document

        return ofd_document([list(spec.lines)], title=spec.lines[0] if spec.lines else "")
    raise ValueError("the oversized attachment is streamed; use oversized_chunks")


class AttachmentStore:
    """Renders attachments on demand with a bounded LRU cache of bytes and a cache of digests."""

    def __init__(self, seed: int, oversized_bytes: int, capacity: int = 128) -> None:
        self.seed = seed
        self.oversized_bytes = oversized_bytes
        self.capacity = capacity
        self._bytes: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()
        self._digests: OrderedDict[tuple[str, int, int], tuple[int, str]] = OrderedDict()
        self._lock = threading.Lock()

    def content(self, site: str, docid: int, spec: AttachmentSpec) -> bytes:
        key = (site, docid, spec.number)
        with self._lock:
            if key in self._bytes:
                self._bytes.move_to_end(key)
                return self._bytes[key]
        data = render(self.seed, site, docid, spec)
        with self._lock:
            if self.capacity:
                self._bytes[key] = data
                while len(self._bytes) > self.capacity:
                    self._bytes.popitem(last=False)
        return data

    def chunks(self, site: str, docid: int, spec: AttachmentSpec) -> Iterator[bytes]:
        if spec.kind == "oversized":
            return oversized_chunks(seed_text(self.seed, site, docid, spec), self.oversized_bytes)
        return iter([self.content(site, docid, spec)])

    def digest(self, site: str, docid: int, spec: AttachmentSpec) -> tuple[int, str]:
        """(size, sha256 hex) of an attachment."""
        key = (site, docid, spec.number)
        with self._lock:
            if key in self._digests:
                return self._digests[key]
        hasher = hashlib.sha256()
        size = 0
        for chunk in self.chunks(site, docid, spec):
            hasher.update(chunk)
            size += len(chunk)
        result = (size, hasher.hexdigest())
        with self._lock:
            self._digests[key] = result
            while len(self._digests) > 100_000:
                self._digests.popitem(last=False)
        return result

    def size(self, site: str, docid: int, spec: AttachmentSpec) -> int:
        if spec.kind == "oversized":
            return self.oversized_bytes
        return self.digest(site, docid, spec)[0]
