"""Guangdong-style gkmlpt (政府信息公开目录管理平台): `/gkmlpt/index` embeds `window._CONFIG` with the site id
(SID) and the column TREE; lists come from the JSON API `/gkmlpt/api/all/{column}?page=N&sid=SID` whose
`classify.post_count` gives the column size. Some sites return a whole column on page 1 (and 404 on page 2)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any, ClassVar

from scrapy import Request
from scrapy.http import Response

from crawler.adapters.base import (
    FURNITURE_SELECTORS,
    ColumnRef,
    ListEntry,
    ListResult,
    PlatformAdapter,
    TreeResult,
    parse_list_date,
)
from crawler.sites import HintsConfig

_CONFIG = re.compile(r"window\._CONFIG\s*=\s*(\{.*?\})\s*;\s*</script>", re.S)


class GkmlptAdapter(PlatformAdapter):
    platform: ClassVar[str] = "gkmlpt"
    default_start_paths: ClassVar[tuple[str, ...]] = ("gkmlpt/index",)
    default_hints: ClassVar[HintsConfig] = HintsConfig(
        title_selector="div.article h1.title",
        body_selector="div.article-content",
        metadata_selector="table.table-header",
        drop_selectors=FURNITURE_SELECTORS,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sid = ""

    def parse_tree(self, response: Response) -> TreeResult:
        match = _CONFIG.search(response.text)
        if match is None:
            raise ValueError(f"no window._CONFIG on {response.url}")
        config = json.loads(match[1])
        self.sid = str(config.get("SID", ""))
        result = TreeResult()
        self._walk(config.get("TREE") or [], [], result)
        return result

    def _walk(self, nodes: list[dict[str, Any]], parent: list[str], result: TreeResult) -> None:
        for node in nodes:
            path = [*parent, str(node.get("name", "")).strip()]
            children = node.get("children") or []
            result.columns.append(
                self.make_column(
                    path,
                    self.absolute(f"gkmlpt/index#{node.get('id')}"),
                    listable=not children,
                    params={"number": str(node.get("id"))},
                )
            )
            self._walk(children, path, result)

    def list_request(self, column: ColumnRef, page: int, url: str | None = None) -> Request | None:
        number = column.param("number")
        if not number:
            return None
        api = self.absolute(f"gkmlpt/api/all/{number}?page={page}&sid={self.sid}")
        return self._list(Request, api, column, page)

    def parse_list(self, response: Response, column: ColumnRef, page: int) -> ListResult:
        payload = json.loads(response.text)
        result = ListResult()
        for article in payload.get("articles") or []:
            url = article.get("post_url") or article.get("url")
            if not url:
                continue
            day = _day(article.get("created_at")) or _day(article.get("first_publish_time"))
            result.entries.append(
                ListEntry(url=self.absolute(url), title=str(article.get("title", "")).strip(), day=day)
            )
        total = int((payload.get("classify") or {}).get("post_count") or 0)
        size = int(payload.get("page_size") or len(result.entries) or 1)
        result.total_items = total
        if result.entries and page * size < total:
            result.next_page = page + 1
        return result


def _day(value: object) -> Any:
    if isinstance(value, int | float) and value > 0:
        seconds = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(seconds, UTC).date()
    return parse_list_date(str(value)) if value else None
