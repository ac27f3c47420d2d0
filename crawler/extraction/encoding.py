"""Decode fetched HTML bytes into text without silent mojibake.

Order of evidence: HTTP header charset, then a ``<meta>`` declaration near the top, then a byte-order
mark, then strict UTF-8, then gb18030. A declaration is only believed when the bytes decode cleanly
with it; legacy Chinese sites often lie (header says utf-8, body is GBK), so a failing declaration
falls through to the next candidate and the result says which one won.
"""

from __future__ import annotations

import codecs
import re
from typing import Literal

from pydantic import BaseModel

EncodingSource = Literal["header", "meta", "bom", "fallback"]

# gb2312 and gbk are subsets of gb18030; decoding with the superset never loses characters.
_GB_FAMILY = {"gb2312", "gbk", "cp936", "x-gbk", "gb_2312", "gb_2312-80", "euc-cn", "csgb2312", "gb18030"}
_META_PRESCAN_BYTES = 8192
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{2,40})""", re.IGNORECASE
)
_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_\-.]{2,40})""")
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{2,40})""", re.IGNORECASE)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"\x84\x31\x95\x33", "gb18030"),
)


class DecodedPage(BaseModel):
    text: str
    encoding: str
    source: EncodingSource
    replaced: int  # count of undecodable byte runs replaced by U+FFFD


def normalize_charset(label: str | None) -> str | None:
    """Map a charset label to a Python codec name; GB family to gb18030; unknown labels to None."""
    if not label:
        return None
    cleaned = label.strip().strip("\"'").lower()
    if cleaned in _GB_FAMILY:
        return "gb18030"
    if cleaned in {"unicode", "utf8", "x-utf-8"}:
        cleaned = "utf-8"
    try:
        name = codecs.lookup(cleaned).name
    except LookupError:
        return None
    if name in {"gbk", "gb2312"}:
        return "gb18030"
    return name


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return normalize_charset(match.group(1)) if match else None


def charset_from_meta(body: bytes) -> str | None:
    head = body[:_META_PRESCAN_BYTES]
    match = _XML_DECL_ENCODING.search(head) or _META_CHARSET.search(head)
    return normalize_charset(match.group(1).decode("ascii", "ignore")) if match else None


def charset_from_bom(body: bytes) -> tuple[str, int] | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, len(bom)
    return None


def _is_single_byte(codec_name: str) -> bool:
    # Single-byte codecs decode any byte string "cleanly", so a clean decode proves nothing.
    return codec_name.startswith(("iso8859", "cp125", "latin", "mac-", "koi8", "cp437", "cp850"))


def _decode_counting(body: bytes, codec_name: str) -> tuple[str, int]:
    try:
        return body.decode(codec_name), 0
    except UnicodeDecodeError:
        pass
    text = body.decode(codec_name, errors="replace")
    genuine = body.count("\ufffd".encode(codec_name)) if codec_name.startswith(("utf-8", "gb18030")) else 0
    return text, max(text.count("\ufffd") - genuine, 0)


def _is_multibyte_utf8(body: bytes) -> bool:
    """True when the bytes are valid UTF-8 and use non-ASCII characters (chance for GBK text: nil)."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_html(body: bytes, content_type: str | None = None) -> DecodedPage:
    """Decode an HTML response; see the module docstring for the order of evidence."""
    bom = charset_from_bom(body)
    payload = body[bom[1] :] if bom else body
    candidates: list[tuple[str, EncodingSource]] = []
    header = charset_from_content_type(content_type)
    if header:
        candidates.append((header, "header"))
    meta = charset_from_meta(body)
    if meta:
        candidates.append((meta, "meta"))
    if bom:
        candidates.append((bom[0], "bom"))
    candidates += [("utf-8", "fallback"), ("gb18030", "fallback")]

    looks_utf8 = _is_multibyte_utf8(payload)
    has_high_bytes = not payload.isascii()
    tried: list[tuple[str, EncodingSource, str, int]] = []
    seen: set[str] = set()
    for codec_name, source in candidates:
        if codec_name in seen:
            continue
        seen.add(codec_name)
        if bom and codec_name != bom[0]:
            continue  # a byte-order mark is evidence about the bytes themselves; declarations are not
        if looks_utf8 and codec_name != "utf-8" and not codec_name.startswith("utf-"):
            continue
        if has_high_bytes and _is_single_byte(codec_name) and source != "fallback":
            tried.append((codec_name, source, *_decode_counting(payload, codec_name)))
            continue  # kept only as a last resort below
        if codec_name.startswith(("utf-16", "utf-32")) and not bom:
            continue
        text, replaced = _decode_counting(payload, codec_name)
        if replaced == 0:
            return DecodedPage(text=text, encoding=codec_name, source=source, replaced=0)
        tried.append((codec_name, source, text, replaced))

    if not tried:
        text, replaced = _decode_counting(payload, "gb18030")
        return DecodedPage(text=text, encoding="gb18030", source="fallback", replaced=replaced)
    # Nothing multi-byte decoded cleanly: the fewest replacements wins, earlier evidence on ties.
    codec_name, source, text, replaced = min(tried, key=lambda item: item[3])
    return DecodedPage(text=text, encoding=codec_name, source=source, replaced=replaced)
