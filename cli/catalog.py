"""`gongkai catalog …`: where the catalogue is, and moving it from SQLite to PostgreSQL."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from indexer.catalog import Catalog, CatalogError, redact
from indexer.config import Settings


@click.group()
def catalog() -> None:
    """The catalogue: crawl state, versions, columns and runs (SQLite by default, or GONGKAI_CATALOG_URL)."""


@catalog.command()
def info() -> None:
    """Engine, location, schema version and site count of the configured catalogue, as JSON."""
    try:
        with Catalog(Settings().catalog_location) as opened:
            click.echo(json.dumps(opened.health(), ensure_ascii=False))
    except CatalogError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)


@catalog.command()
@click.option(
    "--from",
    "source",
    default=None,
    help="the catalogue to copy: a SQLite file or a postgresql:// URL (default: DATA_DIR/catalog.sqlite3)",
)
@click.option(
    "--to", "target", required=True, help="where to copy it: a postgresql:// URL (or a SQLite file)"
)
def migrate(source: str | None, target: str) -> None:
    """Copy a catalogue into another one (SQLite → PostgreSQL), then check the row counts.

    Rows already in the target are kept, so an interrupted copy can be run again. Afterwards, point the crawlers
    and the API at the new catalogue with GONGKAI_CATALOG_URL.
    """
    from tqdm import tqdm

    from indexer.catalog_copy import copy_catalog

    source_location: str | Path = source or Settings().catalog_path
    if (
        not str(source_location).startswith(("postgresql://", "postgres://"))
        and not Path(source_location).exists()
    ):
        click.echo(f"error: no catalogue at {source_location}", err=True)
        sys.exit(2)
    try:
        with Catalog(source_location) as origin, Catalog(target) as destination:
            bars: dict[str, tqdm] = {}

            def progress(table: str, rows: int) -> None:
                if table not in bars:
                    bars[table] = tqdm(
                        total=origin.table_count(table), desc=table, unit="rows", file=sys.stderr
                    )
                bars[table].update(rows)

            results = copy_catalog(origin, destination, progress=progress)
            for bar in bars.values():
                bar.close()
    except CatalogError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    for result in results:
        mark = "ok" if result.complete else "INCOMPLETE"
        click.echo(f"{result.table:10} {result.source_rows:>10,} → {result.target_rows:>10,}  {mark}")
    if not all(result.complete for result in results):
        sys.exit(1)
    click.echo(f"copied to {redact(target)}; set GONGKAI_CATALOG_URL to use it")
