"""Platform adapters: everything one publishing platform (gov.cn, TRS, Hanweb, gkmlpt, ...) shares.

An adapter knows how to find a site's column tree (blank columns included), how to walk a column's list pages,
what each list item says (URL, title, date: the list-level signals of incremental runs) and how detail pages
are laid out (extraction hints). The spider drives it; an adapter never touches the catalogue or the archive.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urljoin

from scrapy import FormRequest, Request
from scrapy.http import Response

from crawler.sites import HintsConfig, SiteConfig

if TYPE_CHECKING:
    from crawler.spiders.disclosure import DisclosureSpider

FURNITURE_SELECTORS = [
    "div.side-box",
    "div.share-bar",
    "div.footer",
    "div.related-links",
    "ul.related-more",
]
"""Site furniture blocks (点击排行, share bars, footers, related links) that platform templates share."""

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def parse_list_date(text: str | None) -> date | None:
    """The first yyyy-mm-dd-like date in a list item's text, or None."""
    if not text:
        return None
    match = _DATE.search(text)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def column_id(site_id: str, path: list[str]) -> str:
    return hashlib.sha256(f"{site_id}|{'/'.join(path)}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ColumnRef:
    """A column found in the tree. `listable` is false for parents that only link to children."""

    id: str
    name: str
    path: tuple[str, ...]
    url: str | None
    listable: bool = True
    params: tuple[tuple[str, str], ...] = ()  # platform data a list request needs (e.g. Hanweb column id)

    def param(self, key: str, default: str = "") -> str:
        return dict(self.params).get(key, default)


@dataclass(frozen=True)
class ListEntry:
    url: str
    title: str = ""
    day: date | None = None

    @property
    def signal(self) -> str | None:
        """What the list says about the document; unchanged signal = unchanged document."""
        if not self.title and self.day is None:
            return None
        return f"{self.title.strip()}|{self.day.isoformat() if self.day else ''}"


@dataclass
class TreeResult:
    columns: list[ColumnRef] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)


@dataclass
class ListResult:
    """One list page. A column page that turns out to be a parent yields `children` instead of entries."""

    entries: list[ListEntry] = field(default_factory=list)
    next_page: int | None = None
    next_url: str | None = None
    total_items: int | None = None
    children: list[ColumnRef] | None = None


class PlatformAdapter:
    """Defaults shared by all platforms; subclasses override what their platform does differently.

    One instance serves one site for one run (so it may keep per-run state, e.g. a session id read from the
    tree page). The spider calls, in this order: `tree_requests()` once; `parse_tree()` for each response of
    a tree request; `list_request(column, 1)` for every listable column; `parse_list()` for each list page;
    `list_request(column, next_page, next_url)` while a ListResult names a next page; `hints()` once for
    detail-page extraction. Adapters only build requests and read responses: they never fetch, store or
    index anything. Build requests with `tree_request`, `list_request`/`_list` and `form_list_request`, which
    set the spider callbacks and the meta the spider relies on. Raising from `parse_tree`/`parse_list` is
    fine: the spider records the page as failed (the column then counts as incomplete) and goes on.
    See docs/adapters.md.
    """

    platform: ClassVar[str] = ""
    default_start_paths: ClassVar[tuple[str, ...]] = ("",)
    default_hints: ClassVar[HintsConfig] = HintsConfig()

    def __init__(self, site: SiteConfig, spider: DisclosureSpider) -> None:
        self.site = site
        self.spider = spider

    # helpers -------------------------------------------------------------------------------------------
    def absolute(self, url: str, base: str | None = None) -> str:
        return urljoin(base or self.site.base_url, url.strip())

    def make_column(
        self, path: list[str], url: str | None, *, listable: bool = True, params: dict[str, str] | None = None
    ) -> ColumnRef:
        return ColumnRef(
            id=column_id(self.site.id, path),
            name=path[-1],
            path=tuple(path),
            url=url,
            listable=listable,
            params=tuple(sorted((params or {}).items())),
        )

    def tree_request(self, url: str, *, parent: list[str] | None = None, **meta: Any) -> Request:
        return Request(
            url,
            callback=self.spider.parse_tree,
            errback=self.spider.tree_failed,
            dont_filter=True,
            priority=10,
            meta={"parent_path": list(parent or []), "kind": "tree", **meta},
        )

    def list_request(self, column: ColumnRef, page: int, url: str | None = None) -> Request | None:
        """GET the page `page` (1-based) of a column; platforms with list APIs override this."""
        target = url or self.list_url(column, page)
        if target is None:
            return None
        return self._list(Request, target, column, page)

    def _list(
        self, request_class: type[Request], url: str, column: ColumnRef, page: int, **kwargs: Any
    ) -> Request:
        meta = {"column_id": column.id, "page": page, "kind": "list", **kwargs.pop("meta", {})}
        return request_class(
            url,
            callback=self.spider.parse_list,
            errback=self.spider.list_failed,
            dont_filter=True,
            priority=5,
            meta=meta,
            **kwargs,
        )

    def form_list_request(self, column: ColumnRef, page: int, url: str, formdata: dict[str, str]) -> Request:
        return self._list(FormRequest, url, column, page, formdata=formdata)

    # to override ---------------------------------------------------------------------------------------
    def tree_requests(self) -> Iterable[Request]:
        """The first requests of a run: by default one tree request per `start_paths` entry (site file, else
        `default_start_paths`), relative to the base URL."""
        for path in self.site.start_paths or self.default_start_paths:
            yield self.tree_request(self.absolute(path))

    def parse_tree(self, response: Response) -> TreeResult:
        """Columns found on a tree page (every column: parents with `listable=False`, blank ones too, built
        with `make_column(path, url)`) plus further tree requests (e.g. sub-catalogue pages)."""
        raise NotImplementedError

    def list_url(self, column: ColumnRef, page: int) -> str | None:
        """URL of page `page` (1-based) when the platform's pages can be addressed by number; None stops."""
        return column.url if page == 1 else None

    def parse_list(self, response: Response, column: ColumnRef, page: int) -> ListResult:
        """One list page: its entries (URL, title, date: the list signal of incremental runs), where the next
        page is (`next_url` and/or `next_page`; neither = last page), `total_items` when the platform says
        it, or `children` instead of entries when the column page turns out to list sub-columns. An empty
        ListResult is a blank column (or the end of a list)."""
        raise NotImplementedError

    def hints(self) -> HintsConfig:
        """Site hints layered over the platform's defaults."""
        merged = self.default_hints.model_dump()
        for key, value in self.site.hints.model_dump().items():
            if value:
                merged[key] = value
        return HintsConfig.model_validate(merged)


