"""Document lists in any container: an item is a link plus a date, wherever the date sits (its own cell or span,
plain text after the link, `(MM-DD)`, 2026年11月20日), in `ul`/`ol` items, table rows, `div`/`p` rows,
`dt`+`dd` pairs, or in a JSON array a script turns into the list. A page usually carries several dated lists;
`choose_list` keeps the column's own one and says why the others were rejected (site furniture such as 热点信息
or 点击排行, or a list repeated on other columns' pages)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from crawler.discovery.dates import find_date, full_date
from crawler.discovery.page import (
    CJK,
    NAVIGATION_WORDS,
    URLISH,
    compact,
    depth,
    is_element,
    json_arrays,
    resolve,
    text_of,
)

MAX_LINKS_PER_ITEM = 3
MIN_TITLE_CHARS = 4
FURNITURE_WORDS = ("热点", "热门", "排行", "推荐", "相关", "最新", "友情链接", "便民", "图片", "视频", "常用",
                   "阅读", "专题", "猜你", "浏览")  # fmt: skip
EMPTY_MARKERS = ("暂无数据", "暂无信息", "暂无内容", "暂无记录", "没有记录", "没有数据", "没有信息", "无记录",
                 "无数据", "共0条", "共 0 条", "0条记录")  # fmt: skip
_SKIPPED_TAGS = frozenset(
    {"script", "style", "head", "noscript", "select", "option", "br", "hr", "img", "input"}
)
_CUT = ("...", "…", "..")


@dataclass(frozen=True)
class FoundItem:
    url: str
    title: str  # "" when the list cuts the title and does not say it whole
    day: date | None


@dataclass
class CandidateList:
    items: list[FoundItem]
    source: str  # tag of the container, or "script"
    heading: str
    position: int  # document order of the container
    element: Any = field(repr=False)
    rejected: str | None = None
    urls: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        self.urls = frozenset(item.url for item in self.items)

    def describe(self) -> str:
        head = f" under {self.heading!r}" if self.heading else ""
        return f"{self.source} list of {len(self.items)} dated links{head}"


def _rows(container: Any) -> list[list[Any]]:
    """The container's rows: its child elements, `dt` grouped with the `dd`s after it, table rows."""
    tag = container.tag
    if tag == "table":
        return [[row] for row in container.xpath("./tr|./tbody/tr|./thead/tr|./tfoot/tr")]
    rows: list[list[Any]] = []
    for child in container:
        if not is_element(child) or child.tag in _SKIPPED_TAGS:
            continue
        if child.tag == "dd" and rows and rows[-1][0].tag == "dt":
            rows[-1].append(child)
        else:
            rows.append([child])
    return rows


def _title_and_cut(anchor: Any) -> tuple[str, bool]:
    text = text_of(anchor)
    title = compact(anchor.get("title") or "")
    if title and (not text or text.endswith(_CUT) or len(title) > len(text)):
        return title, False
    return text, text.endswith(_CUT)


def _row_item(row: list[Any], page_url: str, netloc: str, today: date) -> FoundItem | None:
    anchors = [a for element in row for a in element.iter("a")]
    links = []
    for anchor in anchors:
        url = resolve(anchor.get("href"), page_url)
        if url is None or urlsplit(url).netloc != netloc:
            continue
        title, cut = _title_and_cut(anchor)
        if title in NAVIGATION_WORDS:
            continue
        links.append((len(title), anchor, url, title, cut))
    if not links or len(links) > MAX_LINKS_PER_ITEM:
        return None
    _length, primary, url, title, cut = max(links, key=lambda link: link[0])
    if len(title.replace(" ", "")) < MIN_TITLE_CHARS:
        return None
    whole = " ".join(text_of(element) for element in row)
    outside = whole.replace(text_of(primary), " ", 1)
    day = find_date(outside, today) or full_date(text_of(primary))
    if day is None:
        return None
    return FoundItem(url=url, title="" if cut else title, day=day)


def heading_of(element: Any, levels: int = 3) -> str:
    """Short text just before a container: a preceding sibling's text (the list's own heading), looked for on
    the container and up to `levels` ancestors."""
    node = element
    for _ in range(levels):
        if node is None:
            break
        for sibling in node.itersiblings(preceding=True):
            if not is_element(sibling) or sibling.tag in _SKIPPED_TAGS:
                continue
            text = text_of(sibling)
            if not text:
                continue
            return text if len(text) <= 30 else ""
        node = node.getparent()
    return ""


