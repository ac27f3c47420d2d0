"""Sites on an unknown CMS. Columns come from the home page's navigation blocks (and, within a small budget,
from pages linked there); a list is whichever `ul`/`ol` holds the most items that pair a link with a date;
pagination follows the 下一页 link. Everything platform-specific is guessed, so traps are bounded: probe
depth and probe budget for discovery, page limit and loop detection for pagination."""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.http import Response

from crawler.adapters.base import (
    FURNITURE_SELECTORS,
    ColumnRef,
    HtmlListAdapter,
    ListEntry,
    ListResult,
    TreeResult,
    _text,
    anchors_containing,
    parse_list_date,
)
from crawler.sites import HintsConfig

DETAIL_URL_PATTERN = r"/\d{4}/\d{4}/\d+\.html$|content_\d+|/t\d{8}_\d+|post_\d+|art_\d+_\d+|/uploads/"
_NAV_WORDS = ("首页", "上一页", "下一页", "尾页", "末页")


class GenericAdapter(HtmlListAdapter):
    platform: ClassVar[str] = "generic"
    default_hints: ClassVar[HintsConfig] = HintsConfig(
        drop_selectors=FURNITURE_SELECTORS,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.probes_left = int(self.site.options.get("probe_budget", 40))
        self.probe_depth = int(self.site.options.get("probe_depth", 2))
        self.detail_pattern = re.compile(str(self.site.options.get("detail_url_pattern", DETAIL_URL_PATTERN)))
        self._known: set[str] = set()  # bounded by the probe budget plus the number of columns

    def parse_tree(self, response: Response) -> TreeResult:
        depth = int(response.meta.get("probe_depth", 0))
        if depth:
            return self._parse_probe(response, depth)
        result = super().parse_tree(response)
        self._known.update(c.url for c in result.columns if c.url)
        self._known.add(response.url)
        outside = "//a[not(ancestor::div[contains(@class,'column-block') or contains(@class,'side-box')])]"
        result.requests.extend(self._probes(response, response.xpath(outside), depth + 1))
        return result

    def _probes(self, response: Response, anchors: Any, depth: int) -> list[Any]:
        requests = []
        for anchor in anchors:
            href = anchor.attrib.get("href", "")
            if not href or href.startswith(("javascript:", "#", "mailto:")):
                continue
            url = self.absolute(href, response.url)
            parts = urlsplit(url)
            if parts.netloc.lower() != self.site.netloc or parts.path in ("", "/") or url in self._known:
                continue
            if self.detail_pattern.search(parts.path):
                continue
            self._known.add(url)
            if depth > self.probe_depth or self.probes_left <= 0:
                self.spider.context.collector.error(
                    "trap_cut", f"discovery stopped before {url} (depth {depth})"
                )  # type: ignore[union-attr]
                continue
            self.probes_left -= 1
            request = self.tree_request(url, probe_depth=depth)
            request.errback = self.spider.probe_failed
            requests.append(request)
        return requests

    def _parse_probe(self, response: Response, depth: int) -> TreeResult:
        """A page linked from outside the column blocks: a column list of its own, or a page to look beyond."""
        result = TreeResult()
        if not hasattr(response, "text"):
            return result
        if _best_list(response) and (name := _text(response.css("title")).split("_")[0]):
            result.columns.append(self.make_column(["其他", name], response.url))
            return result
        result.requests.extend(self._probes(response, response.css("a"), depth + 1))
        return result

    def parse_list(self, response: Response, column: ColumnRef, page: int) -> ListResult:
        children = response.css(self.sub_columns_selector)
        items = _best_list(response)
        if children and not items:
            return super().parse_list(response, column, page)
        result = ListResult()
        for item in items:
            link = item.css("a")
            title = link.attrib.get("title") or _text(link)
            result.entries.append(
                ListEntry(
                    url=self.absolute(link.attrib["href"], response.url),
                    title=title,
                    day=parse_list_date(_text(item)),
                )
            )
        for anchor in anchors_containing(response, self.next_link_text):
            if _text(anchor) == self.next_link_text and anchor.attrib.get("href"):
                result.next_url = self.absolute(anchor.attrib["href"], response.url)
                result.next_page = page + 1
                break
        return result


def _best_list(response: Response | Selector) -> list[Selector]:
    """The items of the list with the most dated links; [] when the page has no such list."""
    best: list[Selector] = []
    for container in response.css("ul, ol"):
        items = [
            li
            for li in container.xpath("./li")
            if li.css("a[href]") and parse_list_date(_text(li)) and _text(li.css("a")) not in _NAV_WORDS
        ]
        if len(items) > len(best):
            best = items
    return best
