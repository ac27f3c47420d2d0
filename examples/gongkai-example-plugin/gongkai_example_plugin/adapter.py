"""`example-newslist`: a site whose lists are `ul.newslist > li` items holding an `<em>` date and a link."""

from __future__ import annotations

from typing import ClassVar

from scrapy.http import Response

from crawler.adapters.base import FURNITURE_SELECTORS, ColumnRef, HtmlListAdapter, ListEntry, ListResult
from crawler.sites import HintsConfig

CUT_MARK = "..."


class NewsListAdapter(HtmlListAdapter):
    """Column tree from the home page's column blocks (inherited), lists from `ul.newslist`, pagination by the
    下一页 link (inherited). Only the list layout and the detail-page hints differ, so only they are set."""

    platform: ClassVar[str] = "example-newslist"
    item_selector: ClassVar[str] = "ul.newslist li"
    date_selector: ClassVar[str] = "em::text"
    default_hints: ClassVar[HintsConfig] = HintsConfig(
        body_selector="div.text",
        drop_selectors=FURNITURE_SELECTORS,
    )

    def parse_list(self, response: Response, column: ColumnRef, page: int) -> ListResult:
        result = super().parse_list(response, column, page)
        # a title cut with "..." is not what the detail page says: keep the date alone as the list signal,
        # so the cut never looks like a change of the document
        result.entries = [
            ListEntry(url=entry.url, title="", day=entry.day) if entry.title.endswith(CUT_MARK) else entry
            for entry in result.entries
        ]
        return result
