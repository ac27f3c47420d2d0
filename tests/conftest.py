"""Shared fixtures. `es_url`: the real Elasticsearch node or cluster started by scripts/elasticsearch.sh.

Set GONGKAI_TEST_ES_URL (e.g. http://127.0.0.1:9200 after `scripts/elasticsearch.sh start`, or the comma list
of `scripts/elasticsearch.sh cluster-urls` after `cluster-start`) to run the tests that need it; without it they
skip, unless GONGKAI_REQUIRE_ES=1 (CI), where a missing or unreachable node fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest

from indexer.config import split_hosts

ES_HOWTO = (
    "start one with `scripts/elasticsearch.sh start` and export GONGKAI_TEST_ES_URL=http://127.0.0.1:9200"
)


def _es_required() -> bool:
    return os.environ.get("GONGKAI_REQUIRE_ES") == "1"


@pytest.fixture(scope="session")
def es_url() -> str:
    hosts = split_hosts(os.environ.get("GONGKAI_TEST_ES_URL", ""))
    url = ",".join(hosts)
    if not url:
        message = f"GONGKAI_TEST_ES_URL is not set; {ES_HOWTO}"
        if _es_required():
            pytest.fail(f"GONGKAI_REQUIRE_ES=1 but {message}", pytrace=False)
        pytest.skip(message)
    try:
        response = httpx.get(
            f"{hosts[0]}/_cluster/health", params={"wait_for_status": "yellow", "timeout": "30s"}, timeout=40
        )
        response.raise_for_status()
    except httpx.HTTPError as error:
        message = f"Elasticsearch at {url} is not reachable ({error}); {ES_HOWTO}"
        if _es_required():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return url


def service_url(
    name: str, url_variable: str, require_variable: str, script: str, probe: Callable[[str], object]
) -> str:
    """The URL of a test server (PostgreSQL, Redis) that answers `probe`; else the test is skipped, or fails when
    `require_variable`=1 (CI, where scripts/test.sh started the server)."""
    url = os.environ.get(url_variable)
    message = f"{url_variable} is not set; start a server with `scripts/{script} start`"
    if url:
        try:
            probe(url)
            return url
        except Exception as error:
            message = f"{name} at {url} does not answer: {error}"
    if os.environ.get(require_variable) == "1":
        pytest.fail(f"{require_variable}=1 but {message}", pytrace=False)
    pytest.skip(message)


def pg_admin_url() -> str:
    import psycopg

    return service_url(
        "PostgreSQL",
        "GONGKAI_TEST_PG_URL",
        "GONGKAI_REQUIRE_PG",
        "postgres.sh",
        lambda url: psycopg.connect(url, connect_timeout=5).close(),
    )


@pytest.fixture
def fresh_postgres() -> Iterator[Callable[[], str]]:
    """Makes empty databases on the test server; drops them afterwards."""
    import psycopg

    admin = pg_admin_url()
    made: list[str] = []

    def make() -> str:
        name = f"gk_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return admin.rsplit("/", 1)[0] + f"/{name}"

    yield make
    with psycopg.connect(admin, autocommit=True) as db:
        for name in made:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
