"""Crawl benchmark against the simulated portal: full pipeline vs a bare Scrapy fetcher, unchanged recrawl,
CPU per detail page and peak memory, for growing site sizes.

    .venv/bin/python bench/bench_crawl.py --docs 500,2000 [--site jinan-gov] [--concurrency 16] [--repeat 3]

`--docs` is the number of documents of the crawled site (the portal is sized so that site gets them).
Prints markdown tables. Each crawl runs in its own process; its CPU time includes its extraction worker
processes. Memory is reported two ways: peak RSS is the largest ru_maxrss of that process and its workers, which
also counts the index and archive files the process maps or reads (page cache the kernel can drop at any time,
and growing with the index); peak anonymous memory is the largest sum of `RssAnon` (Linux /proc) over the crawl
process and its workers, sampled every 0.2 s: the memory the crawl itself holds, which must stay flat as the site
grows. `--repeat N` measures the first crawl and the bare fetch N times each, alternating, and keeps the best rate
of each: on a shared machine, other load only ever slows a run down.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import machine_line  # noqa: E402
from portal.sites import SITES, site_spec  # noqa: E402

PYTHON = sys.executable
GONGKAI = str(Path(sys.executable).parent / "gongkai")


@dataclass
class Measured:
    seconds: float
    cpu_seconds: float
    max_rss_mb: float
    max_anon_mb: float
    report: dict[str, object]


def portal_docs_for(site_id: str, site_docs: int) -> int:
    weight = site_spec(site_id).weight
    total = sum(s.weight for s in SITES)
    return math.ceil(site_docs * total / weight)


class PortalProcess:
    """The portal in a process of its own, started fresh for every measurement so that no run profits from
    pages or attachments another run made the portal render and cache."""

    def __init__(self, docs: int, base_port: int) -> None:
        self.docs, self.base_port = docs, base_port
        self.process: subprocess.Popen[bytes] | None = None

    def base_url(self, site: str) -> str:
        return f"http://127.0.0.1:{self.base_port + site_spec(site).number}/"

    def __enter__(self) -> PortalProcess:
        import httpx

        command = [
            GONGKAI,
            "portal",
            "serve",
            "--seed",
            "7",
            "--docs",
            str(self.docs),
            "--base-port",
            str(self.base_port),
        ]
        self.process = subprocess.Popen(
            command, cwd=REPO, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(self.base_url(SITES[-1].id) + "robots.txt", timeout=1)
                return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("portal did not start")

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=30)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO)
    return env


def _anon_mb(pid: int) -> float:
    """Anonymous resident memory (MiB) of a process and its descendants; 0 when /proc cannot tell."""
    total_kb = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("RssAnon:"):
                        total_kb += int(line.split()[1])
                        break
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as children:
                pending.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return total_kb / 1024


class _AnonPeak(threading.Thread):
    """Samples the anonymous memory of a process tree until stopped; `peak_mb` is the largest sample."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_mb = 0.0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak_mb = max(self.peak_mb, _anon_mb(self.pid))
            self._stop_event.wait(self.interval)

    def stop(self) -> float:
        self._stop_event.set()
        self.join()
        return self.peak_mb


def _run_measured(command: list[str]) -> tuple[float, float, float, float, str]:
    """Run a child; return wall seconds, CPU seconds, peak RSS (MiB) of that child alone, peak anonymous memory
    (MiB) of the child and its workers, and its stdout."""
    started = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as out:
        child = subprocess.Popen(
            command, cwd=REPO, env=_env(), stdout=out, stderr=subprocess.DEVNULL, text=True
        )
        sampler = _AnonPeak(child.pid)
        sampler.start()
        # the sampler reads /proc of a live child; reaping it (wait4) ends what there is to read
        _, status, usage = os.wait4(child.pid, 0)
        anon_mb = sampler.stop()
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        text = out.read()
    if child.returncode not in (0, 1):
        raise RuntimeError(f"{command[:3]} exited {child.returncode}:\n{text[-2000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, anon_mb, text


def crawl(site: str, base_url: str, data_dir: Path, concurrency: int) -> Measured:
    command = [
        GONGKAI,
        "crawl",
        site,
        "--data-dir",
        str(data_dir),
        "--base-url",
        f"{site}={base_url}",
        "--set",
        "DOWNLOAD_DELAY=0",
        "--set",
        "AUTOTHROTTLE_ENABLED=false",
        "--set",
        "LOG_LEVEL=WARNING",
        "--set",
        f"CONCURRENT_REQUESTS={concurrency}",
        "--set",
        f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}",
    ]
    seconds, cpu, rss, anon, _ = _run_measured(command)
    with sqlite3.connect(data_dir / "catalog.sqlite3") as db:
        row = db.execute(
            "SELECT report_json FROM runs WHERE site=? ORDER BY started_at DESC LIMIT 1", (site,)
        ).fetchone()
    return Measured(seconds, cpu, rss, anon, json.loads(row[0]))


