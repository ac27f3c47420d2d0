"""API benchmark: latency percentiles and throughput of /search, /doc-numbers/{n} and /coverage under load.

    .venv/bin/python bench/bench_api.py --docs 100000 --clients 8 --requests 2000
    .venv/bin/python bench/bench_api.py --docs 1000000 --data-dir DIR --keep --no-closed --rates 20,50,100 --compare

Builds an embedded index of N synthetic records (plus a catalogue with sites, columns and records), starts the
API with uvicorn in its own process, and drives it from a separate load-generator process (aiohttp, asyncio, C
concurrent clients) over loopback. Each endpoint gets a warm-up, then M requests; the search and doc-number
lookups are also run with a single client (service time without queueing). Prints markdown tables (stdout);
progress goes to stderr. `--data-dir DIR --keep` reuses a built data set on the next run.

Closed loop (`--clients C`, no think time) measures throughput; latency under load is measured open loop
(`--rates 20,50,100 --duration 20`): requests arrive at a fixed mean rate with Poisson (exponential) gaps,
independent of the answers, each on its own connection if need be, and a latency counts from the request's
scheduled arrival (so a stalled server or client shows up as latency, not as a lower offered rate). The open-loop
tables cover the search mix, the default document-number lookup and a trivial page (the floor: same server,
routing and middleware, no work), with the server's CPU per request; each rate (and the warm-up) draws its own
requests from the same mix, so a rate never repeats the requests of the one before (answers the server caches,
such as facet counts or a number's series view, are only reused as often as the mix itself repeats them).
`--compare` also prints the HTTP /search throughput beside in-process `backend.search` on the same queries.

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

from bench.cpu import tree_cpu_seconds  # noqa: E402
from bench.machine import machine_line  # noqa: E402

TARGETS_MS = {"search": 30.0, "doc-number": 5.0}  # at 1,000,000 docs, 8 concurrent clients
OPEN_LOOP_TARGETS_MS = {"search mix": 50.0, "doc-number": 10.0}  # at 1,000,000 docs, 50 req/s offered
# the floor under the same load: a constant page through the same server, routing and middleware
TRIVIAL = "trivial (GET /docs)"
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
    catalog = Catalog(settings.catalog_location)
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
    (data_dir / "bench-docs.txt").write_text(f"{docs}\n")
    log(f"data set ready in {time.perf_counter() - started:.0f} s")


def check_index(data_dir: Path) -> None:
    """A reused data set whose index this version cannot open (an older schema) stops the run with the reason,
    instead of timing 503 answers."""
    from indexer.backends.base import BackendUnavailable
    from indexer.backends.embedded import EmbeddedBackend
    from indexer.config import Settings

    try:
        EmbeddedBackend(Settings(data_dir=data_dir).index_dir).close()
    except BackendUnavailable as error:
        raise SystemExit(
            f"cannot reuse {data_dir}: {error}\n(build a new data set in another --data-dir)"
        ) from error


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


async def drive_open_loop(base_url: str, paths: list[str], rate: float, duration: float, seed: int) -> dict:
    """Poisson arrivals at `rate` per second for `duration` seconds, never waiting for answers."""
    import aiohttp

    rng = random.Random(seed)
    arrivals: list[float] = []
    moment = rng.expovariate(rate)
    while moment < duration:
        arrivals.append(moment)
        moment += rng.expovariate(rate)
    latencies: list[float] = []
    errors = 0
    connector = aiohttp.TCPConnector(limit=0)  # no client-side queue: a request never waits for a connection
    timeout = aiohttp.ClientTimeout(total=30)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        origin = time.perf_counter() + 0.05

        async def fire(path: str, at: float) -> None:
            nonlocal errors
            try:
                async with session.get(base_url + path) as response:
                    await response.read()
                    if response.status != 200:
                        errors += 1
            except (aiohttp.ClientError, TimeoutError):
                errors += 1
            latencies.append((time.perf_counter() - (origin + at)) * 1000)

        tasks = []
        for index, at in enumerate(arrivals):
            delay = origin + at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(fire(paths[index % len(paths)], at)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - origin
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return {
        "rate": rate,
        "requests": len(ordered),
        "errors": errors,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "max": ordered[-1],
        "achieved": len(ordered) / elapsed,
    }


def number_paths(numbers: list[str], count: int, rng: random.Random) -> list[str]:
    spellings = (
        lambda n: n,
        lambda n: n.replace("〔", "[").replace("〕", "]"),
        lambda n: n.replace("〔", "（").replace("〕", "）"),
    )
    return [
        f"/doc-numbers/{quote(rng.choice(spellings)(rng.choice(numbers)), safe='')}" for _ in range(count)
    ]


def loadgen_open(base_url: str, data_dir: Path, rates: list[float], duration: float, server_pid: int) -> None:
    rng = random.Random(7)
    numbers = json.loads((data_dir / "bench-numbers.json").read_text())
    per_rate = [int(rate * duration * 1.5) + 50 for rate in rates]
    count = 100 + sum(per_rate)
    plans = {
        "search mix": search_paths(count, rng),
        "doc-number": number_paths(numbers, count, rng),
        TRIVIAL: ["/docs"] * count,
    }
    results = []
    for name, paths in plans.items():
        asyncio.run(drive(base_url, paths[:100], 4))  # warm-up
        start = 100
        for rate, size in zip(rates, per_rate, strict=True):
            # each rate draws its own requests: none was asked before (the server caches per index generation)
            chunk = paths[start : start + size]
            start += size
            cpu_before = tree_cpu_seconds(server_pid)
            row = asyncio.run(drive_open_loop(base_url, chunk, rate, duration, seed=int(rate)))
            row["server_cpu_ms"] = (tree_cpu_seconds(server_pid) - cpu_before) * 1000 / row["requests"]
            row["endpoint"] = name
            results.append(row)
            log(f"open loop {name} at {rate:.0f}/s: p95 {row['p95']:.1f} ms, {row['errors']} errors")
    print(json.dumps(results))


def loadgen(base_url: str, data_dir: Path, clients: int, requests: int) -> None:
    rng = random.Random(5)
    numbers = json.loads((data_dir / "bench-numbers.json").read_text())
    doc_number_paths = number_paths(numbers, requests, rng)
    lookup_only = [f"{path}?series=false" for path in doc_number_paths]
    lookup_paths = [f"/search?q={quote(rng.choice(numbers))}" for _ in range(requests)]
    plans = {
        "search": search_paths(requests, rng),
        "search (文号 query)": lookup_paths,
        "doc-number": doc_number_paths,
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


def loadgen_compare(base_url: str, data_dir: Path, clients: int) -> None:
    paths = json.loads((data_dir / "compare-paths.json").read_text())
    asyncio.run(drive(base_url, paths[:100], clients))  # warm-up
    print(json.dumps(asyncio.run(drive(base_url, paths, clients))))


def search_requests(paths: list[str]) -> list:
    """The SearchRequest the API builds for each /search path, through the API's own parameter handling."""
    from urllib.parse import parse_qs, urlsplit

    from indexer.backends.base import FACET_FIELDS
    from search_api.models import Include
    from search_api.params import search_query

    async def build() -> list:
        requests = []
        for path in paths:
            params = parse_qs(urlsplit(path).query)
            kwargs: dict = {"q": params.get("q", [""])[0], "site": params.get("site", [])}
            if "published_from" in params:
                kwargs["published_from"] = date.fromisoformat(params["published_from"][0])
            if "sort" in params:
                kwargs["sort"] = params["sort"][0]
            kwargs["include"] = [Include(value) for value in params.get("include", [])]
            query = await search_query(**kwargs)
            facets = list(FACET_FIELDS) if query.wants(Include.facets) else []
            requests.append(query.request.model_copy(update={"facets": facets}))  # as run_search asks
        return requests

    return asyncio.run(build())


