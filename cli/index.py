"""`gongkai reindex` and `gongkai index …`: rebuild the search index from the archive, inspect it, drain the spool."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from indexer.backends.base import BackendUnavailable, IndexStats
from indexer.config import Settings


def _settings(backend: str | None, data_dir: Path | None) -> Settings:
    overrides: dict[str, object] = {}
    if backend:
        overrides["backend"] = backend
    if data_dir:
        overrides["data_dir"] = data_dir
    return Settings(**overrides)  # type: ignore[arg-type]


_backend_option = click.option(
    "--backend",
    type=click.Choice(["embedded", "elasticsearch"]),
    default=None,
    help="index backend (default: GONGKAI_BACKEND or embedded)",
)
_data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="data directory holding warc/, index/ and spool/ (default: GONGKAI_DATA_DIR or ./data)",
)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@click.command()
@_backend_option
@_data_dir_option
@click.option("--batch-size", type=click.IntRange(1, 50_000), default=1000, show_default=True)
@click.option(
    "--compact/--no-compact",
    default=True,
    show_default=True,
    help="Elasticsearch: merge the new index down before it goes live, dropping the bulk load's recovery "
    "source (about a third of its size; waits up to ~30 s for the shards' retention leases)",
)
def reindex(backend: str | None, data_dir: Path | None, batch_size: int, compact: bool) -> None:
    """Rebuild the search index from the WARC archive (latest version of every record)."""
    from tqdm import tqdm

    from indexer.archive import iter_warc_files
    from indexer.backends import open_backend
    from indexer.reindex import reindex_from_archive

    settings = _settings(backend, data_dir)
    if not iter_warc_files(settings.warc_dir):
        _fail(f"no WARC files in {settings.warc_dir}; nothing to rebuild from")
    try:
        engine = open_backend(settings, rebuild_outdated=True)
        with tqdm(unit="doc", desc=f"reindex → {settings.backend}", dynamic_ncols=True) as bar:
            report = reindex_from_archive(
                engine, settings.warc_dir, batch_size=batch_size, progress=bar.update, compact=compact
            )
        engine.close()
    except BackendUnavailable as error:
        _fail(str(error))
        return
    target = f" into {report.index}" if report.index else ""
    click.echo(
        f"indexed {report.records:,} records{target} in {report.seconds:.1f} s ({report.docs_per_second:,.0f} docs/s)"
    )
    if report.compacted is False:
        click.echo(
            "the shards' retention leases did not advance in time: part of the recovery source remains"
        )
    if report.replaced:
        click.echo(f"alias moved; removed old index {', '.join(report.replaced)}")


@click.group()
def index() -> None:
    """Inspect the search index and its spool."""


def _stats(settings: Settings) -> tuple[IndexStats, bool]:
    from indexer.backends import open_backend
    from indexer.backends.spool import spool_backlog

    backlog = spool_backlog(settings.spool_dir)
    try:
        engine = open_backend(settings)
        stats = engine.stats()
        engine.close()
    except BackendUnavailable as error:
        click.echo(f"warning: {error}", err=True)
        return IndexStats(backend=settings.backend, total=0, sites=[], backlog=backlog), False
    return stats.model_copy(update={"backlog": backlog}), True


def format_stats(stats: IndexStats) -> str:
    """A plain-text table: one row per site, counts per status."""
    statuses = sorted({status for site in stats.sites for status in site.by_status})
    header = ["site", "total", *statuses]
    rows = [
        [site.site, str(site.total), *[str(site.by_status.get(s, 0)) for s in statuses]]
        for site in stats.sites
    ]
    rows.append(
        ["(all)", str(stats.total), *[str(sum(x.by_status.get(s, 0) for x in stats.sites)) for s in statuses]]
    )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.append("")
    lines.append(f"backend: {stats.backend}    spool backlog: {stats.backlog} records")
    return "\n".join(lines)


@index.command("stats")
@_backend_option
@_data_dir_option
@click.option("--json", "as_json", is_flag=True, help="print JSON instead of a table")
def stats_command(backend: str | None, data_dir: Path | None, as_json: bool) -> None:
    """Counts per site and status, and the spool backlog."""
    stats, reachable = _stats(_settings(backend, data_dir))
    if as_json:
        click.echo(json.dumps(stats.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        click.echo(format_stats(stats))
    if not reachable:
        sys.exit(1)


@index.command("drain")
@_backend_option
@_data_dir_option
def drain_command(backend: str | None, data_dir: Path | None) -> None:
    """Index the records spooled while the engine was unavailable."""
    from indexer.backends import open_backend
    from indexer.backends.spool import SpoolingIndexer

    settings = _settings(backend, data_dir)
    try:
        engine = open_backend(settings)
    except BackendUnavailable as error:
        _fail(str(error))
        return
    spooler = SpoolingIndexer(engine, settings.spool_dir)
    report = spooler.drain()
    try:
        if report.drained:
            engine.refresh()
    except BackendUnavailable as error:
        report.error = report.error or str(error)
    engine.close()
    click.echo(f"drained {report.drained} records from {report.files} spool files; {report.remaining} remain")
    if report.unreadable_lines:
        click.echo(
            f"{report.unreadable_lines} unreadable lines kept in {settings.spool_dir / 'rejected.jsonl'}"
        )
    if report.error:
        _fail(report.error)
