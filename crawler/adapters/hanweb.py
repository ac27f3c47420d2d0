"""Hanweb/大汉 JCMS sites: columns at /col/colN/index.html whose lists come from the jpage data proxy
(POST /module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage= with the column's jpageConfig fields),
answering `<datastore>` XML whose `<record>` CDATA holds one `<li>` per document."""

from __future__ import annotations

import re
from typing import ClassVar

from parsel import Selector
from scrapy import Request
from scrapy.http import Response

from crawler.adapters.base import (
    FURNITURE_SELECTORS,
    ColumnRef,
    HtmlListAdapter,
    ListEntry,
    ListResult,
    parse_list_date,
)
from crawler.sites import HintsConfig

_CONFIG = re.compile(r"jpageConfig\s*=\s*\{(.*?)\}", re.S)
_PAIR = re.compile(r"(\w+)\s*:\s*(\"[^\"]*\"|'[^']*'|[^,}\s]+)")
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>")
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
DEFAULT_PROXY = "/module/web/jpage/dataproxy.jsp"
FORM_FIELDS = ("col", "appid", "webid", "path", "columnid", "unitid", "webname", "permissiontype")


class HanwebAdapter(HtmlListAdapter):
    platform: ClassVar[str] = "hanweb"
    default_hints: ClassVar[HintsConfig] = HintsConfig(
        title_selector="div.main-txt div.title",
        body_selector="#zoom",
        metadata_selector="table.xxgk_table",
        drop_selectors=FURNITURE_SELECTORS,
    )
    records_per_request: ClassVar[int] = 45  # jpage asks three pages of 15 at a time

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._configs: dict[str, dict[str, str]] = {}  # column id -> jpageConfig (one per column)

    def list_request(self, column: ColumnRef, page: int, url: str | None = None) -> Request | None:
        if page == 1:
            return super().list_request(column, 1)
        config = self._configs.get(column.id)
        if config is None:
            return None
        chunk = int(self.site.options.get("records_per_request", self.records_per_request))
        start = (page - 2) * chunk + 1
        query = f"?startrecord={start}&endrecord={start + chunk - 1}&perpage={config.get('perPage', '15')}"
        proxy = self.absolute(config.get("proxyUrl", DEFAULT_PROXY)) + query
        form = {name: config[name] for name in FORM_FIELDS if name in config}
        return self.form_list_request(column, page, proxy, form)

    def parse_list(self, response: Response, column: ColumnRef, page: int) -> ListResult:
        if page == 1:
            return self._parse_column_page(response, column)
        text = response.text
        result = ListResult()
        for fragment in _RECORD.findall(text):
            item = Selector(text=fragment)
            link = item.css("a")
            href = link.attrib.get("href") if link else None
            if not href:
                continue
            title = link.attrib.get("title") or "".join(link.css("::text").getall()).strip()
            day = parse_list_date(" ".join(item.css("span::text").getall()))
            result.entries.append(ListEntry(url=self.absolute(href, response.url), title=title, day=day))
        total_match = _TOTAL.search(text)
        total = int(total_match[1]) if total_match else None
        result.total_items = total
        chunk = int(self.site.options.get("records_per_request", self.records_per_request))
        if total is not None and (page - 1) * chunk < total and result.entries:
            result.next_page = page + 1
        return result

    def _parse_column_page(self, response: Response, column: ColumnRef) -> ListResult:
        match = _CONFIG.search(response.text)
        if match is None:
            parent = super().parse_list(response, column, 1)
            if parent.children is not None:
                return parent
            raise ValueError(f"no jpageConfig on column page {response.url}")
        config = {key: value.strip("\"'") for key, value in _PAIR.findall(match[1])}
        self._configs[column.id] = config
        total = int(config["totalRecord"]) if config.get("totalRecord", "").isdigit() else None
        return ListResult(next_page=2 if total != 0 else None, total_items=total)
