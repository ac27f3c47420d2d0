"""Turn one fetched detail page into structured fields, with no per-site selectors for common layouts.

Field resolution: every label/value pair found on the page (see `metadata.py`) is a candidate; for each
field the candidates are tried best first — outside the body before inside it, label priority
(`发布机构` before `来源`), printed before script before `<meta>`, then document order — and the first
value that parses wins.

The page's own 文号 when no metadata names it: a short line under the title that is nothing but a
number (the gov.cn centred `<p>`), else a number in brackets at the end of the title
(`…实施意见（黔府发〔2019〕4 号）`). A number in the title is a citation form, so it is only taken when
nothing else names the page's number; it is then the page's own number and never one of its `cites`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement
from parsel.csstranslator import HTMLTranslator
from pydantic import BaseModel, Field

from crawler.extraction.body import (
    body_lines,
    densest_block,
    is_furniture_element,
    known_container,
    text_chars,
)
from crawler.extraction.labels import Field as MetaField
from crawler.extraction.labels import key_label
from crawler.extraction.links import AttachmentLink, attachment_links, links_from_records
from crawler.extraction.metadata import LabelPair, Origin, collect_pairs
from crawler.extraction.scan import scan_tree
from crawler.extraction.scripts import detail_payload
from crawler.extraction.title import find_title
from crawler.extraction.tree import block_lines, inline_text, parse_fragment, parse_html, squash
from indexer.dates import parse_date
from indexer.docno import extract_doc_numbers, parse_doc_number
from indexer.issuers import clean_issuer
from indexer.schema import Attachment, DisclosureRecord, record_id

__all__ = ["AttachmentLink", "ExtractedPage", "ExtractionHints", "build_record", "extract_page"]

_T = TypeVar("_T")
_PLACEHOLDERS = frozenset(
    {"", "无", "暂无", "其它", "其他", "-", "--", "—", "——", "/", "null", "none", "空", "未知"}
)
_KEYWORD_SEPARATORS = re.compile(r"[\s,，;；、|/]+")
_TITLE_NUMBER = re.compile(r"[（(]([^（）()]{4,40})[）)]\s*$")
_NUMBER_DEBRIS = re.compile(r"[\s\u3000（）()〔〕\[\]【】:：,，.。、\-—]+")
_UNDER_TITLE_LINES = 4
BODY_IMAGE_MAX_TEXT = 100
"""A body with fewer characters than this (whitespace aside) that holds images is read from the images."""
MAX_BODY_IMAGES = 20
MIN_SCAN_SIDE = 200
_NOT_A_SCAN = re.compile(r"logo|icon|banner|qrcode|erweima|share|button|btn|blank\.gif|spacer", re.IGNORECASE)
_DETAIL_CONTENT_KEYS = ("content", "contenthtml", "html", "body")


class ExtractionHints(BaseModel):
    """What a site adapter may override; everything is optional.

    Selectors are CSS. `metadata_selector` names the block holding the page's own metadata: printed
    label/value pairs found inside it win over pairs elsewhere. `drop_selectors` are removed before
    anything is read. `default_year` completes dates printed without a year (`(01-25)` in lists).
    """

    title_selector: str | None = None
    body_selector: str | None = None
    metadata_selector: str | None = None
    drop_selectors: list[str] = Field(default_factory=list)
    default_year: int | None = None
    site_names: list[str] = Field(
        default_factory=list,
        description="the site's and its department's names: a part of <title> equal to one is not the title",
    )


class ExtractedPage(BaseModel):
    title: str | None = None
    doc_number_raw: str | None = None
    doc_number: str | None = None
    index_number: str | None = None
    issuer: str | None = None
    topic: str | None = None
    written_date: date | None = None
    published_date: date | None = None
    validity: str | None = None
    keywords: list[str] = Field(default_factory=list)
    body_text: str = ""
    attachments: list[AttachmentLink] = Field(default_factory=list)
    body_images: list[str] = Field(
        default_factory=list, description="absolute URLs of images that carry the body (a scanned page)"
    )
    cites: list[str] = Field(default_factory=list)
    labels: dict[str, str] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------------
# selectors


@lru_cache(maxsize=256)
def _css_to_xpath(selector: str) -> etree.XPath:
    """A CSS selector as a compiled XPath (compiled once per process, not once per page and selector)."""
    return etree.XPath(HTMLTranslator().css_to_xpath(selector))


def _select(root: HtmlElement, selector: str | None, warnings: list[str]) -> list[HtmlElement]:
    if not selector:
        return []
    try:
        found = _css_to_xpath(selector)(root)
    except Exception as error:  # cssselect and lxml raise several unrelated types for bad selectors
        warnings.append(f"bad selector {selector!r}: {error}")
        return []
    return [element for element in found if isinstance(element, HtmlElement)]


# ---------------------------------------------------------------------------------------------------
# the page


class _Page:
    """Everything read from the tree once, shared by the field resolvers."""

    def __init__(self, root: HtmlElement, url: str, hints: ExtractionHints) -> None:
        self.root = root
        self.hints = hints
        self.warnings: list[str] = []
        self.base_url = self._base_url(url)
        self.scripts = self._take_scripts()
        for selector in hints.drop_selectors:
            for element in _select(root, selector, self.warnings):
                if element.getparent() is not None:
                    element.drop_tree()
        self.detail = self._detail()
        self.scan = scan_tree(root)
        self.pairs = collect_pairs(self.scan, self.scripts) + self._detail_pairs()
        self.container = self._container()
        self.metadata_region = next(iter(_select(root, hints.metadata_selector, self.warnings)), None)

    def _base_url(self, url: str) -> str:
        base = next(self.root.iter("base"), None)
        href = base.get("href") if base is not None else None
        if href:
            try:
                return urljoin(url, href.strip())
            except ValueError:
                return url
        return url

    def _take_scripts(self) -> list[str]:
        scripts: list[str] = []
        for element in list(self.root.iter("script", "style", "noscript", "template")):
            if element.tag == "script" and element.text:
                scripts.append(element.text)
            if element.getparent() is not None:
                element.drop_tree()  # keeps the tail text
        return scripts

    def _detail(self) -> dict[str, Any] | None:
        for script in self.scripts:
            if "DETAIL" in script:
                payload = detail_payload(script)
                if payload is not None:
                    return payload
        return None

    def _detail_pairs(self) -> list[LabelPair]:
        if not self.detail:
            return []
        pairs: list[LabelPair] = []
        for key, value in self.detail.items():
            meaning = key_label(key)
            if meaning is None or not isinstance(value, str | int | float) or isinstance(value, bool):
                continue
            pairs.append(
                LabelPair(key, squash(str(value)), meaning, Origin.script, None, 10_000 + len(pairs))
            )
        return pairs

    def _container(self) -> HtmlElement | None:
        hinted = _select(self.root, self.hints.body_selector, self.warnings)
        if hinted:
            return hinted[0]
        found = known_container(self.scan.containers)
        if found is not None:
            return found
        fragment = self._detail_fragment()
        if fragment is not None:
            return fragment
        for _, element in sorted(self.scan.containers, key=lambda pair: pair[0]):
            if any(_may_be_scan(image) for image in element.iter("img")):
                return element  # a known body container holding only a scanned page
        body = self.root.find("body")
        return densest_block(body if body is not None else self.root)

    def _detail_fragment(self) -> HtmlElement | None:
        if not self.detail:
            return None
        for key, value in self.detail.items():
            if key.lower() in _DETAIL_CONTENT_KEYS and isinstance(value, str) and value.strip():
                fragment = parse_fragment(value)
                body = fragment.find("body") if fragment is not None else None
                return body[0] if body is not None and len(body) else None
        return None

    # -- candidates ----------------------------------------------------------------------------------

    def inside_container(self, element: HtmlElement | None) -> bool:
        if element is None or self.container is None:
            return False
        return element is self.container or any(a is self.container for a in element.iterancestors())

    def _outside_region(self, pair: LabelPair) -> bool:
        if self.metadata_region is None or pair.origin is not Origin.printed or pair.element is None:
            return False
        element = pair.element
        return not (
            element is self.metadata_region or any(a is self.metadata_region for a in element.iterancestors())
        )

    def candidates(self, field: MetaField) -> list[LabelPair]:
        pairs = [p for p in self.pairs if p.meaning is not None and p.meaning.field is field]
        return sorted(
            pairs,
            key=lambda p: (
                self._outside_region(p),
                self.inside_container(p.element),
                p.meaning.priority if p.meaning else 0,
                p.origin,
                p.order,
            ),
        )

    def first_parsed(
        self, field: MetaField, parse: Callable[[str], _T | None]
    ) -> tuple[_T | None, str | None]:
        """(parsed value, raw value) of the best candidate that parses; (None, first raw) otherwise."""
        first_raw: str | None = None
        for pair in self.candidates(field):
            if pair.value.strip().lower() in _PLACEHOLDERS:
                continue
            first_raw = first_raw or pair.value
            parsed = parse(pair.value)
            if parsed is not None:
                return parsed, pair.value
        return None, first_raw


# ---------------------------------------------------------------------------------------------------
# field helpers


def _as_text(value: str) -> str | None:
    cleaned = squash(value)
    return cleaned or None


def _index_number(value: str) -> str | None:
    cleaned = "".join(value.split()).replace("\u200b", "")
    return cleaned or None


def _keywords(value: str) -> list[str] | None:
    words = [word for word in _KEYWORD_SEPARATORS.split(value) if word]
    return list(dict.fromkeys(words)) or None


def _canonical_number(value: str) -> str | None:
    return parse_doc_number(value).canonical


def _is_bare_number(line: str) -> str | None:
    """The canonical number when a line is nothing but one document number (the line under a title)."""
    if len(line) > 60:
        return None
    cited = extract_doc_numbers(line)
    if len(cited) != 1:
        return None
    rest = line[: cited[0].start] + line[cited[0].start + len(cited[0].raw) :]
    return cited[0].canonical if not _NUMBER_DEBRIS.sub("", rest) else None


def _lines_after(element: HtmlElement, limit: int) -> Iterable[str]:
    """Short text lines of the siblings following an element (and of its parent's following siblings)."""
    seen = 0
    current: HtmlElement | None = element
    for _ in range(2):
        if current is None:
            return
        sibling = current.getnext()
        while sibling is not None and seen < limit:
            if isinstance(sibling.tag, str):
                text = inline_text(sibling)
                if text:
                    seen += 1
                    yield text
            sibling = sibling.getnext()
        current = current.getparent()


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


# ---------------------------------------------------------------------------------------------------
# extraction


def extract_page(html: str, url: str, *, hints: ExtractionHints | None = None) -> ExtractedPage:
    """Extract every field of a detail page. Never raises: problems end up in `warnings`."""
    hints = hints or ExtractionHints()
    try:
        root = parse_html(html)
        if root is None:
            return ExtractedPage(warnings=["empty document", "no title", "no body"])
        return _extract(_Page(root, url, hints))
    except Exception as error:  # a crawler must survive any page; the failure is recorded, not hidden
        return ExtractedPage(warnings=[f"extraction failed: {type(error).__name__}: {error}"])


def _extract(page: _Page) -> ExtractedPage:
    warnings = page.warnings
    default_year = page.hints.default_year

    def read_date(value: str) -> date | None:
        return parse_date(value, default_year=default_year)

    title, title_element = _resolve_title(page)
    doc_number, doc_number_raw = page.first_parsed(MetaField.doc_number, _canonical_number)
    if doc_number is None and doc_number_raw is None:
        doc_number, doc_number_raw = _number_near_title(page, title, title_element)
    elif doc_number is None:
        warnings.append(f"unparsed doc number: {doc_number_raw}")
    if doc_number_raw is not None:
        doc_number_raw = squash(doc_number_raw)

    written_date, written_raw = page.first_parsed(MetaField.written_date, read_date)
    published_date, published_raw = page.first_parsed(MetaField.published_date, read_date)
    for name, parsed, raw in (
        ("written", written_date, written_raw),
        ("published", published_date, published_raw),
    ):
        if parsed is None and raw is not None:
            warnings.append(f"unparsed {name} date: {raw}")

    body_text = _body_text(page, title_element)
    if not title:
        warnings.append("no title")
    if not body_text:
        warnings.append("no body")

    cites = _unique(
        cited.canonical
        for cited in extract_doc_numbers(body_text, exclude=doc_number)
        if cited.canonical != doc_number
    )
    return ExtractedPage(
        title=title,
        doc_number_raw=doc_number_raw,
        doc_number=doc_number,
        index_number=page.first_parsed(MetaField.index_number, _index_number)[0],
        issuer=page.first_parsed(MetaField.issuer, clean_issuer)[0],
        topic=page.first_parsed(MetaField.topic, _as_text)[0],
        written_date=written_date,
        published_date=published_date,
        validity=page.first_parsed(MetaField.validity, _as_text)[0],
        keywords=page.first_parsed(MetaField.keywords, _keywords)[0] or [],
        body_text=body_text,
        attachments=_attachments(page),
        body_images=_body_images(page, body_text),
        cites=cites,
        labels=_labels(page.pairs),
        warnings=warnings,
    )


def _resolve_title(page: _Page) -> tuple[str | None, HtmlElement | None]:
    hinted = _select(page.root, page.hints.title_selector, page.warnings)
    if hinted and inline_text(hinted[0]):
        return inline_text(hinted[0]), hinted[0]
    from_label, _ = page.first_parsed(MetaField.title, _as_text)
    heading, element = find_title(page.root, page.scan.headings, page.hints.site_names)
    if from_label:
        # keep the heading element (to find the number under it) when it prints the same title
        same = heading is not None and "".join(heading.split()) == "".join(from_label.split())
        return from_label, element if same else None
    return heading, element


def _number_near_title(
    page: _Page, title: str | None, title_element: HtmlElement | None
) -> tuple[str | None, str | None]:
    lines: list[str] = []
    if title_element is not None:
        lines.extend(_lines_after(title_element, _UNDER_TITLE_LINES))
    if page.container is not None:
        lines.extend(block_lines(page.container)[:_UNDER_TITLE_LINES])
    for line in lines:
        canonical = _is_bare_number(line)
        if canonical:
            return canonical, line
    if title:
        match = _TITLE_NUMBER.search(title)
        if match:
            canonical = parse_doc_number(match.group(1)).canonical
            if canonical:
                return canonical, squash(match.group(1))
    return None, None


def _body_text(page: _Page, title_element: HtmlElement | None) -> str:
    container = page.container
    if container is None:
        return ""
    exclude: set[HtmlElement] = set()
    container_ancestry = {container, *container.iterancestors()}
    if title_element is not None and page.inside_container(title_element) and title_element is not container:
        exclude.add(title_element)
    for pair in page.pairs:
        element = pair.element
        if element is None or element in container_ancestry or pair.meaning is None:
            continue
        if page.inside_container(element):
            exclude.add(element)
    return "\n".join(body_lines(container, exclude))


def _body_images(page: _Page, body_text: str) -> list[str]:
    """Images that are the body of a page whose text body is (nearly) empty: the scan of a notice. Taken from
    the known body containers when they hold images, else from every image outside page furniture; icons,
    logos and images declared small are left out."""
    if len("".join(body_text.split())) >= BODY_IMAGE_MAX_TEXT:
        return []
    containers = [element for _, element in sorted(page.scan.containers, key=lambda pair: pair[0])]
    if page.container is not None:
        containers.insert(0, page.container)
    images: list[HtmlElement] = []
    for container in containers:
        images = [image for image in container.iter("img") if _may_be_scan(image)]
        if images:
            break
    else:
        page_chars = text_chars(page.root)
        images = [
            image
            for image in page.root.iter("img")
            if _may_be_scan(image)
            and not any(is_furniture_element(e, page_chars) for e in image.iterancestors())
        ]
    urls: list[str] = []
    for image in images:
        source = (image.get("data-src") or image.get("src") or "").strip()
        url = urljoin(page.base_url, source)
        if url not in urls and urlsplit(url).scheme in ("http", "https"):
            urls.append(url)
    return urls[:MAX_BODY_IMAGES]


def _may_be_scan(image: HtmlElement) -> bool:
    source = (image.get("data-src") or image.get("src") or "").strip()
    if not source or source.startswith("data:") or _NOT_A_SCAN.search(source):
        return False
    for attribute in ("width", "height"):
        declared = (image.get(attribute) or "").strip().removesuffix("px")
        if declared.isdigit() and int(declared) < MIN_SCAN_SIDE:
            return False
    return True


def _attachments(page: _Page) -> list[AttachmentLink]:
    anchors: list[HtmlElement] = []
    page_chars = text_chars(page.root) if page.scan.file_anchors else 0
    for anchor in page.scan.file_anchors:
        if page.inside_container(anchor) or not any(
            is_furniture_element(e, page_chars) for e in (anchor, *anchor.iterancestors())
        ):
            anchors.append(anchor)
    if page.container is not None and page.container.getroottree().getroot() is not page.root:
        anchors.extend(page.container.iter("a"))  # body parsed from a script payload
    links = attachment_links(anchors, page.base_url)
    if page.detail:
        for key, value in page.detail.items():
            if "attach" in key.lower() and isinstance(value, list):
                known = {link.url for link in links}
                links.extend(
                    link for link in links_from_records(value, page.base_url) if link.url not in known
                )
    return links


def _labels(pairs: list[LabelPair]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for pair in pairs:
        label = pair.label.rstrip(" :：\u3000\u00a0")
        if pair.value and label and label not in labels:
            labels[label] = pair.value
    return labels


# ---------------------------------------------------------------------------------------------------
# records


def content_digest(page: ExtractedPage) -> str:
    """SHA-256 of what a reader sees as the document: title, metadata, body and attachment names.

    Site furniture (点击排行, dates of the crawl, …) is not part of it, so a change there is no change.
    """
    content = {
        "title": page.title,
        "doc_number": page.doc_number,
        "doc_number_raw": page.doc_number_raw,
        "index_number": page.index_number,
        "issuer": page.issuer,
        "topic": page.topic,
        "written_date": page.written_date.isoformat() if page.written_date else None,
        "published_date": page.published_date.isoformat() if page.published_date else None,
        "validity": page.validity,
        "keywords": page.keywords,
        "body_text": page.body_text,
        "attachments": [[link.url, link.name] for link in page.attachments],
    }
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def build_record(
    page: ExtractedPage,
    *,
    url: str,
    site: str,
    column: list[str],
    category: str | None,
    fetched_at: datetime,
    first_seen_at: datetime | None = None,
    version: int = 1,
    content_sha256: str | None = None,
    attachments: list[Attachment] | None = None,
) -> DisclosureRecord:
    """A `DisclosureRecord` from an extracted page; attachments default to the page's links, unfetched."""
    if attachments is None:
        attachments = [Attachment(url=link.url, name=link.name) for link in page.attachments]
    return DisclosureRecord(
        id=record_id(url),
        site=site,
        url=url,
        title=page.title or "",
        doc_number=page.doc_number,
        doc_number_raw=page.doc_number_raw,
        index_number=page.index_number,
        issuer=page.issuer,
        column=list(column),
        category=category,
        topic=page.topic,
        written_date=page.written_date,
        published_date=page.published_date,
        validity=page.validity,
        keywords=list(page.keywords),
        body_text=page.body_text,
        attachments=attachments,
        cites=list(page.cites),
        fetched_at=fetched_at,
        first_seen_at=first_seen_at or fetched_at,
        last_seen_at=fetched_at,
        version=version,
        content_sha256=content_sha256 or content_digest(page),
    )
