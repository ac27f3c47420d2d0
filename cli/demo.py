"""`gongkai demo`: the whole product on one machine — portal, crawl, index, search UI.

Starts the simulated department portal on 127.0.0.1, crawls every site into a data folder (WARC archive,
catalogue, embedded index), then serves the API and web UI until Ctrl-C. Each step prints what it is doing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import click


def _step(message: str) -> None:
    click.secho(f"==> {message}", fg="cyan", bold=True)


@click.command()
@click.option("--data-dir", type=click.Path(path_type=Path), default=Path("data/demo"), show_default=True)
@click.option("--docs", type=int, default=600, show_default=True, help="documents across all portal sites")
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--faults", default="demo", show_default=True, help="portal fault spec ('' for a clean portal)")
@click.option(
    "--portal-port", type=int, default=18100, show_default=True, help="portal base port (site n: +n)"
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--fresh/--keep", default=True, show_default=True, help="start from an empty data folder")
@click.option("--no-serve", is_flag=True, help="stop after crawling and indexing (for scripted checks)")
def demo(
    data_dir: Path,
    docs: int,
    seed: int,
    faults: str,
    portal_port: int,
    host: str,
    port: int,
    fresh: bool,
    no_serve: bool,
) -> None:
    """Serve the simulated portal, crawl it, index it and serve the search UI."""
    import shutil

    from portal.config import PortalConfig
    from portal.server import PortalServer

    data_dir = data_dir.resolve()
    if fresh and data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)

    _step(f"starting the simulated portal ({docs} documents, seed {seed}, faults: {faults or 'none'})")
    config = PortalConfig(seed=seed, docs=docs, base_port=portal_port, faults=faults or None)
    with PortalServer(config) as portal:
        for site in portal.sites:
            click.echo(f"    {site.id:<12} {site.platform:<8} {site.base_url}  {site.name}")
        base_urls = [f"--base-url={site.id}={site.base_url}" for site in portal.sites]
        # The portal is our own server on loopback: the polite per-site delays meant for real government
        # sites would only make the demo slow.
        fast = [
            *("--set", "DOWNLOAD_DELAY=0.02", "--set", "AUTOTHROTTLE_START_DELAY=0.02"),
            *("--set", "LOG_LEVEL=WARNING"),
        ]

        _step(f"crawling every site into {data_dir}")
        started = time.monotonic()
        env = {**os.environ, "GONGKAI_DATA_DIR": str(data_dir), "GONGKAI_BACKEND": "embedded"}
        crawl = subprocess.run(
            [sys.executable, "-m", "cli", "crawl", "--all", "--data-dir", str(data_dir), *base_urls, *fast],
            env=env,
            check=False,
        )
        click.echo(
            f"    crawl finished in {time.monotonic() - started:.0f} s (exit status {crawl.returncode})"
        )
        if crawl.returncode not in (0, 1):
            raise click.ClickException("the crawl crashed; see the messages above")
        if crawl.returncode == 1:
            click.secho("    some site runs are marked failed (see the report above and /sites)", fg="yellow")

        if no_serve:
            return
        _step(f"serving the search UI on http://{host}:{port}/ (API docs at /docs); Ctrl-C stops")
        import uvicorn

        from indexer.config import Settings
        from search_api.app import create_app

        app = create_app(Settings(data_dir=data_dir, backend="embedded"))
        uvicorn.run(app, host=host, port=port, log_level="warning")
