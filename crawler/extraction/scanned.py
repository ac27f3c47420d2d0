"""Metadata read from the OCR text of a scanned notice: the 文号 on its own line under the header, the
成文日期 and the issuer's signature at the end, and the numbers it cites.

A scan has no labels; the layout of an official document (GB/T 9704: 发文机关标志, 发文字号 on its own line,
正文, then 发文机关署名 and 成文日期) is what places each field. OCR text has no reliable whitespace, so lines
are compared without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from indexer.dates import parse_date
from indexer.docno import extract_doc_numbers, parse_doc_number
from indexer.issuers import clean_issuer
from indexer.schema import DisclosureRecord

HEADER_LINES = 10
"""The 文号 is looked for in this many first lines (under the 发文机关标志 and a title)."""
SIGNATURE_LINES = 8
MAX_NUMBER_LINE_CHARS = 30
MAX_DATE_LINE_CHARS = 20
MAX_ISSUER_LINE_CHARS = 40
_DEBRIS = re.compile(r"[\s\W_]+")
_ORG_ENDINGS = tuple("府厅局委会部院室署办心所站队处")
_DATE_LINE = re.compile(r"^\S{2,4}年\S{1,3}月\S{1,3}日$")


@dataclass
class ScanFields:
    doc_number: str | None = None
    doc_number_raw: str | None = None
    written_date: date | None = None
    issuer: str | None = None
    cites: list[str] = field(default_factory=list)


def _compact(line: str) -> str:
    return "".join(line.split())


def _number_line(line: str) -> tuple[str, str] | None:
    """(canonical, as printed) when a line is one document number and nothing else."""
    compact = _compact(line)
    if not compact or len(compact) > MAX_NUMBER_LINE_CHARS:
        return None
    cited = extract_doc_numbers(compact)
    if len(cited) == 1:
        rest = compact[: cited[0].start] + compact[cited[0].start + len(cited[0].raw) :]
        if len(_DEBRIS.sub("", rest)) <= 1:
            return cited[0].canonical, cited[0].raw
    if not cited:
        parsed = parse_doc_number(compact)  # field reading: also a number whose 号 OCR dropped
        if parsed.canonical and parsed.issuer_code:
            return parsed.canonical, compact
    return None


def fields_from_scan(text: str) -> ScanFields:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    found = ScanFields()
    for line in lines[:HEADER_LINES]:
        number = _number_line(line)
        if number:
            found.doc_number, found.doc_number_raw = number
            break
    tail = lines[-SIGNATURE_LINES:]
    for position in range(len(tail) - 1, -1, -1):
        compact = _compact(tail[position])
        if len(compact) > MAX_DATE_LINE_CHARS or not _DATE_LINE.match(compact):
            continue
        found.written_date = parse_date(compact)
        if found.written_date is None:
            continue
        if position > 0:
            signature = _compact(tail[position - 1])
            if len(signature) <= MAX_ISSUER_LINE_CHARS and signature.endswith(_ORG_ENDINGS):
                found.issuer = clean_issuer(signature)
        break
    found.cites = list(
        dict.fromkeys(
            cited.canonical
            for cited in extract_doc_numbers(text, exclude=found.doc_number)
            if cited.canonical != found.doc_number
        )
    )
    return found


WRAPPER_BODY_CHARS = 100
"""A page whose own body is shorter than this (whitespace aside) only wraps its scans: their OCR text is the
document, so its metadata is read from there."""


def with_scanned_text(record: DisclosureRecord, body_texts: list[str]) -> DisclosureRecord:
    """The record with the OCR text of its body images added to its body, and the fields the page did not
    print (文号, 成文日期, issuer, cited numbers) read from its scans: the body images, and the OCR'd
    attachments of a page that is only a wrapper around them."""
    update: dict[str, Any] = {}
    scanned = list(body_texts)
    if body_texts:
        update["body_text"] = "\n".join(text for text in (record.body_text, *body_texts) if text)
        update["body_ocr_images"] = len(body_texts)
    if len(_compact(record.body_text)) < WRAPPER_BODY_CHARS:
        scanned.extend(a.text for a in record.attachments if a.ocr and a.text)
    if not scanned:
        return record
    doc_number = record.doc_number
    cites = list(record.cites)
    for text in scanned:
        found = fields_from_scan(text)
        if doc_number is None and found.doc_number and record.doc_number_raw is None:
            doc_number = update["doc_number"] = found.doc_number
            update["doc_number_raw"] = found.doc_number_raw
        if record.written_date is None and found.written_date and "written_date" not in update:
            update["written_date"] = found.written_date
        if record.issuer is None and found.issuer and "issuer" not in update:
            update["issuer"] = found.issuer
        cites.extend(found.cites)
    update["cites"] = [number for number in dict.fromkeys(cites) if number != doc_number]
    return record.model_copy(update=update)
