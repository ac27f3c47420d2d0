"""API benchmark: latency percentiles and throughput of /search, /doc-numbers/{n} and /coverage under load.

    .venv/bin/python bench/bench_api.py --docs 100000 --clients 8 --requests 2000

Builds an embedded index of N synthetic records (plus a catalogue with sites, columns and records), starts the
API with uvicorn in its own process, and drives it from a separate load-generator process (aiohttp, asyncio, C
concurrent clients) over loopback. Each endpoint gets a warm-up, then M requests; the search and doc-number
lookups are also run with a single client (service time without queueing). Prints markdown tables (stdout);
progress goes to stderr. `--data-dir DIR --keep` reuses a built data set on the next run.

"doc-number" is the endpoint as a client calls it by default: holders, citing documents and the series view with
gaps; "doc-number (series=false)" is the lookup alone. Coverage answers are cached per latest-run state, so its
rows mostly measure the cached path.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGETS_MS = {"search": 30.0, "doc-number": 5.0}  # at 1,000,000 docs, 8 concurrent clients
WORDS = ("政府信息公开", "空气质量", "保障性住房", "行政许可", "食品安全", "乡村振兴", "政府采购", "安全生产")
FILTER_SITES = ("jinan-gov", "qingdao-gov", "shandong-env")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- data set ----------------------------------------------------------------------------------------------


def build_data(data_dir: Path, docs: int, catalog_records: int) -> None:
    from indexer.backends.embedded import EmbeddedBackend
    from indexer.catalog import Catalog
    from indexer.config import Settings
    from indexer.schema import Column, Site
    from tests.index.corpus import SITES, CorpusGenerator

    settings = Settings(data_dir=data_dir)
    backend = EmbeddedBackend(settings.index_dir)
    catalog = Catalog(settings.catalog_path)
    numbers: list[str] = []
    batch = []
    started = time.perf_counter()
    for index, record in enumerate(CorpusGenerator(seed=11).generate(docs)):
        batch.append(record)
        if record.doc_number and len(numbers) < 5000 and index % 7 == 0:
            numbers.append(record.doc_number)
        if index < catalog_records:
            catalog.save_record(record)
        if len(batch) >= 5000:
            backend.upsert(batch)
            batch.clear()
            log(
                f"indexed {index + 1:,} / {docs:,} ({(index + 1) / (time.perf_counter() - started):,.0f} docs/s)"
            )
    backend.upsert(batch)
    backend.optimize()
    backend.close()
    today = datetime.now(UTC).date()
    rng = random.Random(3)
    for site in SITES:
        catalog.upsert_site(
            Site(id=site, name=site, department=site, platform="jcms", base_url=f"http://127.0.0.1/{site}/")
        )
        columns = []
        for number in range(40):
            kind = ("工作动态", "通知公告", "政策文件", "人事信息", "专题")[number % 5]
            count = 0 if rng.random() < 0.1 else rng.randint(1, 500)
            newest = today - timedelta(days=rng.randint(0, 900)) if count else None
            columns.append(
                Column(
                    id=f"{site}-{number}",
                    site=site,
                    name=f"{kind}{number}",
                    path=["信息公开", f"{kind}{number}"],
                    item_count=count,
                    newest_item_date=newest,
                )
            )
        run_id = catalog.start_run(site)
        catalog.save_columns(site, run_id, columns)
        catalog.finish_run(run_id, ok=True, report={})
    catalog.close()
    (data_dir / "bench-numbers.json").write_text(json.dumps(numbers, ensure_ascii=False))
    log(f"data set ready in {time.perf_counter() - started:.0f} s")


# --- server ------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "GONGKAI_DATA_DIR": str(data_dir), "GONGKAI_BACKEND": "embedded"}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "search_api.app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=environment)
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/sites", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the API server did not start")


# --- load generator (runs in its own process) --------------------------------------------------------------


def search_paths(count: int, rng: random.Random) -> list[str]:
    paths = []
    for _ in range(count):
        word = rng.choice(WORDS)
        roll = rng.random()
        if roll < 0.4:
            query = f"q={quote(word)}"
        elif roll < 0.6:
            query = f"q={quote(word + ' ' + rng.choice(WORDS))}"
        elif roll < 0.75:
            query = f"q={quote(chr(34) + word + chr(34))}&sort=published_date"
        elif roll < 0.9:
            query = f"q={quote(word)}&site={rng.choice(FILTER_SITES)}&published_from=2018-01-01"
        else:
            query = f"q={quote(word)}&include=facets"
        paths.append(f"/search?{query}")
    return paths


async def drive(base_url: str, paths: list[str], clients: int) -> dict[str, float]:
    import aiohttp

    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for path in paths:
        queue.put_nowait(path)

    async def client_loop(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        while True:
            try:
                path = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            try:
                async with session.get(base_url + path) as response:
                    await response.read()
                    if response.status != 200:
                        errors += 1
            except aiohttp.ClientError:
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)

    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(session) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return {
        "requests": len(ordered),
        "errors": errors,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
        "rps": len(ordered) / elapsed,
    }


def loadgen(base_url: str, data_dir: Path, clients: int, requests: int) -> None:
    rng = random.Random(5)
    numbers = json.loads((data_dir / "bench-numbers.json").read_text())
    spellings = (
        lambda n: n,
        lambda n: n.replace("〔", "[").replace("〕", "]"),
        lambda n: n.replace("〔", "（").replace("〕", "）"),
    )
    number_paths = [
        f"/doc-numbers/{quote(rng.choice(spellings)(rng.choice(numbers)), safe='')}" for _ in range(requests)
    ]
    lookup_only = [f"{path}?series=false" for path in number_paths]
    lookup_paths = [f"/search?q={quote(rng.choice(numbers))}" for _ in range(requests)]
    plans = {
        "search": search_paths(requests, rng),
        "search (文号 query)": lookup_paths,
        "doc-number": number_paths,
        "doc-number (series=false)": lookup_only,
        "coverage": ["/coverage"] * max(1, requests // 10),
    }
    results = {}
    for name, paths in plans.items():
        asyncio.run(drive(base_url, paths[: max(20, len(paths) // 10)], clients))  # warm-up
        results[f"{name}|{clients}"] = asyncio.run(drive(base_url, paths, clients))
        log(f"{name}: p95 {results[f'{name}|{clients}']['p95']:.1f} ms")
    if clients > 1:
        for name in ("search", "doc-number", "doc-number (series=false)"):
            results[f"{name}|1"] = asyncio.run(drive(base_url, plans[name][: max(50, requests // 4)], 1))
    print(json.dumps(results))


# --- main --------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=1000, help="requests per endpoint")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--catalog-records", type=int, default=100_000, help="records also put in the catalogue"
    )
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the data set (reused when it exists)")
    parser.add_argument("--loadgen", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.loadgen:
        loadgen(args.loadgen, args.data_dir, args.clients, args.requests)
        return

    data_dir = (args.data_dir or Path(tempfile.mkdtemp(prefix="gongkai-bench-api-"))).resolve()
    if not (data_dir / "bench-numbers.json").exists():
        log(f"building {args.docs:,} documents in {data_dir}")
        build_data(data_dir, args.docs, min(args.docs, args.catalog_records))
    port = free_port()
    server = start_server(data_dir, port, args.workers)
    try:
        output = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--loadgen",
                f"http://127.0.0.1:{port}",
                "--data-dir",
                str(data_dir),
                "--clients",
                str(args.clients),
                "--requests",
                str(args.requests),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        sys.stderr.write(output.stderr)
        results = json.loads(output.stdout.strip().splitlines()[-1])
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.keep and args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)

    print(f"\n### API latency — embedded backend, {args.docs:,} docs\n")
    print(
        f"uvicorn workers: {args.workers}; load generator: separate process (aiohttp), loopback; "
        f"{os.cpu_count()} CPUs shared by server and load generator; {date.today()}\n"
    )
    print(
        "| endpoint | clients | requests | errors | p50 ms | p95 ms | p99 ms | max ms | req/s | target p95 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for key, row in results.items():
        name, clients = key.split("|")
        target = TARGETS_MS.get(name) if int(clients) == args.clients else None
        verdict = f"≤ {target:.0f} ms {'✅' if row['p95'] <= target else '❌'}" if target else "—"
        print(
            f"| {name} | {clients} | {row['requests']:,} | {row['errors']} | {row['p50']:.1f} | "
            f"{row['p95']:.1f} | {row['p99']:.1f} | {row['max']:.1f} | {row['rps']:.0f} | {verdict} |"
        )


if __name__ == "__main__":
    main()
