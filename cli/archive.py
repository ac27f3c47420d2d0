"""`gongkai archive verify`: check every WARC record digest; non-zero exit on a bad digest."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group()
def archive() -> None:
    """Inspect the WARC archive."""


@archive.command()
@click.option("--data-dir", type=click.Path(path_type=Path), help="data folder (default: GONGKAI_DATA_DIR)")
@click.option("--strict", is_flag=True, help="also fail on a file that cannot be read to its end")
def verify(data_dir: Path | None, strict: bool) -> None:
    """Verify the digests of every archived record.

    Exits 1 when a digest does not match. A file cut off mid-record (a crawl killed while writing) is reported
    with the number of records readable before the cut; it fails the check only with --strict.
    """
    from indexer.archive import verify_archive
    from indexer.config import Settings, get_settings

    settings = Settings(data_dir=data_dir) if data_dir else get_settings()
    report = verify_archive(settings.warc_dir)
    for check in report.files:
        state = "ok" if check.bad == 0 else f"{check.bad} BAD DIGEST(S)"
        line = f"{check.file}: {check.records} records, {check.ok} verified, {check.unchecked} without digest, {state}"
        if not check.readable:
            line += f"; unreadable after record {check.records} ({check.error})"
        click.echo(line)
        for problem in check.problems:
            click.echo(f"  {problem}")
    unreadable = [c.file for c in report.files if not c.readable]
    click.echo(
        f"{len(report.files)} files, {report.records} records, {report.bad} bad digests,"
        f" {len(unreadable)} files cut off or unreadable"
    )
    if report.bad or (strict and unreadable):
        sys.exit(1)
