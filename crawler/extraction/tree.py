"""Parse a page once and read text out of the lxml tree."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True)
# C0 controls other than tab/newline/CR, lone surrogates and U+FFFE/FFFF break libxml2 or make no text.
_UNPARSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "ul", "body", "html",
    }
)  # fmt: skip
CELL_TAGS = frozenset({"td", "th"})
_INLINE_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f]+")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")


def parse_html(html: str) -> HtmlElement | None:
    """The document root, or None when there is nothing to parse. Never raises on broken markup."""
    cleaned = _UNPARSABLE.sub("", _XML_DECLARATION.sub("", html, count=1))
    if not cleaned.strip():
        return None
    try:
        root = lxml.html.document_fromstring(cleaned, parser=_PARSER)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return None
    return root if isinstance(root, HtmlElement) else None


def parse_fragment(html: str) -> HtmlElement | None:
    """Parse an HTML fragment (e.g. a body held in a script) wrapped in one <div>."""
    return parse_html(f"<html><body><div>{html}</div></body></html>")


def squash(text: str) -> str:
    """Collapse runs of inline whitespace (NBSP included; U+3000 kept) into one space, strip the ends."""
    return _INLINE_SPACE.sub(" ", _ZERO_WIDTH.sub("", text)).strip()


def inline_text(element: HtmlElement) -> str:
    """All text below an element on one line."""
    return squash(" ".join(element.itertext()) if len(element) else (element.text or ""))


def glued_text(element: HtmlElement) -> str:
    """All text below an element, text nodes joined without separators (labels split per character)."""
    return "".join(element.itertext())


def block_lines(element: HtmlElement, skip: set[HtmlElement] | None = None) -> list[str]:
    """Text of an element as lines: a line break at every block element, cells of a row on one line."""
    parts: list[str] = []
    _walk(element, parts, skip or set())
    lines = (squash(line).strip(" \u3000") for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def _walk(element: HtmlElement, parts: list[str], skip: set[HtmlElement]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if element in skip:
        parts.append("\n")
        return
    block = tag in BLOCK_TAGS
    if block and tag not in CELL_TAGS:
        parts.append("\n")
    if element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts, skip)
        if child.tail:
            parts.append(child.tail)
    if tag in CELL_TAGS:
        parts.append(" ")
    elif block:
        parts.append("\n")


def class_tokens(element: HtmlElement) -> list[str]:
    value = element.get("class")
    return value.split() if value else []
