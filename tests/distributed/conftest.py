"""Distributed-crawl tests run against a real Redis from GONGKAI_TEST_REDIS_URL (`scripts/redis.sh start` prints one;
scripts/test.sh sets it). Without it they are skipped, unless GONGKAI_REQUIRE_REDIS=1 (CI), where they fail."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from indexer.crawl_queue import SiteJobQueue
from tests.conftest import service_url


@pytest.fixture
def redis_url() -> str:
    return service_url(
        "Redis",
        "GONGKAI_TEST_REDIS_URL",
        "GONGKAI_REQUIRE_REDIS",
        "redis.sh",
        lambda url: SiteJobQueue(url).ping(),
    )


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
