"""The catalogue behaviour suite runs on both engines: a SQLite file and a real PostgreSQL database.

PostgreSQL comes from GONGKAI_TEST_PG_URL (`scripts/postgres.sh start` prints one; scripts/test.sh sets it). Without
it the PostgreSQL cases are skipped, unless GONGKAI_REQUIRE_PG=1 (CI), where they fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.catalog import Catalog

ENGINES = ["sqlite", "postgresql"]


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
