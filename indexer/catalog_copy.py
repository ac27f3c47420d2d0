"""Copy a catalogue to another engine (SQLite → PostgreSQL when a single machine grows into several)."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from indexer.catalog import TABLES, Catalog


class TableCopy(BaseModel):
    table: str
    source_rows: int
    target_rows: int

    @property
    def complete(self) -> bool:
        return self.target_rows >= self.source_rows


def copy_catalog(
    source: Catalog,
    target: Catalog,
    *,
    batch: int = 2000,
    progress: Callable[[str, int], None] | None = None,
) -> list[TableCopy]:
    """Copy every table, parents first, in batches; rows already in the target are kept (a copy can be re-run
    after an interruption). Returns the row counts of both sides, table by table, to check the copy."""
    results = []
    for table in TABLES:
        pending: list[dict] = []
        for row in source.table_rows(table):
            pending.append(row)
            if len(pending) >= batch:
                target.insert_rows(table, pending)
                if progress:
                    progress(table, len(pending))
                pending = []
        target.insert_rows(table, pending)
        if progress and pending:
            progress(table, len(pending))
        results.append(
            TableCopy(
                table=table, source_rows=source.table_count(table), target_rows=target.table_count(table)
            )
        )
    return results
