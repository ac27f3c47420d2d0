"""The catalogue behaviour suite runs on both engines: a SQLite file and a real PostgreSQL database.

PostgreSQL comes from GONGKAI_TEST_PG_URL (`scripts/postgres.sh start` prints one; scripts/test.sh sets it). Without
it the PostgreSQL cases are skipped, unless GONGKAI_REQUIRE_PG=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from indexer.catalog import Catalog

ENGINES = ["sqlite", "postgresql"]


def pg_admin_url() -> str:
    url = os.environ.get("GONGKAI_TEST_PG_URL")
    message = "GONGKAI_TEST_PG_URL is not set; start a server with `scripts/postgres.sh start`"
    if url:
        try:
            import psycopg

            psycopg.connect(url, connect_timeout=5).close()
            return url
        except Exception as error:
            message = f"PostgreSQL at {url} does not answer: {error}"
    if os.environ.get("GONGKAI_REQUIRE_PG") == "1":
        pytest.fail(f"GONGKAI_REQUIRE_PG=1 but {message}", pytrace=False)
    pytest.skip(message)


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


@pytest.fixture(params=ENGINES)
def catalog_location(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where an empty catalogue of the engine under test lives."""
    if request.param == "sqlite":
        return tmp_path / "c.sqlite3"
    return request.getfixturevalue("fresh_postgres")()


@pytest.fixture
def catalog(catalog_location: str | Path) -> Iterator[Catalog]:
    with Catalog(catalog_location) as opened:
        yield opened
