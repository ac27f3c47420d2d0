"""Archives every HTTP response (lists, details, API replies, attachments, robots.txt, redirects and errors)
exactly as received, before any other middleware sees it, and notes where it was written."""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.http.headers import Headers

from crawler.context import CrawlContext

_REASONS = {
    200: "OK",
    206: "Partial Content",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    403: "Forbidden",
    404: "Not Found",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def _header_pairs(headers: Headers) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name, values in headers.items():
        key = name.decode("latin-1")
        pairs.extend((key, value.decode("latin-1")) for value in values)
    return pairs


class WarcRecorderMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRecorderMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        context = CrawlContext.of(self.crawler)
        ref, warc_record_id = context.warc.write_response(
            request.url,
            status=response.status,
            reason=_REASONS.get(response.status, ""),
            headers=_header_pairs(response.headers),
            body=response.body,
        )
        request.meta["warc_ref"] = (ref.file, ref.offset)
        request.meta["warc_record_id"] = warc_record_id
        self.crawler.stats.inc_value("gongkai/warc_responses")  # type: ignore[union-attr]
        return response
