"""Helpers for crawling the in-process simulated portal from tests and benchmarks.

Scrapy's reactor cannot restart inside one process, so every crawl runs as a `gongkai crawl` subprocess
pointed at the portal's ephemeral ports with `--base-url`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from indexer.archive import RECORD_MEDIA_TYPE, RUN_MEDIA_TYPE
from indexer.schema import DisclosureRecord

REPO = Path(__file__).resolve().parents[2]
GONGKAI = Path(sys.executable).parent / "gongkai"
FAST_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "false",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "RETRY_TIMES": "4",
    "LOG_LEVEL": "WARNING",
}
FIELDS = ("title", "doc_number", "issuer", "written_date", "published_date", "index_number")


def crawl_command(
    data_dir: Path,
    base_urls: dict[str, str],
    *,
    sites: Sequence[str] = (),
    jobdir: Path | None = None,
    index: bool = True,
    settings: dict[str, str] | None = None,
) -> list[str]:
    command = [str(GONGKAI), "crawl", *(sites or ["--all"]), "--data-dir", str(data_dir)]
    for site, url in base_urls.items():
        command += ["--base-url", f"{site}={url}"]
    if jobdir is not None:
        command += ["--jobdir", str(jobdir)]
    if not index:
        command.append("--no-index")
    for name, value in {**FAST_SETTINGS, **(settings or {})}.items():
        command += ["--set", f"{name}={value}"]
    return command


def crawl_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO)
    env.pop("GONGKAI_DATA_DIR", None)
    return env


def run_crawl(
    data_dir: Path,
    base_urls: dict[str, str],
    *,
    timeout: float = 240,
    env: dict[str, str] | None = None,
    **kwargs: object,
) -> subprocess.CompletedProcess[str]:
    """`gongkai crawl` as a subprocess; `env` adds variables (a sites folder, a catalogue URL) to crawl_env()."""
    return subprocess.run(
        crawl_command(data_dir, base_urls, **kwargs),  # type: ignore[arg-type]
        cwd=REPO,
        env={**crawl_env(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _resources(warc_dir: Path, media_type: str) -> Iterable[bytes]:
    for path in sorted(warc_dir.glob("gongkai-*.warc.gz")):
        with path.open("rb") as stream:
            try:
                for record in ArchiveIterator(stream):
                    if (
                        record.rec_type == "resource"
                        and record.rec_headers.get_header("Content-Type") == media_type
                    ):
                        yield record.content_stream().read()
            except Exception:  # a tail cut off by a killed crawl
                continue


def archived_records(data_dir: Path) -> dict[str, DisclosureRecord]:
    """The latest archived version of every record, by URL."""
    latest: dict[str, DisclosureRecord] = {}
    for payload in _resources(data_dir / "warc", RECORD_MEDIA_TYPE):
        record = DisclosureRecord.model_validate_json(payload)
        latest[record.url] = record
    return latest


def archived_run_reports(data_dir: Path) -> list[dict[str, object]]:
    import json

    return [json.loads(payload) for payload in _resources(data_dir / "warc", RUN_MEDIA_TYPE)]


def archived_response_urls(data_dir: Path) -> list[str]:
    urls: list[str] = []
    for path in sorted((data_dir / "warc").glob("gongkai-*.warc.gz")):
        with path.open("rb") as stream:
            urls.extend(
                record.rec_headers.get_header("WARC-Target-URI")
                for record in ArchiveIterator(stream)
                if record.rec_type == "response"
            )
    return urls
