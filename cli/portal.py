"""`gongkai portal serve|manifest`: the simulated government web on 127.0.0.1."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

import click

from portal.config import FaultSpecError, PortalConfig


def _config(
    seed: int, docs: int, faults: str | None, epoch: int, base_port: int, today: str | None
) -> PortalConfig:
    try:
        values: dict[str, object] = {
            "seed": seed,
            "docs": docs,
            "faults": faults,
            "epoch": epoch,
            "base_port": base_port,
        }
        if today:
            values["today"] = date.fromisoformat(today)
        return PortalConfig.model_validate(values)
    except (FaultSpecError, ValueError) as error:
        raise click.BadParameter(str(error)) from error


@click.group()
def portal() -> None:
    """The simulated department portal (ground truth for crawls, demos and benchmarks)."""


@portal.command()
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--docs", type=int, default=600, show_default=True, help="documents across all sites")
@click.option(
    "--faults", type=str, default=None, help='fault spec, e.g. "jinan-jyj:5xx=0.1;*:slow=0.01" or "demo"'
)
@click.option("--epoch", type=click.IntRange(0, 1), default=0, show_default=True)
@click.option(
    "--base-port", type=int, default=18100, show_default=True, help="site n listens on base+n; 0=ephemeral"
)
@click.option("--today", type=str, default=None, help="the portal's today (ISO date)")
@click.option("--manifest", "manifest_path", type=click.Path(path_type=Path), default=None)
def serve(
    seed: int,
    docs: int,
    faults: str | None,
    epoch: int,
    base_port: int,
    today: str | None,
    manifest_path: Path | None,
) -> None:
    """Serve every site in the foreground until Ctrl-C."""
    import asyncio
    import threading

    from portal.server import PortalServer

    server = PortalServer(_config(seed, docs, faults, epoch, base_port, today))
    ready = threading.Event()

    def announce() -> None:
        ready.wait()
        for site in server.sites:
            click.echo(f"{site.id}\t{site.base_url}\t{site.name}\t{site.platform}")
        if manifest_path is not None:
            count = server.write_manifest(manifest_path)
            click.echo(f"manifest: {manifest_path} ({count} documents)")
        click.echo("portal ready", err=True)

    threading.Thread(target=announce, daemon=True).start()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(server.serve(on_ready=ready))


@portal.command()
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--docs", type=int, default=600, show_default=True)
@click.option("--faults", type=str, default=None)
@click.option("--epoch", type=click.IntRange(0, 1), default=0, show_default=True)
@click.option("--base-port", type=int, default=18100, show_default=True)
@click.option("--today", type=str, default=None)
@click.option(
    "--digests/--no-digests", default=None, help="attachment size/sha256 (default: only up to 50k docs)"
)
@click.option("--out", type=click.Path(path_type=Path), required=True, help=".json or .jsonl")
def manifest(
    seed: int,
    docs: int,
    faults: str | None,
    epoch: int,
    base_port: int,
    today: str | None,
    digests: bool | None,
    out: Path,
) -> None:
    """Write the ground-truth manifest without serving."""
    from portal.manifest import write_manifest

    if base_port == 0:
        raise click.BadParameter(
            "a manifest needs fixed ports; use --base-port > 0", param_hint="--base-port"
        )
    count = write_manifest(_config(seed, docs, faults, epoch, base_port, today), out, digests)
    click.echo(f"{out}: {count} documents")
