"""Distributed crawling: documents per second and CPU per document for 1, 2 and 3 `gongkai worker` processes on
the same portal sites, and what the Redis queue itself costs per site job.

    .venv/bin/python bench/bench_workers.py [--docs 3000] [--workers 1,2,3] [--redis-url redis://…]

Without `--redis-url` (or GONGKAI_TEST_REDIS_URL) the script starts a throwaway Redis with `scripts/redis.sh` on
port 56380. The simulated portal runs in this process; every worker crawls with `--no-index` (the embedded
index has one writer; a cluster deployment indexes into Elasticsearch) into a shared SQLite catalogue. CPU is
the workers' and their crawl processes' (children of this process, from getrusage), the portal's is reported
apart. Politeness is the crawler's default per-host delay set to 0 here, as in the other crawl benchmarks, so the
figures are CPU-bound: on this 2-CPU machine more than two workers cannot add throughput.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.machine import machine_line  # noqa: E402
from indexer.catalog import Catalog  # noqa: E402
from indexer.crawl_queue import SiteJob, SiteJobQueue  # noqa: E402
from portal.config import PortalConfig  # noqa: E402
from portal.server import PortalServer  # noqa: E402

FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "false", "LOG_LEVEL": "WARNING"}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def queue_overhead(url: str, jobs: int = 2000) -> float:
    """Milliseconds of one enqueue + claim + complete round trip."""
    queue = SiteJobQueue(url, prefix=f"gkbench-{uuid.uuid4().hex[:8]}")
    started = time.perf_counter()
    for index in range(jobs):
        site = f"s{index}"
        queue.enqueue(SiteJob(site=site, host=f"h{index}"), due=0)
        assert queue.claim("w", 60) == site
        queue.complete("w", site, next_due=time.time() + 86_400)
    elapsed = time.perf_counter() - started
    keys = list(queue._redis.scan_iter(f"{queue.prefix}:*"))
    if keys:
        queue._redis.delete(*keys)
    return elapsed * 1000 / jobs


def run(workers: int, portal: PortalServer, redis_url: str) -> dict[str, float]:
    prefix = f"gkbench-{uuid.uuid4().hex[:8]}"
    queue = SiteJobQueue(redis_url, prefix=prefix)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        for site in portal.sites:
            queue.enqueue(SiteJob(site=site.id, host=urlsplit(site.base_url).netloc, base_url=site.base_url))
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "GONGKAI_REDIS_URL": redis_url,
            "GONGKAI_REDIS_PREFIX": prefix,
        }
        command = [
            sys.executable,
            "-m",
            "cli",
            "worker",
            "--data-dir",
            str(data_dir),
            "--drain",
            "--no-index",
        ]
        for name, value in FAST.items():
            command += ["--set", f"{name}={value}"]
        cpu_before, portal_before = children_cpu(), self_cpu()
        started = time.perf_counter()
        processes = [
            subprocess.Popen(
                [*command, "--worker-id", f"bench-{n}"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
            )
            for n in range(workers)
        ]
        for process in processes:
            if process.wait() != 0:
                raise RuntimeError(f"a worker failed (exit {process.returncode})")
        wall = time.perf_counter() - started
        cpu, portal_cpu = children_cpu() - cpu_before, self_cpu() - portal_before
        with Catalog(data_dir / "catalog.sqlite3") as catalog:
            documents = catalog.record_count()
    keys = list(queue._redis.scan_iter(f"{prefix}:*"))
    if keys:
        queue._redis.delete(*keys)
    return {
        "documents": documents,
        "wall": wall,
        "docs_per_s": documents / wall,
        "cpu_ms_per_doc": cpu * 1000 / documents,
        "portal_cpu_ms_per_doc": portal_cpu * 1000 / documents,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--workers", default="1,2,3")
    parser.add_argument("--redis-url", default=os.environ.get("GONGKAI_TEST_REDIS_URL"))
    args = parser.parse_args()
    print(machine_line())
    redis_env = {**os.environ, "GONGKAI_REDIS_PORT": "56380"}
    started_server = not args.redis_url
    if started_server:
        subprocess.run([str(ROOT / "scripts/redis.sh"), "start"], env=redis_env, check=True)
        args.redis_url = "redis://127.0.0.1:56380/0"
    try:
        overhead = queue_overhead(args.redis_url)
        rows = []
        with PortalServer(PortalConfig(seed=21, docs=args.docs, base_port=0)) as portal:
            sites = len(portal.sites)
            for count in (int(n) for n in args.workers.split(",")):
                print(f"[bench] {count} worker(s)…", file=sys.stderr)
                rows.append((count, run(count, portal, args.redis_url)))
    finally:
        if started_server:
            subprocess.run([str(ROOT / "scripts/redis.sh"), "stop"], env=redis_env, check=False)

    print(f"\n### Workers on one Redis queue: {sites} portal sites, {args.docs:,} documents\n")
    print(
        "| workers | documents | wall s | docs/s | speed-up | CPU ms / doc (workers + crawls) | portal CPU ms / doc |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    base = rows[0][1]["docs_per_s"]
    for count, row in rows:
        print(
            f"| {count} | {row['documents']:,.0f} | {row['wall']:.1f} | {row['docs_per_s']:.1f} | "
            f"{row['docs_per_s'] / base:.2f} | {row['cpu_ms_per_doc']:.2f} | {row['portal_cpu_ms_per_doc']:.2f} |"
        )
    print(
        f"\nQueue cost: one enqueue + claim + complete round trip = {overhead:.3f} ms per site job (Redis on 127.0.0.1)."
    )


if __name__ == "__main__":
    main()
