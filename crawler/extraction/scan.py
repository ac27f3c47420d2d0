"""One walk over the parsed tree that collects everything the extractors look at.

libxml2 XPath with several predicates visits every node slowly, and separate Python walks multiply the
cost of creating element proxies; pages padded to megabytes of furniture made both visible. So the tree
is walked once here, with cheap checks per element, and the extractors work on the short lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from crawler.extraction.body import container_rank
from crawler.extraction.labels import PRINTED_LABELS

INLINE_CANDIDATE_TAGS = frozenset({"li", "p", "div", "span", "label", "font", "dd", "h2", "h3", "h4", "h5", "b", "strong", "th", "td"})  # fmt: skip
_HEADING_TAGS = frozenset({"h1", "h2", "h3"})
_LABEL_FIRST_CHARS = frozenset(label[0] for label in PRINTED_LABELS)
_ATTACHMENT_HINT = re.compile(
    r"\.(?:pdf|docx?|xlsx?|wps|et|zip|rar|7z|ofd|pptx?|txt|csv|dps|tiff?|jpe?g|png|gif|bmp)\b|downfile|download|/attachment/|showname",
    re.IGNORECASE,
)
_ANCESTOR_LEVELS = 3
# Subtrees never worth reading: site navigation, footers, ranking/recommendation/related lists, share bars.
# Kept narrower than body furniture (no `header`, `form`, `top`): ASP.NET pages wrap everything in a form
# and HTML5 article headers hold the title and metadata.
_SKIPPED_TAGS = frozenset({"nav", "footer", "aside", "select", "iframe", "svg", "map", "object"})
_SKIPPED_NAME = re.compile(
    r"nav(?=$|[-_\d\s]|bar|igation|list|item|box|s\b)|menu(?=$|[-_\d\s]|bar|list|item|box|s\b)|"
    r"breadcrumb|crumb|share|footer|copyright|sidebar|rank|tuijian|recommend|related|xglj|xgwz|dqwz|"
    r"friendlink|friend-link|youqing",
    re.IGNORECASE,
)  # <li><label><font>索 引 号：</font></label>…: the pair lives three levels up


def _holds_most_text(element: HtmlElement, root: HtmlElement, page_chars: list[int]) -> bool:
    """A block named like navigation that holds most of the page's text is a main wrapper (a random template
    may call it `navo`): read it."""
    if not page_chars:
        page_chars.append(len("".join("".join(root.itertext()).split())))
    return len("".join("".join(element.itertext()).split())) * 2 > page_chars[0]


@dataclass(slots=True)
class TreeScan:
    rows: list[HtmlElement] = field(default_factory=list)  # <tr>
    terms: list[HtmlElement] = field(default_factory=list)  # <dt>
    inline_blocks: list[HtmlElement] = field(default_factory=list)  # may hold "label：value", doc order
    containers: list[tuple[int, HtmlElement]] = field(default_factory=list)  # known body containers
    headings: list[HtmlElement] = field(default_factory=list)  # h1-h3 and class/id "…tit…"
    file_anchors: list[HtmlElement] = field(default_factory=list)  # <a> whose href may be a file
    metas: list[HtmlElement] = field(default_factory=list)
    positions: dict[HtmlElement, int] = field(default_factory=dict)  # of rows, terms and inline blocks

    def metadata_blocks(self) -> list[HtmlElement]:
        """Rows, terms and inline blocks merged in document order."""
        return sorted([*self.rows, *self.terms, *self.inline_blocks], key=lambda e: self.positions.get(e, 0))


def _triggers_label(text: str | None) -> bool:
    if not text:
        return False
    if "：" in text or ":" in text:
        return True
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in _LABEL_FIRST_CHARS


def scan_tree(root: HtmlElement) -> TreeScan:
    scan = TreeScan()
    positions = scan.positions
    page_chars: list[int] = []  # the page's text length, measured once if ever needed
    inline_hits: set[HtmlElement] = set()
    position = 0
    stack: list[HtmlElement] = [root]
    while stack:
        element = stack.pop()
        position += 1
        tag = element.tag
        if not isinstance(tag, str):
            continue
        element_id = element.get("id")
        element_class = element.get("class")
        descend = tag not in _SKIPPED_TAGS and not (
            _skipped_by_name(element_id, element_class) and not _holds_most_text(element, root, page_chars)
        )
        if descend and len(element):
            stack.extend(reversed(element))
        if tag == "tr":
            scan.rows.append(element)
            positions[element] = position
        elif tag == "dt":
            scan.terms.append(element)
            positions[element] = position
        elif tag == "a":
            href = element.get("href")
            if href and _ATTACHMENT_HINT.search(href):
                scan.file_anchors.append(element)
        elif tag == "meta":
            scan.metas.append(element)
        if tag in INLINE_CANDIDATE_TAGS:
            positions[element] = position
        if _triggers_label(element.text) or _triggers_label(element.tail):
            # the pair is read from the nearest few block ancestors (the tail belongs to the parent)
            current: HtmlElement | None = element if _triggers_label(element.text) else element.getparent()
            for _ in range(_ANCESTOR_LEVELS):
                if current is None:
                    break
                if current.tag in INLINE_CANDIDATE_TAGS and current.tag not in {"th", "td"}:
                    inline_hits.add(current)
                current = current.getparent()
        if not descend:
            continue
        if element_id is None and element_class is None:
            if tag in _HEADING_TAGS:
                scan.headings.append(element)
            continue
        rank = container_rank(element)
        if rank is not None:
            scan.containers.append((rank, element))
        if tag in _HEADING_TAGS or _looks_like_title_holder(element_id, element_class):
            scan.headings.append(element)
    scan.inline_blocks = list(inline_hits)
    return scan


def _skipped_by_name(element_id: str | None, element_class: str | None) -> bool:
    if element_id is None and element_class is None:
        return False
    return bool(_SKIPPED_NAME.search(f"{element_class or ''} {element_id or ''}"))


def _looks_like_title_holder(element_id: str | None, element_class: str | None) -> bool:
    value = f"{element_class or ''} {element_id or ''}".lower()
    return "tit" in value or " bt " in f" {value} "