def archived_urls(data_dir: Path, out: Path) -> int:
    """The URLs the full crawl fetched (every archived response, in order), for the bare fetcher."""
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    with out.open("w", encoding="utf-8") as handle:
        for path in sorted((data_dir / "warc").glob("gongkai-*.warc.gz")):
            with path.open("rb") as stream:
                for record in ArchiveIterator(stream):
                    if record.rec_type != "response":
                        continue
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    if url.endswith("/robots.txt"):
                        continue
                    handle.write(url + "\n")
                    count += 1
    return count


def bare_fetch(url_file: Path, concurrency: int) -> tuple[float, int, float]:
    """A bare Scrapy spider fetching the same URLs at the same concurrency, doing nothing with them.
    Returns its seconds, responses and CPU seconds (startup included)."""
    command = [PYTHON, __file__, "--bare-worker", str(url_file), "--concurrency", str(concurrency)]
    _, cpu, _, _, text = _run_measured(command)
    result = json.loads(text.strip().splitlines()[-1])
    return float(result["seconds"]), int(result["responses"]), cpu


def bare_worker(url_file: Path, concurrency: int) -> None:
    import scrapy
    from scrapy.crawler import CrawlerProcess

    timing: dict[str, float] = {}

    class BareSpider(scrapy.Spider):
        name = "bare"
        responses = 0

        async def start(self):  # type: ignore[no-untyped-def]
            timing["start"] = time.perf_counter()
            with url_file.open(encoding="utf-8") as handle:
                for line in handle:
                    # same method as the crawl would not matter for a GET-only comparison; Hanweb lists are
                    # fetched by GET with the same query (the portal accepts both)
                    yield scrapy.Request(line.strip(), callback=self.parse, dont_filter=True)

        def parse(self, response):  # type: ignore[no-untyped-def]
            BareSpider.responses += 1
            return None

        def closed(self, reason: str) -> None:
            timing["end"] = time.perf_counter()

    process = CrawlerProcess(
        {
            "LOG_LEVEL": "ERROR",
            "ROBOTSTXT_OBEY": False,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "HTTPERROR_ALLOW_ALL": True,
            "RETRY_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
        }
    )
    process.crawl(BareSpider)
    process.start()
    print(json.dumps({"seconds": timing["end"] - timing["start"], "responses": BareSpider.responses}))


def _rate(measured: Measured) -> float:
    return int(measured.report["requests"]) / float(measured.report["duration_seconds"])  # type: ignore[call-overload, arg-type]


