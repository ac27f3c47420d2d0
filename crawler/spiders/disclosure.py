"""The one spider: walks a site's column tree, its list pages and detail pages through the site's adapter.

Sites do not subclass it by hand: the spider loader builds one subclass per SiteConfig (`spider_for`).
Every request is `dont_filter`: list pages are re-walked on every run (and on resume), detail pages are only
requested when the catalogue does not already know the document unchanged, so duplicates are decided by
record id against the catalogue instead of an in-memory fingerprint set that grows with the site.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.adapters import adapter_class
from crawler.adapters.base import ColumnRef, ListEntry, PlatformAdapter
from crawler.context import ColumnStats, CrawlContext
from crawler.errors import classify_failure
from crawler.extraction.detail import ExtractedDetail, describe_attachment, extract_detail, read_body_image
from crawler.extraction.ocr import OcrOptions
from crawler.extraction.page import ExtractionHints
from crawler.extraction.scanned import with_scanned_text
from crawler.items import RecordItem
from crawler.sites import SiteConfig
from indexer.config import Settings
from indexer.schema import Attachment, RecordStatus, record_id

__all__ = ["DisclosureSpider", "ExtractedDetail", "content_digest", "describe_attachment", "extract_detail"]

logger = logging.getLogger(__name__)


_T = TypeVar("_T")

DETAIL_PRIORITY = 20
READ_AHEAD_DETAILS = 200


class DisclosureSpider(scrapy.Spider):
    site: ClassVar[SiteConfig]
    pending_details = 0
    _hints: ExtractionHints | None = None
    _ocr: OcrOptions | None = None
    adapter: PlatformAdapter
    context: CrawlContext

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> DisclosureSpider:
        site = cls.site
        overrides: dict[str, str] = crawler.settings.getdict("GONGKAI_BASE_URLS")
        if site.id in overrides:
            site = site.with_base_url(overrides[site.id])
        spider: DisclosureSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.site = site
        spider.allowed_netlocs = {site.netloc, *(h.lower() for h in site.extra_hosts)}
        spider.adapter = adapter_class(site.platform)(site, spider)
        data_dir = crawler.settings.get("GONGKAI_DATA_DIR")
        settings = Settings(data_dir=data_dir) if data_dir else Settings()
        spider.context = CrawlContext(crawler, site, settings)
        crawler.gongkai_context = spider.context  # type: ignore[attr-defined]
        spider.hints = spider.adapter.hints()
        return spider

    # column tree ---------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        for request in self.adapter.tree_requests():
            yield request

    def parse_tree(self, response: Response) -> Iterator[Any]:
        ctx = self.context
        try:
            result = self.adapter.parse_tree(response)
        except Exception as error:  # a changed layout must not kill the run
            ctx.tree_failed = True
            ctx.collector.error("list_page", f"tree {response.url}: {error!r}")  # type: ignore[union-attr]
            logger.exception("column tree parse failed at %s", response.url)
            return
        yield from result.requests
        yield from self._register_columns(result.columns)

    def _register_columns(self, columns: list[ColumnRef]) -> Iterator[scrapy.Request]:
        """Record newly found columns and request the first list page of each listable one."""
        ctx = self.context
        for column in columns:
            known = ctx.column(column.id)
            if (known is not None and known.walked) or self.site.skips(list(column.path)):
                continue
            if len(column.path) > self.site.max_depth:
                ctx.collector.error(
                    "trap_cut", f"column tree deeper than {self.site.max_depth}: {'/'.join(column.path)}"
                )  # type: ignore[union-attr]
                continue
            if known is None:
                ctx.add_column(
                    ColumnStats(
                        id=column.id,
                        name=column.name,
                        path=list(column.path),
                        url=column.url,
                        listable=column.listable,
                        walked=True,
                    )
                )
            else:  # met first through a list request restored from the JOBDIR: walk it from page 1 too
                known.walked = True
                known.listable = column.listable
            if column.listable:
                request = self.adapter.list_request(column, 1)
                if request is not None:
                    request.meta["column"] = column
                    yield request

    def probe_failed(self, failure: Failure) -> None:
        """A page probed for columns failed: noted, but the column tree itself is not incomplete."""
        kind = classify_failure(failure)
        request = getattr(failure, "request", None)
        if kind in ("redirect_loop", "timeout", "connection_reset", "http_5xx"):
            self.context.collector.error(kind, f"probe {request.url if request else '?'}")  # type: ignore[union-attr]
        else:
            self.context.collector.skip(f"probe_{kind}")  # type: ignore[union-attr]

    def tree_failed(self, failure: Failure) -> None:
        self.context.tree_failed = True
        self._count_failure(failure, "list_page")

    # lists ---------------------------------------------------------------------------------------------
    def parse_list(self, response: Response) -> Iterator[Any]:
        ctx = self.context
        column: ColumnRef = response.meta["column"]
        page: int = response.meta["page"]
        ctx.report.list_pages += 1
        stats = ctx.column(column.id) or ctx.add_column(  # a request restored from JOBDIR before the tree
            ColumnStats(id=column.id, name=column.name, path=list(column.path), url=column.url)
        )
        if not self._first_visit(column, page, response.url):
            return  # the same list page twice in one run (resumed queue + fresh walk): count it once
        stats.pages += 1
        try:
            result = self.adapter.parse_list(response, column, page)
        except Exception as error:
            stats.complete = False
            ctx.collector.error("list_page", f"{response.url}: {error!r}")  # type: ignore[union-attr]
            logger.exception("list parse failed at %s", response.url)
            return
        if result.children is not None:
            stats.listable = False
            yield from self._register_columns(result.children)
            return
        now = datetime.now(UTC)
        for entry in result.entries:
            stats.saw_item(entry.day)
            request = self._detail_request_if_needed(entry, column, now)
            if request is not None:
                yield request
        if result.next_page is None and result.next_url is None:
            return
        if page >= self.site.max_pages_per_column:
            stats.complete = False
            stats.problems.append(f"page limit {self.site.max_pages_per_column} reached")
            ctx.collector.error("trap_cut", f"{'/'.join(column.path)}: stopped at page {page}")  # type: ignore[union-attr]
            return
        if result.next_url and self._seen_list_url(column, result.next_url):
            ctx.collector.error("trap_cut", f"{'/'.join(column.path)}: pagination loops to {result.next_url}")  # type: ignore[union-attr]
            return
        next_request = self.adapter.list_request(column, result.next_page or page + 1, result.next_url)
        if next_request is not None:
            next_request.meta["column"] = column
            # Pagination runs ahead of the detail pages (no idle slots while a list page loads) as long as
            # the backlog of detail requests is small; beyond that it waits, so the queue stays bounded.
            if self.pending_details < READ_AHEAD_DETAILS:
                next_request.priority = DETAIL_PRIORITY + 5
            yield next_request

    def _first_visit(self, column: ColumnRef, page: int, url: str) -> bool:
        """Whether this list page is seen for the first time in this run (memory: one key per list page)."""
        visited: set[bytes] = self.__dict__.setdefault("_visited_pages", set())
        key = hashlib.blake2b(f"{column.id}|{page}|{url}".encode(), digest_size=8).digest()
        if key in visited:
            return False
        visited.add(key)
        return True

    def _seen_list_url(self, column: ColumnRef, url: str) -> bool:
        """Per-column memory of list URLs (bounded by the page limit) to cut pagination cycles."""
        seen: set[str] = self.__dict__.setdefault("_list_urls", {}).setdefault(column.id, set())
        key = hashlib.sha1(url.encode()).hexdigest()[:16]
        if key in seen:
            return True
        seen.add(key)
        return False

    def list_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        column: ColumnRef | None = request.meta.get("column")
        if column is not None and (stats := self.context.column(column.id)) is not None:
            stats.complete = False
            stats.problems.append(f"list page {request.meta.get('page')} failed")
        self._count_failure(failure, "list_page")

    def _detail_request_if_needed(
        self, entry: ListEntry, column: ColumnRef, now: datetime
    ) -> scrapy.Request | None:
        ctx = self.context
        rid = record_id(entry.url)
        state = ctx.catalog.get_state(rid)
        signal = entry.signal
        started = ctx.identity.started_at  # type: ignore[union-attr]
        known = state is not None and state.status is not RecordStatus.withdrawn
        if known and signal is not None and state.list_signal == signal:  # type: ignore[union-attr]
            if state.last_seen_at < started:  # type: ignore[union-attr]
                ctx.catalog.touch(rid, now, list_signal=signal)
                ctx.report.records.unchanged += 1
            return None  # unchanged, or already stored in this run (listed twice, or before a resume)
        if known:
            # listed, so not withdrawn whatever becomes of the detail request; the list signal is only
            # updated once the page is stored, so a resumed run still fetches it
            ctx.catalog.touch(rid, now)
        headers: dict[str, str] = {}
        if (
            state is not None
            and self.site.conditional_requests
            and state.status is not RecordStatus.withdrawn
        ):
            if state.etag:
                headers["If-None-Match"] = state.etag
            if state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
        if not self.in_scope(entry.url):
            ctx.collector.skip("offsite")  # type: ignore[union-attr]
            return None
        self.pending_details += 1
        return scrapy.Request(
            entry.url,
            callback=self.parse_detail,
            errback=self.detail_failed,
            headers=headers,
            dont_filter=True,
            priority=DETAIL_PRIORITY,
            meta={
                "kind": "detail",
                "column": column,
                "list_signal": signal,
                "handle_httpstatus_list": [304],
            },
        )

    def in_scope(self, url: str) -> bool:
        return urlsplit(url).netloc.lower() in self.allowed_netlocs

    # detail pages --------------------------------------------------------------------------------------
    async def parse_detail(self, response: Response) -> AsyncIterator[Any]:
        self.pending_details -= 1
        ctx = self.context
        column: ColumnRef = response.meta["column"]
        url = response.request.url if response.request else response.url
        now = datetime.now(UTC)
        if response.status == 304:
            ctx.report.not_modified += 1
            ctx.catalog.touch(record_id(url), now, list_signal=response.meta.get("list_signal"))
            ctx.report.records.unchanged += 1
            return
        ctx.report.detail_pages += 1
        content_type = _header(response, b"Content-Type")
        # parsing runs in a worker process (crawler.workers), keeping the reactor and its GIL free
        extracted = await self._in_worker(
            extract_detail,
            response.body,
            content_type,
            url,
            self._extraction_hints(),
            site=self.site.id,
            column=list(column.path),
            category=self.site.category_for(list(column.path)),
            fetched_at=now,
        )
        for problem in extracted.decode_problems:
            ctx.collector.error("decode", f"{response.url}: {problem}")  # type: ignore[union-attr]
        pending = {
            "record": extracted.record_json,
            "column_id": column.id,
            "list_signal": response.meta.get("list_signal"),
            "etag": _header(response, b"ETag"),
            "last_modified": _header(response, b"Last-Modified"),
            "warc_record_id": response.meta.get("warc_record_id"),
            "warc_ref": response.meta.get("warc_ref"),
            "attachments": [],
            "links": extracted.links,
            "body_images": list(extracted.body_images) if self._ocr_options().enabled else [],
            "body_ocr": [],
        }
        for output in self._next_attachment_or_item(pending):
            yield output

    def _next_attachment_or_item(self, pending: dict[str, Any]) -> Iterator[Any]:
        while pending.get("body_images"):
            url = pending["body_images"].pop(0)
            if not self.in_scope(url):
                continue
            yield scrapy.Request(
                url,
                callback=self.parse_body_image,
                errback=self.body_image_failed,
                dont_filter=True,
                priority=30,
                meta={"kind": "attachment", "pending": pending},
            )
            return
        while pending["links"]:
            url, name = pending["links"].pop(0)
            absolute = urljoin(pending["record"]["url"], url)
            if not self.in_scope(absolute):
                pending["attachments"].append(
                    {"url": absolute, "name": name, "error": "outside the site's hosts; not fetched"}
                )
                continue
            yield scrapy.Request(
                absolute,
                callback=self.parse_attachment,
                errback=self.attachment_failed,
                dont_filter=True,
                priority=30,
                meta={"kind": "attachment", "pending": pending, "attachment_name": name},
            )
            return
        yield self._item(pending)

    async def parse_attachment(self, response: Response) -> AsyncIterator[Any]:
        ctx = self.context
        pending = response.meta["pending"]
        ctx.report.attachments += 1
        name = response.meta.get("attachment_name") or ""
        body = response.body
        described = await self._in_worker(
            describe_attachment,
            body,
            name or response.url.rsplit("/", 1)[-1],
            _header(response, b"Content-Type"),
            self._ocr_options(),
        )
        ctx.report.count_ocr(described.pop("ocr_stats", None))
        if described["error"]:
            ctx.collector.error("attachment", f"{response.url}: {described['error']}")  # type: ignore[union-attr]
        pending["attachments"].append(
            {"url": response.request.url if response.request else response.url, "name": name, **described}
        )
        for output in self._next_attachment_or_item(pending):
            yield output

    async def parse_body_image(self, response: Response) -> AsyncIterator[Any]:
        """An image carrying the page's body: its OCR text becomes body text."""
        ctx = self.context
        pending = response.meta["pending"]
        read = await self._in_worker(
            read_body_image,
            response.body,
            response.url.rsplit("/", 1)[-1],
            _header(response, b"Content-Type"),
            self._ocr_options(),
        )
        ctx.report.count_ocr(read.get("ocr_stats"))
        if read["error"]:
            ctx.collector.error("attachment", f"body image {response.url}: {read['error']}")  # type: ignore[union-attr]
        elif read["text"]:
            pending["body_ocr"].append(read["text"])
        for output in self._next_attachment_or_item(pending):
            yield output

    def body_image_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        kind = self._count_failure(failure, "attachment", count=False)
        self.context.collector.error("attachment", f"body image {request.url}: {kind}")  # type: ignore[union-attr]
        yield from self._next_attachment_or_item(request.meta["pending"])

    def attachment_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        pending = request.meta["pending"]
        kind = self._count_failure(failure, "attachment", count=False)
        self.context.collector.error("attachment", f"{request.url}: {kind}")  # type: ignore[union-attr]
        pending["attachments"].append(
            {
                "url": request.url,
                "name": request.meta.get("attachment_name") or "",
                "error": f"fetch failed: {kind}",
            }
        )
        yield from self._next_attachment_or_item(pending)

    def _item(self, pending: dict[str, Any]) -> RecordItem:
        from indexer.schema import DisclosureRecord, WarcRef

        data = dict(pending["record"])
        data["attachments"] = [
            Attachment.model_validate(a).model_dump(mode="json") for a in pending["attachments"]
        ]
        record = with_scanned_text(DisclosureRecord.model_validate(data), pending.get("body_ocr") or [])
        ref = pending.get("warc_ref")
        if ref:
            record = record.model_copy(update={"warc": WarcRef(file=ref[0], offset=ref[1])})
        record = record.model_copy(update={"content_sha256": content_digest(record)})
        return RecordItem(
            record=record,
            column_id=pending["column_id"],
            list_signal=pending["list_signal"],
            etag=pending["etag"],
            last_modified=pending["last_modified"],
            response_record_id=pending["warc_record_id"],
        )

    def detail_failed(self, failure: Failure) -> None:
        self.pending_details -= 1
        self._count_failure(failure, "detail")

    def _ocr_options(self) -> OcrOptions:
        if self._ocr is None:
            settings = self.context.settings
            self._ocr = OcrOptions(
                enabled=settings.ocr,
                max_pages=settings.ocr_max_pages,
                cache_dir=str(settings.ocr_cache_dir),
            )
        return self._ocr

    def _extraction_hints(self) -> ExtractionHints:
        if self._hints is None:
            hints = self.hints
            self._hints = ExtractionHints(
                title_selector=hints.title_selector,
                body_selector=hints.body_selector,
                metadata_selector=hints.metadata_selector,
                drop_selectors=list(hints.drop_selectors),
                site_names=[name for name in (self.site.name, self.site.department) if name],
            )
        return self._hints

    async def _in_worker(self, function: Callable[..., _T], /, *args: Any, **kwargs: Any) -> _T:
        workers = self.context.workers
        if workers is None:  # no run opened (a spider driven by hand)
            return await asyncio.to_thread(function, *args, **kwargs)
        return await workers.run(function, *args, **kwargs)

    def _count_failure(self, failure: Failure, where: str, *, count: bool = True) -> str:
        kind = classify_failure(failure)
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if kind in ("robots", "offsite", "denied"):
            self.context.collector.skip(kind)  # type: ignore[union-attr]
            return kind
        if count:
            self.context.collector.error(kind, f"{where} {url}")  # type: ignore[union-attr]
            if where == "list_page":
                self.context.collector.error("list_page", url)  # type: ignore[union-attr]
        return kind


def content_digest(record: Any) -> str:
    """Digest of what a document says (not of page furniture, fetch times or archive positions)."""
    fields = record.model_dump(
        mode="json",
        include={
            "title",
            "doc_number_raw",
            "index_number",
            "issuer",
            "topic",
            "written_date",
            "published_date",
            "validity",
            "keywords",
            "body_text",
        },
    )
    fields["attachments"] = sorted((a.url, a.sha256 or a.error or "") for a in record.attachments)
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def spider_for(site: SiteConfig, extra_settings: dict[str, Any] | None = None) -> type[DisclosureSpider]:
    """A spider class for one site, carrying its politeness settings (and e.g. its own JOBDIR)."""
    class_name = "Spider_" + site.id.replace("-", "_")
    return type(
        class_name,
        (DisclosureSpider,),
        {
            "name": site.id,
            "site": site,
            "custom_settings": {
                "DOWNLOAD_DELAY": site.download_delay,
                "CONCURRENT_REQUESTS_PER_DOMAIN": site.concurrency,
                **(extra_settings or {}),
            },
        },
    )
