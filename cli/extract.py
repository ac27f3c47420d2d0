"""`gongkai extract FILE --url URL`: the DisclosureRecord JSON of a saved detail page, without crawling."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import click

from crawler.extraction.encoding import decode_html
from crawler.extraction.page import build_record, extract_page


@click.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="URL the page was fetched from (resolves links, gives the id).")
@click.option(
    "--content-type", default=None, help="Content-Type header of the response, e.g. 'text/html; charset=gbk'."
)
@click.option("--site", default=None, help="Site id for the record; defaults to the URL host.")
def extract(file: Path, url: str, content_type: str | None, site: str | None) -> None:
    """Print the DisclosureRecord JSON extracted from a saved page FILE."""
    if not urlsplit(url).scheme or not urlsplit(url).hostname:
        raise click.BadParameter("must be an absolute http(s) URL", param_hint="--url")
    decoded = decode_html(file.read_bytes(), content_type)
    page = extract_page(decoded.text, url)
    record = build_record(
        page,
        url=url,
        site=site or (urlsplit(url).hostname or ""),
        column=[],
        category=None,
        fetched_at=datetime.now(UTC),
    )
    click.echo(record.model_dump_json(indent=2))
    notes = [
        f"decoded as {decoded.encoding} (from {decoded.source}, {decoded.replaced} replaced)",
        *page.warnings,
    ]
    for note in notes:
        click.echo(f"# {note}", err=True)
