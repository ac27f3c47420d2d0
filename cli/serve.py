"""`gongkai serve`: run the search API and web UI with uvicorn."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="data directory with index/, warc/ and catalog.sqlite3 (default: GONGKAI_DATA_DIR or ./data)",
)
@click.option(
    "--backend",
    type=click.Choice(["embedded", "elasticsearch"]),
    default=None,
    help="index backend (default: GONGKAI_BACKEND or embedded)",
)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="uvicorn workers")
@click.option("--log-level", default="info", show_default=True)
def serve(
    host: str, port: int, data_dir: Path | None, backend: str | None, workers: int, log_level: str
) -> None:
    """Serve the search API (/docs) and the web UI (/)."""
    import os

    import uvicorn

    # settings travel through the environment so that every worker process reads the same ones
    if data_dir is not None:
        os.environ["GONGKAI_DATA_DIR"] = str(data_dir.resolve())
    if backend is not None:
        os.environ["GONGKAI_BACKEND"] = backend
    from indexer.config import get_settings

    get_settings.cache_clear()
    settings = get_settings()
    click.echo(
        f"serving http://{host}:{port}/ (API docs at /docs) · backend {settings.backend} · data {settings.data_dir}"
    )
    if not settings.api_key:
        click.echo("admin actions are disabled; set GONGKAI_API_KEY to enable them")
    uvicorn.run(
        "search_api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
    )