def bench_size(
    site: str,
    site_docs: int,
    concurrency: int,
    keep: bool,
    base_port: int,
    bare: bool = True,
    repeat: int = 1,
) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix=f"bench-crawl-{site_docs}-"))
    docs = portal_docs_for(site, site_docs)
    try:
        first: Measured | None = None
        first_data = work / "data-0"
        bare_seconds, bare_responses, bare_cpu = math.nan, 0, math.nan
        for attempt in range(repeat):  # first crawl and bare fetch alternate; the best of each is kept
            data = work / f"data-{attempt}"
            with PortalProcess(docs, base_port) as portal:
                measured = crawl(site, portal.base_url(site), data, concurrency)
            if first is None or _rate(measured) > _rate(first):
                first, first_data = measured, data
            urls = work / "urls.txt"
            archived_urls(data, urls)
            if bare:
                with PortalProcess(docs, base_port):
                    seconds, responses, cpu = bare_fetch(urls, concurrency)
                if math.isnan(bare_seconds) or responses / seconds > bare_responses / bare_seconds:
                    bare_seconds, bare_responses, bare_cpu = seconds, responses, cpu
        assert first is not None
        with PortalProcess(docs, base_port) as portal:
            again = crawl(site, portal.base_url(site), first_data, concurrency)
        report = first.report
        requests = int(report["requests"])  # type: ignore[call-overload]
        records = report["records"]
        details = int(report["detail_pages"])  # type: ignore[call-overload]
        again_requests = int(again.report["requests"])  # type: ignore[call-overload]
        again_lists = int(again.report["list_pages"])  # type: ignore[call-overload]
        full_rate = _rate(first)
        bare_rate = bare_responses / bare_seconds if bare else math.nan
        return {
            "docs": site_docs,
            "records": records["new"],  # type: ignore[index]
            "requests": requests,
            "full_rate": full_rate,
            "bare_rate": bare_rate,
            "ratio": full_rate / bare_rate,
            "again_requests": again_requests,
            "again_share": again_requests / requests,
            "beyond_lists": (again_requests - again_lists) / requests,
            "again_details": int(again.report["detail_pages"]),  # type: ignore[call-overload]
            "cpu_ms_per_detail": 1000 * first.cpu_seconds / max(details, 1),
            "cpu_ms_per_request": 1000 * first.cpu_seconds / max(requests, 1),
            "bare_cpu_ms_per_request": 1000 * bare_cpu / max(bare_responses, 1),
            "rss_first": first.max_rss_mb,
            "rss_again": again.max_rss_mb,
            "anon_first": first.max_anon_mb,
            "anon_again": again.max_anon_mb,
            "ok": bool(report["ok"]) and bool(again.report["ok"]),
        }
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", default="500,2000", help="comma-separated site sizes (documents)")
    parser.add_argument("--site", default="jinan-gov")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--keep", action="store_true", help="keep the data folders")
    parser.add_argument("--base-port", type=int, default=18500, help="portal ports: base+1 .. base+9")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare-Scrapy baseline (memory runs)")
    parser.add_argument("--repeat", type=int, default=1, help="first crawl and bare fetch: best of N runs")
    parser.add_argument("--bare-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    print(machine_line())
    if args.bare_worker:
        bare_worker(args.bare_worker, args.concurrency)
        return
    rows = [
        bench_size(
            args.site, int(n), args.concurrency, args.keep, args.base_port, not args.no_bare, args.repeat
        )
        for n in args.docs.split(",")
    ]
    print(
        f"\n### Crawl throughput: full pipeline vs bare Scrapy ({args.site}, concurrency {args.concurrency},"
        f" best of {args.repeat})\n"
    )
    print("| site docs | records | requests | full req/s | bare req/s | ratio (target ≥ 0.7) | run ok |")
    print("|---:|---:|---:|---:|---:|---:|:---:|")
    for r in rows:
        print(
            f"| {r['docs']} | {r['records']} | {r['requests']} | {r['full_rate']:.1f} | {r['bare_rate']:.1f} |"
            f" {r['ratio']:.2f} | {'yes' if r['ok'] else 'NO'} |"
        )
    print("\n### Unchanged recrawl\n")
    print(
        "| site docs | first requests | recrawl requests | share | beyond list pages (target ≤ 5%) | detail pages |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['docs']} | {r['requests']} | {r['again_requests']} | {r['again_share']:.1%} |"
            f" {r['beyond_lists']:.2%} | {r['again_details']} |"
        )
    print("\n### Cost and memory\n")
    print(
        "| site docs | CPU ms / detail page | CPU ms / request: full | bare |"
        " peak anonymous memory first crawl / recrawl (MiB) | peak RSS incl. mapped files first crawl / recrawl (MiB) |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['docs']} | {r['cpu_ms_per_detail']:.1f} | {r['cpu_ms_per_request']:.1f} |"
            f" {r['bare_cpu_ms_per_request']:.1f} | {r['anon_first']:.0f} / {r['anon_again']:.0f} |"
            f" {r['rss_first']:.0f} / {r['rss_again']:.0f} |"
        )


if __name__ == "__main__":
    main()
