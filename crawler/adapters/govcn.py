"""gov.cn style sites (政府网站集约化 templates): the home page carries the column tree, column pages are static
`index.htm`, `index_N.htm` lists with a 下一页 link, details hold a `table.bd1` metadata block and a
`#UCAP-CONTENT` body."""

from __future__ import annotations

from typing import ClassVar

from crawler.adapters.base import FURNITURE_SELECTORS, HtmlListAdapter
from crawler.sites import HintsConfig


class GovcnAdapter(HtmlListAdapter):
    platform: ClassVar[str] = "govcn"
    default_hints: ClassVar[HintsConfig] = HintsConfig(
        title_selector="h1.article-title",
        body_selector="#UCAP-CONTENT",
        metadata_selector="table.bd1",
        drop_selectors=FURNITURE_SELECTORS,
    )
