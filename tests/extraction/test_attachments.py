"""Attachment text: real PDF/DOCX/XLSX files generated here, corrupt bytes, zip bombs, other types."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from openpyxl import Workbook
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from crawler.extraction.attachments import (
    DOC,
    DOCX,
    PDF,
    XLSX,
    extract_attachment_text,
    sniff_media_type,
)


def _pdf(lines: list[str]) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    for page_lines in (lines[:2], lines[2:]):
        sheet.setFont("STSong-Light", 12)
        for offset, line in enumerate(page_lines):
            sheet.drawString(72, 720 - 20 * offset, line)
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def _docx() -> bytes:
    document = Document()
    document.add_paragraph("济南市财政局关于印发预算管理办法的通知")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "项目"
    table.rows[0].cells[1].text = "金额（万元）"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "部门预算"
    sheet.append(["单位", "预算数"])
    sheet.append(["济南市教育局", 1250.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_pdf_text() -> None:
    data = _pdf(["关于印发某某方案的通知", "第一页第二行", "第二页内容 2021"])
    result = extract_attachment_text(data, filename="P020210101.pdf")
    assert (result.media_type, result.error) == (PDF, None)
    assert result.text is not None
    for expected in ("关于印发某某方案的通知", "第一页第二行", "第二页内容 2021"):
        assert expected in result.text


def test_pdf_text_respects_max_chars() -> None:
    data = _pdf(["甲" * 30, "乙" * 30, "丙" * 30])
    result = extract_attachment_text(data, max_chars=40)
    assert result.text is not None and len(result.text) == 40
    assert "丙" not in result.text


def test_docx_text_with_tables() -> None:
    result = extract_attachment_text(_docx(), filename="办法.docx")
    assert (result.media_type, result.error) == (DOCX, None)
    assert result.text == "济南市财政局关于印发预算管理办法的通知\n项目\t金额（万元）"


def test_xlsx_text() -> None:
    result = extract_attachment_text(
        _xlsx(), filename="预算表.xlsx", declared_type="application/octet-stream"
    )
    assert (result.media_type, result.error) == (XLSX, None)
    assert result.text == "部门预算\n单位\t预算数\n济南市教育局\t1250.5"


def test_type_comes_from_bytes_not_from_a_wrong_name() -> None:
    assert sniff_media_type(_xlsx(), "download.pdf", "application/pdf") == XLSX
    assert sniff_media_type(_docx(), None, None) == DOCX
    assert sniff_media_type(_pdf(["x"]), "a.doc", "application/msword") == PDF


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "a.pdf", "pdf"),
        (b"not a pdf at all", "a.pdf", "pdf"),
        (b"PK\x03\x04" + b"\x00" * 60, "a.docx", "docx"),
        (b"PK\x03\x04broken", "a.xlsx", "xlsx"),
    ],
)
def test_corrupt_files_are_recorded_errors(data: bytes, filename: str, kind: str) -> None:
    result = extract_attachment_text(data, filename=filename)
    assert result.text is None
    assert result.error is not None and result.error.startswith(f"corrupt {kind}: ")


def test_truncated_pdf_is_an_error() -> None:
    data = _pdf(["截断的文件"])
    result = extract_attachment_text(data[: len(data) // 3], filename="cut.pdf")
    assert result.media_type == PDF
    assert result.text is None and result.error is not None and result.error.startswith("corrupt pdf: ")


def test_zip_bomb_is_refused_before_opening() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (20 * 1024 * 1024))
    result = extract_attachment_text(buffer.getvalue(), filename="bomb.docx")
    assert result.media_type == DOCX
    assert result.text is None
    assert result.error is not None and "zip bomb suspected" in result.error


def test_other_types_are_recorded_without_text() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    doc = extract_attachment_text(ole, filename="通知.doc")
    assert (doc.media_type, doc.text, doc.error) == (DOC, None, None)
    rar = extract_attachment_text(b"Rar!\x1a\x07\x00" + b"\x00" * 20, filename="files.rar")
    assert (rar.media_type, rar.text, rar.error) == ("application/vnd.rar", None, None)
    ofd = extract_attachment_text(b"\x01\x02\x03", filename="公文.ofd")  # OFD is read: junk is corrupt
    assert ofd.media_type == "application/ofd" and ofd.text is None
    assert ofd.error is not None and ofd.error.startswith("corrupt ofd")


def test_plain_text_in_gbk() -> None:
    result = extract_attachment_text("附件说明：共三项".encode("gbk"), filename="readme.txt")
    assert (result.media_type, result.text, result.error) == ("text/plain", "附件说明：共三项", None)


def test_empty_file_is_an_error_for_known_types() -> None:
    assert extract_attachment_text(b"", filename="a.pdf").error == "corrupt pdf: empty file"
