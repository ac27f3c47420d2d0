"""In-process latency of the document-number path and of /search on an existing embedded index; prints tables.

    .venv/bin/python bench/bench_docnumber_path.py /tmp/benchapi/1m/index /tmp/benchapi/1m/bench-numbers.json \
        [--numbers 60] [--repeat 3]

Read-only: the index is opened and searched, never written. Per call: `series_view`, the whole
`doc_number_report` (held + citing + series), and `EmbeddedBackend.search` (size 20, no facets) split into the
tantivy query alone and the rest (hit loading, validation, snippets). p50/p95 over every repetition.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import tantivy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import machine_line
from indexer.backends.base import SearchRequest
from indexer.backends.embedded import EmbeddedBackend
from indexer.backends.request import validate
from search_api.models import DocNumberInfo
from search_api.queries.docnumbers import doc_number_report, series_view
from search_api.queries.search import doc_number_info

QUERIES = ["环境", "公开", "环境保护", "安全生产", "环境保护 管理", '"信息公开工作"', "财政 预算 公开"]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    function()  # warm the caches once
    samples: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(1000 * (time.perf_counter() - start))
    return samples


def bench_doc_numbers(backend: EmbeddedBackend, numbers: list[DocNumberInfo], repeat: int) -> None:
    print("| call | samples | p50 ms | p95 ms |\n|---|---:|---:|---:|")
    calls: dict[str, Callable[[DocNumberInfo], object]] = {
        "series_view": lambda n: series_view(backend, n.issuer_code or "", n.year or 0),
        "doc_number_report": lambda n: doc_number_report(backend, n),
    }
    for label, call in calls.items():
        samples = [ms for number in numbers for ms in timed(partial(call, number), repeat)]
        print(
            f"| {label} | {len(samples)} | {percentile(samples, 0.5):.1f} | {percentile(samples, 0.95):.1f} |"
        )


def bench_search(backend: EmbeddedBackend, repeat: int) -> None:
    print("\n| query | total | search p50 ms | p95 ms | tantivy alone p50 ms |\n|---|---:|---:|---:|---:|")
    for text in QUERIES:
        request = SearchRequest(q=text, size=20, facets=[])
        searcher = backend._searcher()
        query = backend._build_query(searcher, validate(request), request.filters)
        total = backend.search(request).total
        whole = timed(partial(backend.search, request), repeat)
        engine = timed(partial(searcher.search, query, 20, count=True, order=tantivy.Order.Desc), repeat)
        print(
            f"| {text} | {total} | {percentile(whole, 0.5):.1f} | {percentile(whole, 0.95):.1f} "
            f"| {percentile(engine, 0.5):.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("index", type=Path)
    parser.add_argument("numbers_json", type=Path)
    parser.add_argument("--numbers", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--search-repeat", type=int, default=15)
    args = parser.parse_args()
    print(machine_line())
    backend = EmbeddedBackend(args.index)
    texts: list[str] = json.loads(args.numbers_json.read_text(encoding="utf-8"))
    numbers = [info for info in (doc_number_info(t) for t in texts[: args.numbers]) if info.canonical]
    bench_doc_numbers(backend, numbers, args.repeat)
    bench_search(backend, args.search_repeat)


if __name__ == "__main__":
    main()
