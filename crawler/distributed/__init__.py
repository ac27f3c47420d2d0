"""Crawling on several machines: when each site is due again (`schedule`) and the `gongkai worker` loop that
runs one site crawl at a time (`worker`), on the Redis site-job queue of `indexer.crawl_queue` (shared with the
API, which reports on it)."""
