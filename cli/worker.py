"""`gongkai worker`, `gongkai schedule` and `gongkai status`: distributed crawling on a Redis queue."""

from __future__ import annotations

import json
import logging
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import click

from indexer.config import Settings


def _queue(settings: Settings):
    from indexer.crawl_queue import SiteJobQueue

    if not settings.redis_url:
        click.echo(
            "error: set GONGKAI_REDIS_URL (e.g. redis://127.0.0.1:6379/0) to use the crawl queue", err=True
        )
        sys.exit(2)
    queue = SiteJobQueue(settings.redis_url, prefix=settings.redis_prefix)
    try:
        queue.ping()
    except Exception as error:
        click.echo(f"error: the crawl queue at {settings.redis_url} does not answer: {error}", err=True)
        sys.exit(2)
    return queue


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return "—"
    if timestamp <= 0:
        return "now (resume)"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _parse_pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint=option)
        pairs[name.strip()] = setting.strip()
    return pairs


@click.command()
@click.option("--data-dir", type=click.Path(path_type=Path), help="the shared data root (archive, jobs)")
@click.option("--worker-id", default=None, help="default: HOSTNAME-PID")
@click.option("--lease", "lease_seconds", type=float, default=60, show_default=True, help="seconds")
@click.option("--max-jobs", type=int, default=None, help="exit after this many sites")
@click.option("--drain", is_flag=True, help="exit when nothing is due and no site is leased")
@click.option("--no-index", is_flag=True, help="archive and catalogue only")
@click.option("--set", "scrapy_settings", multiple=True, metavar="NAME=VALUE", help="Scrapy setting override")
def worker(
    data_dir: Path | None,
    worker_id: str | None,
    lease_seconds: float,
    max_jobs: int | None,
    drain: bool,
    no_index: bool,
    scrapy_settings: tuple[str, ...],
) -> None:
    """Take site jobs from the queue (GONGKAI_REDIS_URL) and crawl them, one site at a time.

    Run any number of workers on any machines sharing the data root and the catalogue (GONGKAI_CATALOG_URL) and
    index (Elasticsearch). SIGTERM or Ctrl-C finishes the current site first.
    """
    from crawler.distributed.worker import Worker, WorkerOptions

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings = Settings(**({"data_dir": data_dir} if data_dir else {}))  # type: ignore[arg-type]
    options = WorkerOptions(
        lease_seconds=lease_seconds,
        max_jobs=max_jobs,
        drain=drain,
        index=not no_index,
        crawl_settings=_parse_pairs(scrapy_settings, "--set"),
        **({"worker_id": worker_id} if worker_id else {}),
    )
    running = Worker(_queue(settings), settings, options)
    signal.signal(signal.SIGTERM, running.stop)
    signal.signal(signal.SIGINT, running.stop)
    done = running.run()
    click.echo(f"worker {options.worker_id}: {done} site(s) crawled")


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="one JSON object per queued site")
@click.pass_context
def schedule(ctx: click.Context, as_json: bool) -> None:
    """What runs next and why: the queued sites, soonest first, and the sites being crawled now."""
    if ctx.invoked_subcommand is not None:
        return
    queue = _queue(Settings())
    now = time.time()
    queued = queue.queued()
    if as_json:
        for entry in queued:
            click.echo(json.dumps({"due": entry.due, **entry.job.model_dump()}, ensure_ascii=False))
        return
    leases = queue.leases()
    click.echo(f"crawling now: {len(leases)}")
    for lease in leases:
        click.echo(f"  {lease.site:28} {lease.host:24} by {lease.worker} for {now - lease.started:.0f} s")
    click.echo(f"queued: {len(queued)} ({queue.depth(now=now)} due now)")
    for entry in queued:
        state = "DUE" if entry.due <= now else "   "
        click.echo(
            f"  {state} {_when(entry.due):24} {entry.job.site:28} {entry.job.host:24} {entry.job.reason}"
        )


@schedule.command("add")
@click.argument("sites", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="every known site")
@click.option("--base-url", "base_urls", multiple=True, metavar="SITE=URL", help="override a site's base URL")
def schedule_add(sites: tuple[str, ...], all_sites: bool, base_urls: tuple[str, ...]) -> None:
    """Queue sites to be crawled now (their later runs are scheduled by the workers)."""
    from urllib.parse import urlsplit

    from crawler.sites import discover_sites
    from indexer.crawl_queue import SiteJob

    known = discover_sites()
    names = list(known) if all_sites else list(sites)
    if not names:
        raise click.UsageError("name at least one SITE or use --all")
    unknown = [name for name in names if name not in known]
    if unknown:
        raise click.ClickException(f"unknown site(s): {', '.join(unknown)}")
    overrides = _parse_pairs(base_urls, "--base-url")
    queue = _queue(Settings())
    for name in names:
        base_url = overrides.get(name)
        host = urlsplit(base_url or known[name].base_url).netloc.lower()
        queue.enqueue(SiteJob(site=name, host=host, base_url=base_url, reason="added"))
    click.echo(f"queued {len(names)} site(s)")


@click.command()
@click.option("--json", "as_json", is_flag=True)
def status(as_json: bool) -> None:
    """Workers, queue depth, leases, and per site the last success and error rate."""
    queue = _queue(Settings())
    now = time.time()
    view = {
        "workers": [beat.model_dump() for beat in queue.workers()],
        "queue_depth": queue.depth(now=now),
        "queued": len(queue.queued()),
        "leases": [lease.model_dump() for lease in queue.leases()],
        "sites": [{**stats.model_dump(), "error_rate": stats.error_rate} for stats in queue.all_stats()],
    }
    if as_json:
        click.echo(json.dumps(view, ensure_ascii=False))
        return
    click.echo(f"workers: {len(view['workers'])}")
    for beat in queue.workers():
        doing = beat.site or "idle"
        click.echo(f"  {beat.worker:30} {doing:28} seen {now - beat.seen:.0f} s ago, {beat.jobs_done} done")
    click.echo(f"queue: {view['queue_depth']} due now, {view['queued']} queued, {len(view['leases'])} leased")
    click.echo("sites:")
    for stats in queue.all_stats():
        click.echo(
            f"  {stats.site:28} last success {_when(stats.last_success):24} runs {stats.runs:4} "
            f"error rate {stats.error_rate:.0%}"
        )
