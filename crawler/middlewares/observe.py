"""Counts every failed attempt (5xx answers, timeouts, resets, truncated bodies), including those a retry
later repaired, so a run report shows what the site did even when nothing was lost."""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.context import CrawlContext
from crawler.errors import classify_failure

LARGE_PAGE_BYTES = 1024 * 1024
SKIP_KINDS = frozenset({"robots", "offsite", "denied"})


class AttemptObserverMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AttemptObserverMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        report = CrawlContext.of(self.crawler).report
        if response.status >= 500:
            report.failed_attempts["http_5xx"] = report.failed_attempts.get("http_5xx", 0) + 1
        if len(response.body) > LARGE_PAGE_BYTES:
            report.large_responses += 1
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        kind = classify_failure(Failure(exception))
        if kind in SKIP_KINDS:
            return
        report = CrawlContext.of(self.crawler).report
        report.failed_attempts[kind] = report.failed_attempts.get(kind, 0) + 1
