"""Records each stored version in the catalogue; written last, because later runs trust the catalogue."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.context import CrawlContext
from crawler.items import RecordItem


class CataloguePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CataloguePipeline:
        return cls(crawler)

    def process_item(self, item: RecordItem) -> RecordItem:
        CrawlContext.of(self.crawler).catalogue_record(
            item.record,
            resource=item.resource,
            column_id=item.column_id,
            etag=item.etag,
            last_modified=item.last_modified,
            list_signal=item.list_signal,
        )
        return item
