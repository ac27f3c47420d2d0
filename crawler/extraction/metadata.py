"""Label/value pairs from everywhere a detail page prints metadata.

Sources, in one walk over the tree: table rows (2 or 4 cells, labels in <b>/<th>, label glued to the
value in one cell), dl/dt/dd, short inline blocks (`<li><label>索 引 号：</label>…</li>`, header lines
`时间:2014-12-19来源:…`), `<meta name=…>` tags and script assignments. Choosing between pairs is the
job of `page.py`; this module only finds them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import IntEnum

from lxml.html import HtmlElement

from crawler.extraction.labels import (
    INLINE_LABEL,
    MAX_LABEL_CHARS,
    Field,
    LabelMeaning,
    key_label,
    normalize_label,
    printed_label,
)
from crawler.extraction.scan import TreeScan
from crawler.extraction.scripts import script_assignments
from crawler.extraction.tree import BLOCK_TAGS, CELL_TAGS, glued_text, squash


class Origin(IntEnum):
    """Where a pair was found; lower values are trusted more when priorities tie."""

    printed = 0
    script = 1
    meta = 2


@dataclass(slots=True)
class LabelPair:
    label: str
    value: str
    meaning: LabelMeaning | None
    origin: Origin
    element: HtmlElement | None  # the row / item / block holding the pair (None for scripts, meta)
    order: int


_INLINE_MAX_CHARS = 400
_CELL_MAX_CHARS = 600
_UNKNOWN_LABEL_MAX_CHARS = 8
_UNKNOWN_GLUED = re.compile(r"^([\u4e00-\u9fff][\u4e00-\u9fff \u3000\u00a0]{1,10})[：:](.{1,200})$")
_UNTRUSTED_SCRIPT_FIELDS = frozenset({Field.title, Field.keywords, Field.summary})


def _looks_like_unknown_label(text: str) -> bool:
    stripped = text.rstrip()
    return stripped.endswith(("：", ":")) and 0 < len(normalize_label(stripped)) <= _UNKNOWN_LABEL_MAX_CHARS


def _label_of(text: str) -> tuple[bool, LabelMeaning | None]:
    """(is a label cell, meaning when known)."""
    meaning = printed_label(text)
    if meaning is not None:
        return True, meaning
    return _looks_like_unknown_label(text), None


def split_inline(text: str) -> list[tuple[str, str, LabelMeaning]]:
    """Split `索引号：A 发布机构：B` into pairs when the text starts with a known label and a colon."""
    text = text.strip()
    matches = list(INLINE_LABEL.finditer(text))
    if not matches or text[: matches[0].start()].strip(" \u3000\u00a0【[("):
        return []
    pairs: list[tuple[str, str, LabelMeaning]] = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        meaning = printed_label(match.group("label"))
        if meaning is not None:
            pairs.append((squash(match.group("label")), squash(text[match.end() : end]), meaning))
    return pairs


class _Collector:
    def __init__(self) -> None:
        self.pairs: list[LabelPair] = []

    def add(
        self,
        label: str,
        value: str,
        meaning: LabelMeaning | None,
        origin: Origin,
        element: HtmlElement | None,
    ) -> None:
        self.pairs.append(LabelPair(label, value, meaning, origin, element, len(self.pairs)))

    def row(self, row: HtmlElement) -> None:
        cells = [cell for cell in row if cell.tag in CELL_TAGS]
        if not cells or any(next(cell.iter("table"), None) is not None for cell in cells):
            return  # nested tables are read row by row on their own
        texts = [squash(glued_text(cell)) for cell in cells]
        index = 0
        while index < len(cells):
            text = texts[index]
            if len(text) > _CELL_MAX_CHARS:
                index += 1
                continue
            is_label, meaning = _label_of(text)
            if is_label and index + 1 < len(cells):
                value = texts[index + 1]
                if _label_of(value)[0]:
                    index += 1  # a header row of a listing (文件名称 | 文号 | …), not label/value
                    continue
                self.add(text, value, meaning, Origin.printed, row)
                index += 2
                continue
            inline = split_inline(text)
            for label, value, inline_meaning in inline:
                self.add(label, value, inline_meaning, Origin.printed, row)
            unknown = None if inline else _UNKNOWN_GLUED.match(text)
            if unknown:
                self.add(unknown.group(1).strip(), unknown.group(2).strip(), None, Origin.printed, row)
            index += 1

    def definition(self, term: HtmlElement) -> None:
        sibling = term.getnext()
        if sibling is None or sibling.tag != "dd":
            text = squash(glued_text(term))
            for label, value, meaning in split_inline(text):
                self.add(label, value, meaning, Origin.printed, term)
            return
        label = squash(glued_text(term))
        is_label, meaning = _label_of(label)
        if is_label:
            self.add(label, squash(glued_text(sibling)), meaning, Origin.printed, term.getparent())

    def inline_block(self, element: HtmlElement) -> None:
        if any(
            isinstance(child.tag, str) and child.tag in BLOCK_TAGS and child.tag != "br" for child in element
        ):
            return
        text = glued_text(element)
        if len(text) > _INLINE_MAX_CHARS or not text.strip():
            return
        pairs = split_inline(text)
        if pairs:
            for label, value, meaning in pairs:
                self.add(label, value, meaning, Origin.printed, element)
            return
        # <li><span>索引号</span><span>000014349/2018-00222</span></li>: label in the first child
        first = element[0] if len(element) else None
        if first is not None and not (element.text or "").strip():
            label = squash(glued_text(first))
            meaning = printed_label(label) if len(normalize_label(label)) <= MAX_LABEL_CHARS else None
            if meaning is not None:
                rest = squash(text[len(glued_text(first)) :].lstrip())
                if rest:
                    self.add(label, rest, meaning, Origin.printed, element)

    def meta_tag(self, element: HtmlElement) -> None:
        name = element.get("name") or element.get("property")
        content = element.get("content")
        if not name or content is None:
            return
        meaning = key_label(name)
        if meaning is not None:
            self.add(name, squash(content), meaning, Origin.meta, None)

    def script(self, script: str) -> None:
        for key, value in script_assignments(script):
            meaning = key_label(key)
            # a bare `title`/`keywords` variable in some widget script says nothing about the document
            if meaning is not None and meaning.field not in _UNTRUSTED_SCRIPT_FIELDS:
                # document.write() output is HTML: entities (&#8203;, &amp;) are decoded by the browser
                self.add(key, squash(html.unescape(value)), meaning, Origin.script, None)


def collect_pairs(scan: TreeScan, scripts: list[str]) -> list[LabelPair]:
    """Every label/value pair on the page: meta tags, scripts, then the tree in document order."""
    collector = _Collector()
    for element in scan.metas:
        collector.meta_tag(element)
    for script in scripts:
        collector.script(script)
    for element in scan.metadata_blocks():
        if element.tag == "tr":
            collector.row(element)
        elif element.tag == "dt":
            collector.definition(element)
        else:
            collector.inline_block(element)
    return collector.pairs