def dom_lists(root: Any, page_url: str, netloc: str, today: date) -> list[CandidateList]:
    found: list[CandidateList] = []
    for position, container in enumerate(root.iter()):
        if not is_element(container) or container.tag in _SKIPPED_TAGS or container.tag in ("tbody", "thead"):
            continue
        if len(container) == 0:
            continue
        items: list[FoundItem] = []
        linked_rows = 0
        for row in _rows(container):
            if not any(True for element in row for _ in element.iter("a")):
                continue
            linked_rows += 1
            item = _row_item(row, page_url, netloc, today)
            if item is not None:
                items.append(item)
        if items and len(items) * 2 >= linked_rows:
            found.append(CandidateList(items, container.tag, heading_of(container), position, container))
    return _without_overlaps(found)


def _without_overlaps(candidates: list[CandidateList]) -> list[CandidateList]:
    """One candidate per nest of containers sharing links (a list and the block around it): the one with most
    items, the innermost on a tie. Separate blocks may share links (热点 lists repeat the newest documents)."""
    kept: list[CandidateList] = []
    ranked = sorted(candidates, key=lambda c: (-len(c.items), -depth(c.element), c.position))
    for candidate in ranked:
        if any(candidate.urls & other.urls and _nested(candidate.element, other.element) for other in kept):
            continue
        kept.append(candidate)
    return sorted(kept, key=lambda c: c.position)


def _nested(one: Any, other: Any) -> bool:
    return any(a is other for a in one.iterancestors()) or any(a is one for a in other.iterancestors())


def _script_item(record: dict[str, Any], page_url: str, netloc: str, today: date) -> FoundItem | None:
    url = title = None
    day = None
    for value in record.values():
        if not isinstance(value, str):
            continue
        value = value.strip()
        if day is None and len(value) <= 20 and (found := find_date(value, today)) is not None:
            day = found
        elif url is None and URLISH.search(value) and not CJK.search(value):
            url = resolve(value, page_url)
        elif CJK.search(value) and (title is None or len(value) > len(title)):
            title = value
    if url is None or urlsplit(url).netloc != netloc or day is None or not title:
        return None
    return FoundItem(url=url, title=title, day=day)


def script_lists(root: Any, page_url: str, netloc: str, today: date) -> list[CandidateList]:
    """Lists a script holds as JSON (`var data = [{"title": …, "url": …, "date": …}, …]`)."""
    found: list[CandidateList] = []
    for position, script in enumerate(root.iter("script")):
        if not script.text or "[" not in script.text:
            continue
        for array in json_arrays(script.text):
            items = [
                item
                for record in array
                if isinstance(record, dict) and (item := _script_item(record, page_url, netloc, today))
            ]
            if items:
                found.append(CandidateList(items, "script", heading_of(script), -1 - position, script))
    return found


def candidate_lists(root: Any, page_url: str, netloc: str, today: date) -> list[CandidateList]:
    """Every dated list of the page, in document order (script lists last)."""
    return dom_lists(root, page_url, netloc, today) + script_lists(root, page_url, netloc, today)


def is_furniture_heading(heading: str, column_name: str) -> bool:
    name = compact(column_name).replace(" ", "")
    text = heading.replace(" ", "")
    if name and name in text:
        return False
    return any(word in text for word in FURNITURE_WORDS)


def choose_list(
    candidates: list[CandidateList], column_name: str, repeated: Callable[[frozenset[str]], bool]
) -> CandidateList | None:
    """The column's own list among the page's dated lists; the others get a `rejected` reason. A list under a
    furniture heading, or with the same links as a list on another column's page, is site furniture."""
    name = compact(column_name).replace(" ", "")
    kept: list[CandidateList] = []
    for candidate in candidates:
        if name and name in candidate.heading.replace(" ", ""):
            kept.append(candidate)  # under the column's own name: its list, whatever else repeats it
        elif is_furniture_heading(candidate.heading, column_name):
            candidate.rejected = f"furniture heading {candidate.heading!r}"
        elif len(candidate.urls) >= 2 and repeated(candidate.urls):
            candidate.rejected = "the same links are listed on another column's page"
        else:
            kept.append(candidate)
    if not kept:
        return None
    named = [c for c in kept if name and name in c.heading.replace(" ", "")]
    best = max(named or kept, key=lambda c: len(c.items))
    for candidate in kept:
        if candidate is not best:
            candidate.rejected = f"smaller than the {best.describe()}"
    return best


def empty_marker(root: Any) -> str | None:
    """The "nothing published yet" text a blank column shows (暂无数据, 共0条, …), if the page has one."""
    text = text_of(root.find("body") if root.find("body") is not None else root).replace(" ", "")
    return next((marker for marker in EMPTY_MARKERS if marker.replace(" ", "") in text), None)
