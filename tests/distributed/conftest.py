"""Distributed-crawl tests run against a real Redis from GONGKAI_TEST_REDIS_URL (`scripts/redis.sh start` prints one;
scripts/test.sh sets it). Without it they are skipped, unless GONGKAI_REQUIRE_REDIS=1 (CI), where they fail."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from indexer.crawl_queue import SiteJobQueue


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("GONGKAI_TEST_REDIS_URL")
    message = "GONGKAI_TEST_REDIS_URL is not set; start a server with `scripts/redis.sh start`"
    if url:
        try:
            SiteJobQueue(url).ping()
            return url
        except Exception as error:
            message = f"Redis at {url} does not answer: {error}"
    if os.environ.get("GONGKAI_REQUIRE_REDIS") == "1":
        pytest.fail(f"GONGKAI_REQUIRE_REDIS=1 but {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def prefix() -> str:
    """Keys of one test only: tests share the server, never a queue."""
    return f"gktest-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def queue(redis_url: str, prefix: str) -> Iterator[SiteJobQueue]:
    opened = SiteJobQueue(redis_url, prefix=prefix)
    yield opened
    keys = list(opened._redis.scan_iter(f"{prefix}:*"))
    if keys:
        opened._redis.delete(*keys)
