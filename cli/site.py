"""`gongkai site probe URL`: onboard a department site (platform, column tree, audit status, samples)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click


@click.group()
def site() -> None:
    """Onboard department sites."""


@site.command()
@click.argument("url")
@click.option("--budget", default=150, show_default=True, help="at most this many HTTP requests")
@click.option("--delay", default=0.5, show_default=True, help="seconds between requests")
@click.option("--timeout", default=20.0, show_default=True, help="seconds per request")
@click.option("--ignore-robots", is_flag=True, help="do not honour robots.txt (the crawler does)")
@click.option("--platform", help="skip detection and use this adapter (e.g. a plugin's)")
@click.option("--id", "site_id", help="site id (default: from --write's file name, else the host name)")
@click.option("--name", help="site name (default: from the home page title)")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="audit reference date (default: today)")
@click.option("--no-samples", is_flag=True, help="do not fetch a sample document per column")
@click.option("--write", "write_path", type=click.Path(path_type=Path), help="write the site file here")
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
@click.option("--quiet", is_flag=True, help="no progress on stderr")
def probe(
    url: str,
    budget: int,
    delay: float,
    timeout: float,
    ignore_robots: bool,
    platform: str | None,
    site_id: str | None,
    name: str | None,
    as_of: object,
    no_samples: bool,
    write_path: Path | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Detect URL's platform, walk its column tree politely and print it with item counts, newest dates,
    audit status and one sample document per column. Exit status 1 when the site cannot be probed."""
    from crawler.probe import ProbeError, ProbeOptions, probe_site
    from crawler.probe.render import render_report
    from crawler.probe.sitefile import write_site_file
    from crawler.sites import SiteConfigError

    def progress(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    if write_path is not None and site_id is None:
        site_id = write_path.stem
    try:
        report = probe_site(
            ProbeOptions(
                url=url,
                budget=budget,
                delay=delay,
                timeout=timeout,
                obey_robots=not ignore_robots,
                platform=platform,
                site_id=site_id,
                name=name,
                as_of=as_of.date() if as_of is not None else date.today(),  # type: ignore[attr-defined]
                samples=not no_samples,
                progress=progress,
            )
        )
    except (ProbeError, ValueError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(report.model_dump_json(indent=2) if as_json else render_report(report))
    if write_path is not None:
        try:
            config = write_site_file(report, write_path, site_id)
        except (SiteConfigError, ValueError, OSError) as error:
            click.echo(f"error: cannot write {write_path}: {error}", err=True)
            sys.exit(1)
        progress(f"wrote {write_path} (site {config.id}, platform {config.platform})")
    if not report.columns:
        sys.exit(1)