class HtmlListAdapter(PlatformAdapter):
    """Platforms whose home page shows the column tree and whose column pages are HTML lists (or, for
    parents, links to child columns). Selectors can be overridden per site through `options`."""

    tree_block_selector: ClassVar[str] = "div.column-block"
    sub_columns_selector: ClassVar[str] = "div.sub-columns li a"
    item_selector: ClassVar[str] = "ul.list-ul li"
    date_selector: ClassVar[str] = "span.date::text"
    next_link_text: ClassVar[str] = "下一页"

    def option(self, key: str, default: str) -> str:
        value = self.site.options.get(key)
        return str(value) if value else default

    def parse_tree(self, response: Response) -> TreeResult:
        result = TreeResult()
        for block in response.css(self.option("tree_block_selector", self.tree_block_selector)):
            top = block.css("h2 a")
            top_name = _text(top)
            if not top_name:
                continue
            top_href = top.attrib.get("href")
            result.columns.append(
                self.make_column([top_name], self.absolute(top_href, response.url) if top_href else None)
            )
            for link in block.css("ul li a"):
                name = _text(link)
                href = link.attrib.get("href")
                if name and href:
                    result.columns.append(
                        self.make_column([top_name, name], self.absolute(href, response.url))
                    )
        return result

    def parse_list(self, response: Response, column: ColumnRef, page: int) -> ListResult:
        children = response.css(self.option("sub_columns_selector", self.sub_columns_selector))
        if children and not response.css(self.option("item_selector", self.item_selector)):
            return ListResult(
                children=[
                    self.make_column([*column.path, _text(a)], self.absolute(a.attrib["href"], response.url))
                    for a in children
                    if _text(a) and a.attrib.get("href")
                ]
            )
        result = ListResult()
        for item in response.css(self.option("item_selector", self.item_selector)):
            link = item.css("a")
            href = link.attrib.get("href") if link else None
            if not href or href.startswith(("javascript:", "#")):
                continue
            title = link.attrib.get("title") or _text(link)
            day = parse_list_date(
                " ".join(item.css(self.option("date_selector", self.date_selector)).getall())
            )
            result.entries.append(ListEntry(url=self.absolute(href, response.url), title=title, day=day))
        next_text = self.option("next_link_text", self.next_link_text)
        for anchor in anchors_containing(response, next_text):
            if _text(anchor) == next_text and anchor.attrib.get("href"):
                result.next_url = self.absolute(anchor.attrib["href"], response.url)
                result.next_page = page + 1
                break
        return result


def anchors_containing(response: Response, text: str) -> Any:
    """The anchors whose text may equal `text` once whitespace is collapsed (`_text`): those containing it, or
    every anchor when `text` itself has whitespace. Reading the text of every anchor was most of a list page."""
    if text.split() != [text]:
        return response.css("a")
    return response.xpath("//a[contains(string(.), $text)]", text=text)


def _text(selection: Any) -> str:
    return " ".join("".join(selection.css("::text").getall()).split()) if selection else ""
