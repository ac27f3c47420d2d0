"""Attachment links (附件): file extensions, JCMS `downfile.jsp?…&showname=`, gkmlpt `/attachment/…`."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from lxml.html import HtmlElement
from pydantic import BaseModel

from crawler.extraction.tree import inline_text

ATTACHMENT_EXTENSIONS = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".zip", ".rar", ".7z", ".ofd", ".ppt", ".pptx",
     ".txt", ".csv", ".dps", ".tif", ".tiff", ".jpg", ".jpeg", ".png", ".gif", ".bmp"}
)  # fmt: skip
_NAME_PARAMS = ("showname", "filename", "name", "fileName", "title")
_GENERIC_NAMES = re.compile(
    r"^(?:附件\s*\d*\s*[:：]?|下载|点击下载|点此下载|立即下载|查看|点击查看|here|download|\s*)$", re.I
)
_SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "#", "data:")


class AttachmentLink(BaseModel):
    url: str
    name: str


def _query_name(query: str) -> str | None:
    params = parse_qs(query, keep_blank_values=False)
    for key in _NAME_PARAMS:
        values = params.get(key)
        if values and values[0].strip():
            return values[0].strip()
    return None


def is_attachment_url(url: str) -> bool:
    parts = urlsplit(url)
    path = parts.path.lower()
    extension = posixpath.splitext(path)[1]
    if extension in ATTACHMENT_EXTENSIONS:
        return True
    if "/attachment/" in path or "downfile" in path or "download" in path.rsplit("/", 1)[-1]:
        return True
    showname = _query_name(parts.query)
    return bool(showname and posixpath.splitext(showname.lower())[1] in ATTACHMENT_EXTENSIONS)


def attachment_name(url: str, link_text: str) -> str:
    text = link_text.strip()
    if text and not _GENERIC_NAMES.match(text):
        return text
    parts = urlsplit(url)
    return _query_name(parts.query) or unquote(posixpath.basename(parts.path)) or text


def absolute_url(href: str, base_url: str) -> str | None:
    href = href.strip()
    if not href or href.lower().startswith(_SKIPPED_SCHEMES):
        return None
    try:
        joined = urljoin(base_url, href)
    except ValueError:
        return None
    return joined if joined.startswith(("http://", "https://")) else None


def attachment_links(anchors: Iterable[HtmlElement], base_url: str) -> list[AttachmentLink]:
    """Attachment links among the anchors, absolute, unique by URL, named by text or showname."""
    found: dict[str, AttachmentLink] = {}
    for anchor in anchors:
        url = absolute_url(anchor.get("href") or "", base_url)
        if url is None or not is_attachment_url(url):
            continue
        name = attachment_name(url, inline_text(anchor))
        known = found.get(url)
        if known is None or (_GENERIC_NAMES.match(known.name) and not _GENERIC_NAMES.match(name)):
            found[url] = AttachmentLink(url=url, name=name)
    return list(found.values())


def links_from_records(records: Iterable[object], base_url: str) -> list[AttachmentLink]:
    """Attachments listed in a JSON payload (gkmlpt DETAIL `attachment`): dicts with a url and a name."""
    found: list[AttachmentLink] = []
    for record in records:
        if not isinstance(record, dict):
            continue
        raw_url = next(
            (
                record[k]
                for k in ("url", "link", "path", "href", "file_url")
                if isinstance(record.get(k), str)
            ),
            None,
        )
        url = absolute_url(raw_url, base_url) if raw_url else None
        if url is None:
            continue
        raw_name = next(
            (record[k] for k in ("name", "title", "filename", "file_name") if isinstance(record.get(k), str)),
            "",
        )
        found.append(AttachmentLink(url=url, name=attachment_name(url, raw_name)))
    return found
