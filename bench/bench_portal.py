"""Rendering throughput of the simulated portal over loopback HTTP; prints a markdown table.

    .venv/bin/python bench/bench_portal.py [--docs 600] [--requests 400] [--concurrency 32] [--base-port 18700]

The portal runs in its own process (`gongkai portal serve`) so the aiohttp client here does not share its
GIL. For every platform it fetches `--requests` list pages (column pages, hanweb dataproxy POSTs, gkmlpt
JSON API) and `--requests` detail pages chosen at random over the whole corpus, `--concurrency` at a time.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import machine_line
from portal.config import PortalConfig
from portal.corpus import document, site_total
from portal.layout import site_layout
from portal.platforms import gkmlpt, hanweb
from portal.platforms.common import site_context
from portal.sites import SITES
from portal.urls import column_path

PER_PAGE = {"govcn": 15, "trs": 20, "hanweb": 15, "gkmlpt": 10, "generic": 12}


@dataclass(frozen=True)
class Job:
    method: str
    url: str
    data: dict[str, str] | None = None


def list_jobs(config: PortalConfig, rng: random.Random, count: int) -> dict[str, list[Job]]:
    jobs: dict[str, list[Job]] = {}
    for site in SITES:
        base = config.base_url(site.id).rstrip("/")
        layout = site_layout(config, site.id)
        leaves = [c for c in layout.columns if c.is_leaf and layout.visible_count(c.key, config.epoch)]
        ctx = site_context(config, site.id, config.epoch)
        chosen: list[Job] = []
        for _ in range(count):
            column = rng.choice(leaves)
            pages = max(1, -(-layout.visible_count(column.key, config.epoch) // PER_PAGE[site.platform]))
            page = rng.randrange(pages)
            if site.platform == "hanweb":
                start = page * hanweb.PER_PAGE + 1
                query = f"?startrecord={start}&endrecord={start + 44}&perpage={hanweb.PER_PAGE}"
                form = {
                    "col": "1",
                    "appid": "1",
                    "webid": str(site.number),
                    "path": "/",
                    "columnid": str(column.number),
                    "unitid": str(hanweb.unit_id(ctx)),
                    "permissiontype": "0",
                }
                chosen.append(Job("POST", base + hanweb.DATAPROXY + query, form))
            elif site.platform == "gkmlpt":
                if site.id in gkmlpt.WHOLE_COLUMN_SITES:
                    continue  # measured separately: one response holds a whole column
                api = f"{base}/gkmlpt/api/all/{column.number}?page={page + 1}&sid={gkmlpt.sid(ctx)}"
                chosen.append(Job("GET", api))
            else:
                chosen.append(Job("GET", base + column_path(site, column, page)))
        jobs.setdefault(site.platform, []).extend(chosen)
    return jobs


def whole_column_jobs(config: PortalConfig) -> list[Job]:
    """One request per column of the site whose API answers with the whole column on page 1."""
    jobs = []
    for site_id in sorted(gkmlpt.WHOLE_COLUMN_SITES):
        ctx = site_context(config, site_id, config.epoch)
        base = config.base_url(site_id).rstrip("/")
        for column in ctx.columns:
            if column.is_leaf and ctx.layout.visible_count(column.key, config.epoch):
                jobs.append(Job("GET", f"{base}/gkmlpt/api/all/{column.number}?page=1&sid={gkmlpt.sid(ctx)}"))
    return jobs


def detail_jobs(config: PortalConfig, rng: random.Random, count: int) -> dict[str, list[Job]]:
    jobs: dict[str, list[Job]] = {}
    for site in SITES:
        base = config.base_url(site.id).rstrip("/")
        total = site_total(config, site.id)
        picked = 0
        while picked < count:
            doc = document(config, site.id, rng.randrange(total))
            if doc is None or doc.robots_disallowed:
                continue
            jobs.setdefault(site.platform, []).append(Job("GET", base + doc.path))
            picked += 1
    return jobs


async def run_jobs(jobs: list[Job], concurrency: int) -> tuple[float, list[float], int, int]:
    latencies: list[float] = []
    errors = 0
    received = 0
    queue: asyncio.Queue[Job] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal errors, received
            while not queue.empty():
                job = queue.get_nowait()
                started = time.perf_counter()
                async with session.request(job.method, job.url, data=job.data) as response:
                    body = await response.read()
                    received += len(body)
                    if response.status != 200:
                        errors += 1
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - started, latencies, errors, received


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def wait_ready(config: PortalConfig, timeout: float = 120) -> None:
    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if httpx.get(config.base_url(SITES[-1].id) + "robots.txt", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError("portal did not come up")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--requests", type=int, default=400, help="per platform and page kind")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--base-port", type=int, default=18700)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(machine_line())

    config = PortalConfig(seed=args.seed, docs=args.docs, base_port=args.base_port)
    command = [
        sys.executable,
        "-c",
        "from cli.main import main; main()",
        "portal",
        "serve",
        "--seed",
        str(args.seed),
        "--docs",
        str(args.docs),
        "--base-port",
        str(args.base_port),
    ]
    server = subprocess.Popen(
        command,
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        started = time.perf_counter()
        wait_ready(config)
        startup = time.perf_counter() - started
        rng = random.Random(args.seed)
        per_site = max(1, args.requests // 2)
        suites: list[tuple[str, Callable[..., dict[str, list[Job]]]]] = [
            ("list", list_jobs),
            ("detail", detail_jobs),
        ]
        rows = []
        baseline = [
            Job("GET", config.base_url(SITES[n % len(SITES)].id) + "robots.txt") for n in range(args.requests)
        ]
        elapsed, latencies, errors, received = asyncio.run(run_jobs(baseline, args.concurrency))
        rows.append(("(all)", "robots.txt baseline", len(baseline), elapsed, latencies, errors, received))
        for kind, build in suites:
            for platform, jobs in build(config, rng, per_site).items():
                jobs = jobs[: args.requests]
                runner: Coroutine[Any, Any, tuple[float, list[float], int, int]] = run_jobs(
                    jobs, args.concurrency
                )
                elapsed, latencies, errors, received = asyncio.run(runner)
                rows.append((platform, kind, len(jobs), elapsed, latencies, errors, received))
        whole = whole_column_jobs(config)
        elapsed, latencies, errors, received = asyncio.run(run_jobs(whole, 2))
        rows.append(("gkmlpt", "whole-column list", len(whole), elapsed, latencies, errors, received))
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(
        f"portal: {args.docs} documents, seed {args.seed}, concurrency {args.concurrency}, "
        f"startup {startup:.1f} s\n"
    )
    print("| platform | page kind | requests | seconds | pages/s | p50 ms | p99 ms | avg KiB | non-200 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for platform, kind, count, elapsed, latencies, errors, received in rows:
        print(
            f"| {platform} | {kind} | {count} | {elapsed:.2f} | {count / elapsed:.0f} | "
            f"{percentile(latencies, 0.5):.1f} | {percentile(latencies, 0.99):.1f} | "
            f"{received / count / 1024:.1f} | {errors} |"
        )


if __name__ == "__main__":
    main()
