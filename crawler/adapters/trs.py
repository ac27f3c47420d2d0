"""TRS WCM sites: GBK/GB2312 pages, column lists paginated by `createPageHTML(total, current, "index", "html")`
(index.html, index_1.html, ...), articles at ./YYYYMM/tYYYYMMDD_ID.html with a div.TRS_Editor body."""

from __future__ import annotations

import re
from typing import ClassVar

from scrapy.http import Response

from crawler.adapters.base import FURNITURE_SELECTORS, ColumnRef, HtmlListAdapter, ListResult
from crawler.sites import HintsConfig

_PAGER = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"'](\w+)[\"']\s*,\s*[\"'](\w+)[\"']\s*\)")


class TrsAdapter(HtmlListAdapter):
    platform: ClassVar[str] = "trs"
    item_selector: ClassVar[str] = "ul.list li"
    date_selector: ClassVar[str] = "span::text"
    default_hints: ClassVar[HintsConfig] = HintsConfig(
        title_selector="h2.title",
        body_selector="div.TRS_Editor",
        metadata_selector="table.xxgk-table",
        drop_selectors=FURNITURE_SELECTORS,
    )

    def parse_list(self, response: Response, column: ColumnRef, page: int) -> ListResult:
        result = super().parse_list(response, column, page)
        if result.children is not None:
            return result
        result.next_url, result.next_page = None, None
        for script in response.css("script::text").getall():
            for match in _PAGER.finditer(script):
                total, current, name, ext = int(match[1]), int(match[2]), match[3], match[4]
                if current + 1 < total:
                    result.next_url = self.absolute(f"{name}_{current + 1}.{ext}", response.url)
                    result.next_page = page + 1
                return result
        return result
