"""Validation of harvested records.

A record is valid when
- it has a title (non-blank),
- it has a body text or at least one attachment, and
- its dates parse: at least one of 成文日期 (written_date) / 发布日期 (published_date) was read, and every date
  read lies between 1949-10-01 and one year from today (portals pre-date scheduled publications).
Invalid records are still archived, indexed and catalogued (nothing harvested is lost), but they are counted
as validation failures, and a run with under 90 % valid records fails.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from scrapy.crawler import Crawler

from crawler.context import CrawlContext
from crawler.items import RecordItem
from indexer.schema import DisclosureRecord

EARLIEST_DATE = date(1949, 10, 1)
FUTURE_MARGIN = timedelta(days=366)


def validation_problems(record: DisclosureRecord, *, today: date | None = None) -> list[str]:
    problems: list[str] = []
    if not record.title.strip():
        problems.append("no title")
    if not record.body_text.strip() and not record.attachments:
        problems.append("neither body text nor attachment")
    dates = [d for d in (record.written_date, record.published_date) if d is not None]
    if not dates:
        problems.append("no parsable written or published date")
    latest = (today or datetime.now(UTC).date()) + FUTURE_MARGIN
    problems.extend(f"implausible date {d.isoformat()}" for d in dates if not EARLIEST_DATE <= d <= latest)
    return problems


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: RecordItem) -> RecordItem:
        problems = validation_problems(item.record)
        if problems:
            item.problems = tuple(problems)
            context = CrawlContext.of(self.crawler)
            context.collector.error("validation", f"{item.record.url}: {'; '.join(problems)}")  # type: ignore[union-attr]
            context.report.records.invalid += 1
        return item
