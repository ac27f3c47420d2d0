"""Hands each stored record version to the search index (journaled, batched, spooled when the engine is down)."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.context import CrawlContext
from crawler.items import RecordItem


class IndexPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IndexPipeline:
        return cls(crawler)

    def process_item(self, item: RecordItem) -> RecordItem:
        CrawlContext.of(self.crawler).index_record(item.record, record_json=item.record_json)
        return item
