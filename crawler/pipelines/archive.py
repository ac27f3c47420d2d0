"""Writes each stored record version into the WARC archive as a resource record next to its response."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.context import CrawlContext
from crawler.items import RecordItem


class ArchiveRecordPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveRecordPipeline:
        return cls(crawler)

    def process_item(self, item: RecordItem) -> RecordItem:
        item.record_json = item.record.model_dump_json()
        item.resource = CrawlContext.of(self.crawler).archive_record(
            item.record, item.response_record_id, record_json=item.record_json
        )
        return item
