"""Crawl scope by host:port. All portal sites share 127.0.0.1 and differ only by port, so Scrapy's
host-based offsite check would let one site's crawl wander into another's."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest


class OutOfScope(IgnoreRequest):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class HostPortScopeMiddleware:
    """Drops requests to other host:port pairs (robots.txt of the site itself included) or denied URLs."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._deny: list[re.Pattern[str]] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostPortScopeMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        allowed: set[str] | None = getattr(spider, "allowed_netlocs", None)
        if allowed is None:
            return
        netloc = urlsplit(request.url).netloc.lower()
        if netloc not in allowed:
            self.crawler.stats.inc_value("gongkai/offsite")  # type: ignore[union-attr]
            raise OutOfScope("offsite", f"{request.url} is outside {sorted(allowed)}")
        if self._deny is None:
            site = getattr(spider, "site", None)
            self._deny = [re.compile(p) for p in (site.deny_url_patterns if site else [])]
        if any(p.search(request.url) for p in self._deny):
            self.crawler.stats.inc_value("gongkai/denied")  # type: ignore[union-attr]
            raise OutOfScope("denied", f"{request.url} matches a denied URL pattern")
