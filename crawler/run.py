"""Running crawls from Python or the CLI: one Scrapy process, one crawler per site, one report per site."""

from __future__ import annotations

import logging
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from crawler.report import RunReport


class CrawlOptions(BaseModel):
    sites: list[str] = Field(description="site ids; empty = every discovered site")
    data_dir: Path | None = None
    base_urls: dict[str, str] = Field(default_factory=dict)
    jobdir: Path | None = Field(default=None, description="resumable state; each site gets a sub-folder")
    index: bool = True
    settings: dict[str, Any] = Field(default_factory=dict, description="Scrapy setting overrides")


def run_crawl(options: CrawlOptions) -> list[RunReport]:
    """Crawl the given sites to the end and return their run reports (reactor: once per process)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.crawler import Crawler, CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from crawler.sites import discover_sites
    from crawler.spiders.disclosure import spider_for

    known = discover_sites()
    wanted = options.sites or list(known)
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise KeyError(f"unknown site(s) {', '.join(unknown)}; known: {', '.join(known)}")
    base = get_project_settings()
    overrides: dict[str, Any] = {"GONGKAI_INDEX": options.index, "GONGKAI_BASE_URLS": options.base_urls}
    if options.data_dir is not None:
        overrides["GONGKAI_DATA_DIR"] = str(options.data_dir)
    overrides.update(options.settings)
    base.setdict(overrides, priority="cmdline")
    process = CrawlerProcess(base)
    # Scrapy leaves its loggers at NOTSET and filters in the root handler, so each response and item built a
    # DEBUG log record only to drop it; records below the configured level are now not built at all
    logging.getLogger("scrapy").setLevel(base.get("LOG_LEVEL"))
    crawlers: list[Crawler] = []
    for site_id in wanted:
        extra: dict[str, Any] = {}
        if options.jobdir is not None:
            extra["JOBDIR"] = str(options.jobdir / site_id)
            discard_request_queue(options.jobdir / site_id)
        crawler = process.create_crawler(spider_for(known[site_id], extra))
        crawlers.append(crawler)
        process.crawl(crawler)
    process.start()
    reports: list[RunReport] = []
    for site_id, crawler in zip(wanted, crawlers, strict=True):
        context = getattr(crawler, "gongkai_context", None)
        if context is not None and context.collector is not None and context.closed:
            reports.append(context.report)
        else:
            reports.append(
                RunReport(
                    site=site_id,
                    run_id="-",
                    started_at=datetime.now(UTC),
                    failure_reasons=["crawl did not complete"],
                )
            )
    return reports


def discard_request_queue(site_jobdir: Path) -> None:
    """Drop Scrapy's disk request queue left by an earlier, interrupted run of this JOBDIR.

    After a SIGKILL the queue index (active.json) was never written while the queue files were, so Scrapy
    reopens stale files whose torn records then swallow every request pushed behind them. Nothing is lost by
    starting from an empty queue: a resumed run walks every list again and skips what the catalogue holds.
    """
    shutil.rmtree(site_jobdir / "requests.queue", ignore_errors=True)
