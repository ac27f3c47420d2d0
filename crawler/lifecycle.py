"""Opens a site's run when its spider starts and finishes it (withdrawals, columns, report) when it closes."""

from __future__ import annotations

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler.context import CrawlContext


class RunLifecycle:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLifecycle:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        CrawlContext.of(self.crawler).open_run()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = dict(self.crawler.stats.get_stats())  # type: ignore[union-attr]
        stats["finish_reason"] = reason
        report = CrawlContext.of(self.crawler).close_run(stats)
        self.crawler.stats.set_value("gongkai/run_ok", report.ok)  # type: ignore[union-attr]
