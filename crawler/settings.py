"""Scrapy settings for every gongkai crawl, in one place. Per-site delay and concurrency come from the site
YAML (spider custom_settings); command-line and test overrides sit above both."""

from __future__ import annotations

from typing import Any

from indexer.config import get_settings

BOT_NAME = "gongkai"
SPIDER_LOADER_CLASS = "crawler.spider_loader.SiteSpiderLoader"
USER_AGENT = get_settings().user_agent
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
# Items are written synchronously, so one item slot loses nothing. Scrapy (asyncio reactor) starts
# CONCURRENT_ITEMS worker tasks for the output of every callback: at 16 that was ~10 % of the crawl's CPU.
CONCURRENT_ITEMS = 1
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

RETRY_ENABLED = True
RETRY_TIMES = 4
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 8
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
DEPTH_LIMIT = 0  # the column tree has its own depth limit; list pagination has a page limit per column

DOWNLOADER_MIDDLEWARES: dict[str, Any] = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.scope.HostPortScopeMiddleware": 50,
    "crawler.middlewares.observe.AttemptObserverMiddleware": 940,
    "crawler.middlewares.warc.WarcRecorderMiddleware": 950,
}
ITEM_PIPELINES: dict[str, int] = {
    "crawler.pipelines.validate.ValidatePipeline": 100,
    "crawler.pipelines.versioning.VersioningPipeline": 200,
    "crawler.pipelines.archive.ArchiveRecordPipeline": 300,
    "crawler.pipelines.index.IndexPipeline": 400,
    "crawler.pipelines.catalogue.CataloguePipeline": 500,
}
EXTENSIONS: dict[str, int] = {"crawler.lifecycle.RunLifecycle": 100}

# gongkai's own settings
GONGKAI_DATA_DIR = None  # default: indexer.config Settings (GONGKAI_DATA_DIR env)
GONGKAI_BASE_URLS: dict[str, str] = {}  # site id -> base URL override
GONGKAI_INDEX = True
GONGKAI_INDEX_BATCH = 500  # fewer, larger index commits: fewer segments to merge
GONGKAI_WARC_MAX_BYTES = 256 * 1024 * 1024
# processes extracting detail pages and attachments beside the reactor; 0 = threads of the crawler process
GONGKAI_EXTRACT_PROCESSES = 1
