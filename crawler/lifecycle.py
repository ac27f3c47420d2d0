"""Opens a site's run when its spider starts and finishes it (withdrawals, columns, report) when it closes."""

from __future__ import annotations

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from twisted.internet.task import LoopingCall

from crawler.context import CrawlContext

BATCH_COMMIT_INTERVAL_SECONDS = 1.0


class RunLifecycle:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._batch_committer: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLifecycle:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        context = CrawlContext.of(self.crawler)
        context.open_run()
        # a quiet crawl still commits its catalogue batch soon, not only at its next record write
        self._batch_committer = LoopingCall(context.catalog.commit_batch)
        self._batch_committer.start(BATCH_COMMIT_INTERVAL_SECONDS, now=False)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._batch_committer is not None and self._batch_committer.running:
            self._batch_committer.stop()
        stats = dict(self.crawler.stats.get_stats())  # type: ignore[union-attr]
        stats["finish_reason"] = reason
        report = CrawlContext.of(self.crawler).close_run(stats)
        self.crawler.stats.set_value("gongkai/run_ok", report.ok)  # type: ignore[union-attr]