def inprocess_throughput(data_dir: Path, paths: list[str]) -> tuple[float, float]:
    """Searches per second of `backend.search` called in this process, one after another, same queries, and
    the CPU ms each took."""
    from indexer.backends.embedded import EmbeddedBackend
    from indexer.config import Settings

    requests = search_requests(paths)
    backend = EmbeddedBackend(Settings(data_dir=data_dir).index_dir)
    for request in requests[:100]:
        backend.search(request)
    started, cpu_started = time.perf_counter(), time.process_time()
    for request in requests:
        backend.search(request)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    backend.close()
    return len(requests) / elapsed, cpu * 1000 / len(requests)


def run_loadgen(port: int, server_pid: int, data_dir: Path, mode: str, args: argparse.Namespace) -> object:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--loadgen",
        f"http://127.0.0.1:{port}",
        "--loadgen-mode",
        mode,
        "--data-dir",
        str(data_dir),
        "--clients",
        str(args.clients),
        "--requests",
        str(args.requests),
        "--rates",
        args.rates,
        "--duration",
        str(args.duration),
        "--server-pid",
        str(server_pid),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True)
    sys.stderr.write(output.stderr)
    return json.loads(output.stdout.strip().splitlines()[-1])


def print_closed(results: dict, args: argparse.Namespace) -> None:
    print(f"\n### API latency, closed loop — embedded backend, {args.docs:,} docs\n")
    print(
        f"uvicorn workers: {args.workers}; load generator: separate process (aiohttp), loopback; "
        f"{os.cpu_count()} CPUs shared by server and load generator\n"
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


def print_open(rows: list[dict], args: argparse.Namespace) -> None:
    print(f"\n### API latency under an offered load (open loop, Poisson arrivals) — {args.docs:,} docs\n")
    print(
        f"uvicorn workers: {args.workers}; {args.duration:.0f} s per rate; latency from each request's scheduled "
        "arrival; targets at 50 req/s. Server CPU is all its processes' CPU (from /proc) per request; "
        f"'{TRIVIAL}' is the floor the machine allows under the same load.\n"
    )
    print(
        "| endpoint | offered req/s | achieved req/s | requests | errors | p50 ms | p95 ms | p99 ms | max ms "
        "| server CPU ms / req | target p95 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        target = OPEN_LOOP_TARGETS_MS.get(row["endpoint"]) if row["rate"] == 50 else None
        verdict = f"≤ {target:.0f} ms {'✅' if row['p95'] <= target else '❌'}" if target else "—"
        print(
            f"| {row['endpoint']} | {row['rate']:.0f} | {row['achieved']:.1f} | {row['requests']:,} | "
            f"{row['errors']} | {row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} | {row['max']:.1f} | "
            f"{row['server_cpu_ms']:.2f} | {verdict} |"
        )


def print_compare(http: dict, inprocess: tuple[float, float], args: argparse.Namespace) -> None:
    rate, cpu_ms = inprocess
    ratio = http["rps"] / rate
    cpu_ratio = cpu_ms / http["server_cpu_ms"]
    print(f"\n### /search over HTTP vs in-process backend.search, same {http['requests']:,} queries\n")
    print(
        "The load generator runs on the same CPUs as the server; 'CPU-bound ratio' compares the server's own CPU "
        "per request (all its processes, from /proc) with the in-process CPU per search.\n"
    )
    print("| path | searches/s | CPU ms / search | throughput ratio | CPU-bound ratio | target |")
    print("|---|---:|---:|---:|---:|---|")
    print(f"| in-process `backend.search`, one thread | {rate:.0f} | {cpu_ms:.2f} | 1.00 | 1.00 | — |")
    print(
        f"| HTTP /search, {args.clients} clients, {args.workers} uvicorn worker(s) | {http['rps']:.0f} | "
        f"{http['server_cpu_ms']:.2f} | {ratio:.2f} | {cpu_ratio:.2f} | ≥ 0.80 {'✅' if ratio >= 0.8 else '❌'} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=1000, help="requests per endpoint (closed loop)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--rates", default="20,50,100", help="open-loop offered rates, req/s ('' skips)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per open-loop rate")
    parser.add_argument("--no-closed", action="store_true", help="skip the closed-loop tables")
    parser.add_argument("--compare", action="store_true", help="HTTP vs in-process search throughput")
    parser.add_argument(
        "--catalog-records", type=int, default=100_000, help="records also put in the catalogue"
    )
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the data set (reused when it exists)")
    parser.add_argument("--loadgen", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--loadgen-mode", default="closed", help=argparse.SUPPRESS)
    parser.add_argument("--server-pid", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    rates = [float(rate) for rate in args.rates.split(",") if rate.strip()]

    if args.loadgen:
        if args.loadgen_mode == "open":
            loadgen_open(args.loadgen, args.data_dir, rates, args.duration, args.server_pid)
        elif args.loadgen_mode == "compare":
            loadgen_compare(args.loadgen, args.data_dir, args.clients)
        else:
            loadgen(args.loadgen, args.data_dir, args.clients, args.requests)
        return

    print(machine_line())
    data_dir = (args.data_dir or Path(tempfile.mkdtemp(prefix="gongkai-bench-api-"))).resolve()
    if not (data_dir / "bench-numbers.json").exists():
        log(f"building {args.docs:,} documents in {data_dir}")
        build_data(data_dir, args.docs, min(args.docs, args.catalog_records))
    if (data_dir / "bench-docs.txt").exists():
        args.docs = int((data_dir / "bench-docs.txt").read_text())  # a reused data set states its own size
        check_index(data_dir)
    compare_paths = search_paths(max(args.requests, 500), random.Random(17))
    (data_dir / "compare-paths.json").write_text(json.dumps(compare_paths))
    port = free_port()
    server = start_server(data_dir, port, args.workers)
    closed = opened = http = None
    try:
        if not args.no_closed:
            closed = run_loadgen(port, server.pid, data_dir, "closed", args)
        if rates:
            opened = run_loadgen(port, server.pid, data_dir, "open", args)
        if args.compare:
            cpu_before = tree_cpu_seconds(server.pid)
            http = run_loadgen(port, server.pid, data_dir, "compare", args)
            http["server_cpu_ms"] = (
                (tree_cpu_seconds(server.pid) - cpu_before) * 1000 / (http["requests"] + 100)
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    inprocess = inprocess_throughput(data_dir, compare_paths) if args.compare else None
    if not args.keep and args.data_dir is None:
        shutil.rmtree(data_dir, ignore_errors=True)

    if closed:
        print_closed(closed, args)  # type: ignore[arg-type]
    if opened:
        print_open(opened, args)  # type: ignore[arg-type]
    if http and inprocess:
        print_compare(http, inprocess, args)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
