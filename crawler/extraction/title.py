"""The document title when no metadata label names it: the main heading, else <title> minus the site."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml.html import HtmlElement

from crawler.extraction.body import is_furniture_element, text_chars
from crawler.extraction.tree import class_tokens, inline_text

_TITLE_TOKENS = frozenset(
    {"title", "article-title", "articletitle", "art_title", "arttitle", "tit", "bt", "news_title",
     "detail-title", "detail_title", "xxgk_title", "content-title", "content_title", "sub_title", "h-title"}
)  # fmt: skip
_TITLE_TOKEN_PART = re.compile(r"title|tit$|^tit")
_HEADING_TAGS = ("h1", "h2", "h3")
_SITE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|——|—|－|\s-\s|--)\s*")
# any separator between a site name and a title, on either side (济南市住建局-关于…的通知)
_ANY_SEPARATOR = re.compile(r"\s*(?:_|\||｜|——|—|－|-)\s*")
_NOT_TITLE_TAGS = frozenset({"script", "style", "title", "a", "option", "head", "meta", "link"})
_MIN_TITLE_CHARS = 4
_MAX_TITLE_CHARS = 300


def title_tag_head(root: HtmlElement) -> str | None:
    """The <title> text before the first site-name separator (关于…的通知_济南市人民政府 → 关于…的通知)."""
    element = next(root.iter("title"), None)
    if element is None:
        return None
    text = inline_text(element)
    if not text:
        return None
    head = _SITE_SEPARATOR.split(text, maxsplit=1)[0].strip()
    return head or text


def _in_furniture(element: HtmlElement) -> bool:
    body = next(element.iterancestors("body"), None)
    page_chars = text_chars(body) if body is not None else None
    return any(is_furniture_element(e, page_chars) for e in (element, *element.iterancestors()))


def heading_candidates(elements: list[HtmlElement]) -> list[HtmlElement]:
    """Title-like elements in document order: h1-h3 and elements whose class/id says title."""
    candidates: list[HtmlElement] = []
    for element in elements:
        is_heading = element.tag in _HEADING_TAGS
        if not is_heading:
            tokens = [token.lower() for token in class_tokens(element)]
            element_id = element.get("id")
            if element_id:
                tokens.append(element_id.lower())
            is_heading = any(token in _TITLE_TOKENS or _TITLE_TOKEN_PART.search(token) for token in tokens)
        if is_heading and _MIN_TITLE_CHARS <= len(inline_text(element)) <= _MAX_TITLE_CHARS:
            candidates.append(element)
    return candidates


def _compact(text: str) -> str:
    return "".join(text.split())


def find_title(
    root: HtmlElement, headings: list[HtmlElement], site_names: Sequence[str] = ()
) -> tuple[str | None, HtmlElement | None]:
    """(title, the element printing it) from headings and <title>; the element is None for <title>."""
    head = title_tag_head(root)
    candidates = [element for element in heading_candidates(headings) if not _in_furniture(element)]
    if head:
        compact_head = _compact(head)
        for element in candidates:
            text = _compact(inline_text(element))
            if text == compact_head or (len(text) >= 6 and (text in compact_head or compact_head in text)):
                return inline_text(element), element
    by_rank = sorted(candidates, key=lambda e: _HEADING_TAGS.index(e.tag) if e.tag in _HEADING_TAGS else 1)
    for element in by_rank:
        if element.tag == "h1" or element.tag not in _HEADING_TAGS:
            return inline_text(element), element
    printed = _title_part_printed(root, {_compact(name) for name in site_names if name})
    if printed is not None:
        return printed
    if head and len(head) >= _MIN_TITLE_CHARS:
        return head, None
    if by_rank:
        return inline_text(by_rank[0]), by_rank[0]
    return head, None


def _title_part_printed(root: HtmlElement, site_names: set[str]) -> tuple[str, HtmlElement] | None:
    """The part of <title> before or after a separator (whichever side the site name is on; a title may hold a
    separator itself, 2026-2030年规划) that an element of the page prints as its whole text: the title, when no
    heading or title-named element holds it. A part that is the site's own name (a page header prints it too)
    is never the title."""
    element = next(root.iter("title"), None)
    text = inline_text(element) if element is not None else ""
    parts = [text.strip()]
    for separator in _ANY_SEPARATOR.finditer(text):
        parts += [text[: separator.start()].strip(), text[separator.end() :].strip()]
    wanted = {_compact(part): part for part in parts if len(part) >= _MIN_TITLE_CHARS}
    if len(wanted) < 2:
        return None
    wanted = {key: part for key, part in wanted.items() if key not in site_names}
    if not wanted:
        return None
    starts = {key[:2] for key in wanted}
    body = next(root.iter("body"), root)
    for candidate in body.iter():
        if not isinstance(candidate.tag, str) or candidate.tag in _NOT_TITLE_TAGS:
            continue
        own = _compact(candidate.text or "")
        if not own or own[:2] not in starts:  # cheap filter before reading the element's whole text
            continue
        key = _compact(inline_text(candidate))
        if key in wanted and not _in_furniture(candidate):
            return inline_text(candidate), candidate
    return None
