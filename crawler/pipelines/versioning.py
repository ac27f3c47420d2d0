"""Versioning against the catalogue: new document, new version of a changed one, or unchanged.

Unchanged records only get their last-seen time refreshed; new and changed ones continue down the pipelines.
`first_seen_at` always comes from the catalogue, so a record's history survives any number of runs.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.context import CrawlContext
from crawler.items import Outcome, RecordItem
from indexer.schema import RecordStatus


class VersioningPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> VersioningPipeline:
        return cls(crawler)

    def process_item(self, item: RecordItem) -> RecordItem:
        context = CrawlContext.of(self.crawler)
        record = item.record
        counts = context.report.records
        state = context.catalog.get_state(record.id)
        now = record.fetched_at
        if state is None:
            item.outcome = Outcome.new
            item.record = record.model_copy(
                update={
                    "first_seen_at": now,
                    "last_seen_at": now,
                    "version": 1,
                    "status": RecordStatus.active,
                }
            )
            counts.new += 1
            return item
        if state.content_sha256 == record.content_sha256:
            if state.status is not RecordStatus.withdrawn:
                context.catalog.touch(record.id, now, list_signal=item.list_signal)
                counts.unchanged += 1
                raise DropItem(f"unchanged {record.url}", log_level="DEBUG")
            item.outcome = Outcome.reappeared  # withdrawn earlier, listed again with the same content
            status, version = RecordStatus.active, state.version
            counts.changed += 1
        else:
            item.outcome = Outcome.changed
            status, version = RecordStatus.changed, state.version + 1
            counts.changed += 1
        item.record = record.model_copy(
            update={
                "first_seen_at": state.first_seen_at,
                "last_seen_at": now,
                "version": version,
                "status": status,
            }
        )
        return item
