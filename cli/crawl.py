"""`gongkai crawl SITE... | --all`: harvest department sites into the archive, catalogue and index."""

from __future__ import annotations

import sys
from pathlib import Path

import click


def _parse_base_urls(values: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value in values:
        site, sep, url = value.partition("=")
        if not sep or not site or not url:
            raise click.BadParameter(f"expected SITE=URL, got {value!r}", param_hint="--base-url")
        mapping[site.strip()] = url.strip()
    return mapping


def _parse_settings(values: tuple[str, ...]) -> dict[str, str]:
    settings: dict[str, str] = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint="--set")
        settings[name.strip()] = setting
    return settings


@click.command()
@click.argument("sites", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="crawl every discovered site")
@click.option("--data-dir", type=click.Path(path_type=Path), help="archive/catalogue/index folder")
@click.option("--base-url", "base_urls", multiple=True, metavar="SITE=URL", help="override a site's base URL")
@click.option("--jobdir", type=click.Path(path_type=Path), help="folder for resumable crawl state")
@click.option("--no-index", is_flag=True, help="archive and catalogue only; do not feed the search index")
@click.option("--set", "scrapy_settings", multiple=True, metavar="NAME=VALUE", help="Scrapy setting override")
def crawl(
    sites: tuple[str, ...],
    all_sites: bool,
    data_dir: Path | None,
    base_urls: tuple[str, ...],
    jobdir: Path | None,
    no_index: bool,
    scrapy_settings: tuple[str, ...],
) -> None:
    """Crawl SITES (ids from `gongkai crawl --list`-style discovery) or --all; exits 1 when a run failed."""
    from crawler.run import CrawlOptions, run_crawl
    from crawler.sites import SiteConfigError

    if not sites and not all_sites:
        raise click.UsageError("name at least one SITE or use --all")
    if sites and all_sites:
        raise click.UsageError("give SITE names or --all, not both")
    options = CrawlOptions(
        sites=list(sites),
        data_dir=data_dir,
        base_urls=_parse_base_urls(base_urls),
        jobdir=jobdir,
        index=not no_index,
        settings=_parse_settings(scrapy_settings),
    )
    try:
        reports = run_crawl(options)
    except (KeyError, SiteConfigError) as error:
        raise click.ClickException(str(error)) from error
    failed = [r.site for r in reports if not r.ok]
    if failed:
        click.echo(f"FAILED runs: {', '.join(failed)}", err=True)
        sys.exit(1)
    click.echo(f"all {len(reports)} run(s) OK")
