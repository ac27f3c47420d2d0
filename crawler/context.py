"""One crawl of one site: the resources it writes to and the bookkeeping that outlives single responses.

Spider, middlewares, pipelines and the lifecycle extension all reach the same `CrawlContext` through
`CrawlContext.of(crawler)`. It owns the catalogue, the WARC writer, the crawler state, the index sink and the
run report, and at the end of a run it withdraws vanished records, records the column tree and the run report.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.report import ReportCollector, RunReport, render_report
from crawler.sites import SiteConfig
from crawler.state import (
    CrawlerState,
    RunIdentity,
    clear_run_identity,
    load_run_identity,
    save_run_identity,
)
from crawler.warc_writer import RotatingWarcWriter, read_resource_json
from crawler.workers import ExtractionWorkers, acquire_workers, release_workers
from indexer.archive import COLUMNS_MEDIA_TYPE, RECORD_MEDIA_TYPE, RECORD_URI_PREFIX, RUN_MEDIA_TYPE
from indexer.catalog import Catalog
from indexer.config import Settings
from indexer.schema import Column, DisclosureRecord, RecordStatus, WarcRef

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.index_sink import IndexSink

logger = logging.getLogger(__name__)

_WRITERS: dict[Path, RotatingWarcWriter] = {}


def shared_warc_writer(warc_dir: Path, max_bytes: int, writer: str | None = None) -> RotatingWarcWriter:
    """One writer per folder and process, shared by all sites crawled in that process."""
    key = warc_dir.resolve()
    if key not in _WRITERS:
        _WRITERS[key] = RotatingWarcWriter(key, max_bytes=max_bytes, writer=writer)
    return _WRITERS[key]


@dataclass
class ColumnStats:
    """A column as seen in this run; `complete` turns false when any of its list pages failed or was cut."""

    id: str
    name: str
    path: list[str]
    url: str | None
    listable: bool = True
    item_count: int = 0
    newest_item_date: date | None = None
    pages: int = 0
    complete: bool = True
    # whether this run requested the first list page; a column first met through a list request restored
    # from a JOBDIR has not been walked from its start yet
    walked: bool = False
    problems: list[str] = field(default_factory=list)

    def saw_item(self, day: date | None) -> None:
        self.item_count += 1
        if day is not None and (self.newest_item_date is None or day > self.newest_item_date):
            self.newest_item_date = day


class CrawlContext:
    def __init__(self, crawler: Crawler, site: SiteConfig, settings: Settings) -> None:
        self.crawler = crawler
        self.site = site
        self.settings = settings
        self.jobdir: str | None = crawler.settings.get("JOBDIR") or None
        self.catalog = Catalog(settings.catalog_location)
        self.state = CrawlerState(settings.data_dir / "crawler" / "state.sqlite3")
        self.warc = shared_warc_writer(
            settings.warc_dir, crawler.settings.getint("GONGKAI_WARC_MAX_BYTES"), settings.archive_writer
        )
        self.index: IndexSink | None = None
        self.workers: ExtractionWorkers | None = None
        self.columns: dict[str, ColumnStats] = {}
        self.identity: RunIdentity | None = None
        self.collector: ReportCollector | None = None
        self.tree_failed = False
        self.closed = False

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlContext:
        context = getattr(crawler, "gongkai_context", None)
        if context is None:
            raise RuntimeError("no CrawlContext: the spider must be a gongkai DisclosureSpider")
        return context

    @property
    def report(self) -> RunReport:
        assert self.collector is not None, "run not opened"
        return self.collector.report

    def open_run(self) -> None:
        now = datetime.now(UTC)
        self.catalog.upsert_site(self.site.as_site())
        identity = load_run_identity(self.jobdir)
        if identity is None or identity.site != self.site.id:
            run_id = self.catalog.start_run(self.site.id, now)
            identity = RunIdentity(run_id=run_id, site=self.site.id, started_at=now)
            save_run_identity(self.jobdir, identity)
        self.identity = identity
        self.collector = ReportCollector(
            RunReport(
                site=self.site.id,
                run_id=identity.run_id,
                started_at=identity.started_at,
                resumed=identity.resumed,
            )
        )
        self.workers = acquire_workers(
            self.crawler.settings.getint("GONGKAI_EXTRACT_PROCESSES", 1), self.settings.worker_memory_mb
        )
        if self.crawler.settings.getbool("GONGKAI_INDEX", True):
            from crawler.index_sink import IndexSink

            self.index = IndexSink(
                self.settings,
                self.settings.data_dir / "crawler" / f"index-journal-{self.site.id}.jsonl",
                batch_size=self.crawler.settings.getint("GONGKAI_INDEX_BATCH", 500),
            )
            if self.index.replayed:
                logger.info(
                    "%s: re-indexed %d journaled records of an interrupted run",
                    self.site.id,
                    self.index.replayed,
                )

    # columns ------------------------------------------------------------------------------------------
    def column(self, column_id: str) -> ColumnStats | None:
        return self.columns.get(column_id)

    def add_column(self, stats: ColumnStats) -> ColumnStats:
        return self.columns.setdefault(stats.id, stats)

    # records ------------------------------------------------------------------------------------------
    def archive_record(
        self, record: DisclosureRecord, refers_to: str | None, *, record_json: str | None = None
    ) -> WarcRef:
        """Archive a record version; `record_json` is `record.model_dump_json()` when the caller has it."""
        uri = f"{RECORD_URI_PREFIX}{record.id}:v{record.version}"
        payload = record_json if record_json is not None else record.model_dump_json()
        return self.warc.write_resource(uri, RECORD_MEDIA_TYPE, payload, refers_to=refers_to)

    def index_record(self, record: DisclosureRecord, *, record_json: str | None = None) -> None:
        if self.index is not None:
            self.index.add(record, record_json=record_json)

    def catalogue_record(
        self,
        record: DisclosureRecord,
        *,
        resource: WarcRef | None,
        column_id: str | None,
        etag: str | None = None,
        last_modified: str | None = None,
        list_signal: str | None = None,
    ) -> None:
        self.state.remember(record.id, record.site, column_id, resource)
        self.catalog.save_record(record, etag=etag, last_modified=last_modified, list_signal=list_signal)

    def load_record(self, record_id: str) -> DisclosureRecord | None:
        meta = self.state.get(record_id)
        if meta is None or meta.resource is None:
            return None
        try:
            return DisclosureRecord.model_validate(read_resource_json(self.settings.warc_dir, meta.resource))
        except (OSError, ValueError) as error:
            logger.warning("cannot read archived record %s: %s", record_id, error)
            return None

    # end of run ---------------------------------------------------------------------------------------
    def _withdraw_vanished(self, now: datetime) -> None:
        assert self.identity is not None
        report = self.report
        incomplete = {c.id for c in self.columns.values() if not c.complete}
        if self.tree_failed or not self.columns:
            report.withdrawals_suppressed = True
            return
        # collect first: the catalogue is written while withdrawing; ids only, a few MB even for huge sites
        vanished = list(self.catalog.vanished_record_ids(self.site.id, self.identity.started_at))
        for vanished_id in vanished:
            state = self.catalog.get_state(vanished_id)
            if state is None or state.status is RecordStatus.withdrawn:
                continue
            meta = self.state.get(state.id)
            column_id = meta.column_id if meta else None
            # a column missing from a completely read tree has vanished, and its records with it
            if column_id in incomplete or (column_id is None and incomplete):
                report.withdrawals_suppressed = True
                continue
            record = self.load_record(state.id)
            if record is None:
                self.collector.error("other", f"withdrawn record {state.id} has no archived version")  # type: ignore[union-attr]
                continue
            withdrawn = record.model_copy(update={"status": RecordStatus.withdrawn, "last_seen_at": now})
            resource = self.archive_record(withdrawn, None)
            self.index_record(withdrawn)  # index before catalogue: the catalogue is what later runs trust
            self.catalogue_record(withdrawn, resource=resource, column_id=column_id)
            report.records.withdrawn += 1

    def _column_models(self, now: datetime) -> list[Column]:
        """The column tree; a parent column reports the items and newest date of all its leaves."""
        leaves = [c for c in self.columns.values() if c.listable]
        models = []
        for c in self.columns.values():
            if c.listable:
                count, newest = c.item_count, c.newest_item_date
            else:
                below = [leaf for leaf in leaves if leaf.path[: len(c.path)] == c.path]
                count = sum(leaf.item_count for leaf in below)
                newest = max((leaf.newest_item_date for leaf in below if leaf.newest_item_date), default=None)
            models.append(
                Column(
                    id=c.id,
                    site=self.site.id,
                    name=c.name,
                    path=c.path,
                    url=c.url,
                    item_count=count,
                    newest_item_date=newest,
                    last_checked=now,
                )
            )
        return models

    def close_run(self, stats: dict[str, Any]) -> RunReport:
        """Finish the run once the spider is idle: withdrawals, column tree, report (catalogue and WARC)."""
        if self.closed:
            return self.report
        self.closed = True
        if self.workers is not None:  # every page is extracted by now
            release_workers(self.workers)
            self.workers = None
        assert self.identity is not None and self.collector is not None
        now = datetime.now(UTC)
        report = self.report
        tree_read = bool(self.columns) and not self.tree_failed
        if stats.get("finish_reason") == "finished":
            self._withdraw_vanished(now)
        else:
            report.withdrawals_suppressed = True
        _fill_from_stats(report, stats)
        columns = self._column_models(now)
        report.columns_found = len(columns)
        report.columns_blank = sum(1 for c in self.columns.values() if c.listable and c.item_count == 0)
        report.columns_incomplete = sorted("/".join(c.path) for c in self.columns.values() if not c.complete)
        report.finished_at = now
        report.duration_seconds = (now - self.identity.started_at).total_seconds()
        final = self.collector.finish()
        if self.index is not None:
            try:
                self.index.close()
            except Exception as error:  # the spool keeps what the engine refused
                self.collector.error("other", f"index close failed: {error}")
        payload = {
            "site": self.site.id,
            "run_id": self.identity.run_id,
            "checked_at": now.isoformat(),
            "tree_complete": tree_read,
            "columns": [c.model_dump(mode="json") for c in columns],
        }
        self.warc.write_resource(
            f"urn:gongkai:columns:{self.site.id}:{self.identity.run_id}", COLUMNS_MEDIA_TYPE, payload
        )
        self.catalog.save_columns(self.site.id, self.identity.run_id, columns)
        report_json = final.model_dump(mode="json")
        self.warc.write_resource(f"urn:gongkai:run:{self.identity.run_id}", RUN_MEDIA_TYPE, report_json)
        self.catalog.finish_run(self.identity.run_id, ok=final.ok, report=report_json, finished_at=now)
        if stats.get("finish_reason") == "finished":
            clear_run_identity(self.jobdir)
        self.state.close()
        self.catalog.close()
        print(render_report(final), flush=True)
        return final


def _fill_from_stats(report: RunReport, stats: dict[str, Any]) -> None:
    report.requests = int(stats.get("downloader/request_count", 0))
    prefix = "downloader/response_status_count/"
    report.responses_by_status = {k[len(prefix) :]: int(v) for k, v in stats.items() if k.startswith(prefix)}
    report.retries = int(stats.get("retry/count", 0))
