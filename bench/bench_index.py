"""Index benchmark: indexing rate, query latency, index size and exactness, for both backends.

    .venv/bin/python bench/bench_index.py --docs 100000 --backend both [--es-url http://127.0.0.1:9200]

Generates N synthetic disclosure records (streamed: a million never sit in memory), indexes them in batches,
then measures query latency per query class (warm second pass), bytes per document, and recall/precision of
word, multi-word and phrase queries against a brute-force substring scan of every generated record. For
Elasticsearch it also compares the backend's bulk path with a raw `helpers.bulk` of the same pre-tokenised
documents. Prints markdown tables (stdout); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.machine import machine_line  # noqa: E402
from indexer.backends.base import DateRange, SearchBackend, SearchFilters, SearchRequest  # noqa: E402
from indexer.schema import DisclosureRecord  # noqa: E402
from tests.index.corpus import CITIES, DEPARTMENTS, CorpusGenerator, issuer_name  # noqa: E402

BODY_SENTENCES = (12, 80)  # about 1,200 characters per body, like the engine study's corpus
EXACT_SET_LIMIT = 5_000  # queries with more true hits are checked by count plus the precision of a page


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- queries -----------------------------------------------------------------------------------------------


@dataclass
class QuerySet:
    two_char: list[str] = field(default_factory=list)
    four_char: list[str] = field(default_factory=list)
    multi: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    filtered: list[tuple[str, SearchFilters]] = field(default_factory=list)


def _cjk_runs(text: str) -> list[str]:
    runs, current = [], []
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            current.append(ch)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def pick_queries(per_class: int, seed: int) -> QuerySet:
    """Words and phrases sampled from a pilot corpus (different seed), so frequencies are realistic."""
    rng = random.Random(seed)
    pilot = list(CorpusGenerator(seed + 1000, body_sentences=BODY_SENTENCES).generate(1500))
    runs = [run for record in pilot for run in _cjk_runs(record.title + "。" + record.body_text)]

    def substrings(length: int, count: int) -> list[str]:
        found: list[str] = []
        candidates = [run for run in runs if len(run) >= length]
        while len(found) < count and candidates:
            run = rng.choice(candidates)
            start = rng.randrange(len(run) - length + 1)
            word = run[start : start + length]
            if word not in found:
                found.append(word)
        return found

    queries = QuerySet()
    queries.two_char = substrings(2, per_class)
    queries.four_char = substrings(4, per_class)
    words = queries.two_char + queries.four_char
    queries.multi = [" ".join(rng.sample(words, rng.choice((2, 3)))) for _ in range(per_class)]
    queries.phrases = [f'"{p}"' for p in substrings(rng.randint(5, 8), per_class)]
    for i in range(per_class):
        word = rng.choice(words)
        if i % 2 == 0:
            city = rng.choice(CITIES)
            filters = SearchFilters(issuer=[issuer_name(city, rng.choice(DEPARTMENTS)[0])])
        else:
            start = rng.randint(2012, 2024)
            filters = SearchFilters(
                published_date=DateRange(gte=date(start, 1, 1), lte=date(start + rng.randint(0, 2), 12, 31))
            )
        queries.filtered.append((word, filters))
    return queries


# --- ground truth ------------------------------------------------------------------------------------------


@dataclass
class Truth:
    """Per checked query: the true hit count, and the true id set when it is small enough to compare."""

    terms: dict[str, list[str]]
    counts: dict[str, int] = field(default_factory=dict)
    ids: dict[str, set[str] | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for query in self.terms:
            self.counts[query] = 0
            self.ids[query] = set()

    def observe(self, record: DisclosureRecord) -> None:
        fields = [record.title, record.body_text, *[a.text for a in record.attachments if a.text]]
        for query, terms in self.terms.items():
            if all(any(term in text for text in fields) for term in terms):
                self.counts[query] += 1
                found = self.ids[query]
                if found is not None:
                    found.add(record.id)
                    if len(found) > EXACT_SET_LIMIT:
                        self.ids[query] = None


def truth_terms(queries: QuerySet, per_class: int) -> dict[str, list[str]]:
    checked = queries.two_char[:per_class] + queries.four_char[:per_class] + queries.multi[:per_class]
    checked += queries.phrases[:per_class]
    return {query: query.strip('"').split() for query in checked}


# --- indexing ----------------------------------------------------------------------------------------------


@dataclass
class IndexRun:
    backend: str
    docs: int
    seconds: float
    index_bytes: int
    doc_numbers: list[str]
    truth: Truth
    generate_seconds: float
    client_cpu_seconds: float = 0.0
    """CPU of this process (all its threads) while indexing: analysis, serialisation, the client."""


def stream_batches(count: int, batch: int, seed: int) -> Iterator[list[DisclosureRecord]]:
    generator = CorpusGenerator(seed, body_sentences=BODY_SENTENCES)
    produced = 0
    while produced < count:
        size = min(batch, count - produced)
        yield [generator.record(produced + i) for i in range(size)]
        produced += size


def index_corpus(
    backend: SearchBackend, docs: int, batch: int, seed: int, truth: Truth, finish: Callable[[], None]
) -> IndexRun:
    rng = random.Random(seed)
    numbers: list[str] = []
    seen_numbers = 0
    indexing = 0.0
    generating = 0.0
    client_cpu = 0.0
    done = 0
    started = time.perf_counter()
    batches = stream_batches(docs, batch, seed)
    while True:
        t0 = time.perf_counter()
        records = next(batches, None)
        if records is None:
            break
        for record in records:
            truth.observe(record)
            if record.doc_number:
                seen_numbers += 1
                if len(numbers) < 200:
                    numbers.append(record.doc_number)
                elif rng.random() < 200 / seen_numbers:
                    numbers[rng.randrange(200)] = record.doc_number
        t1 = time.perf_counter()
        cpu = time.process_time()
        backend.upsert(records)
        client_cpu += time.process_time() - cpu
        t2 = time.perf_counter()
        generating += t1 - t0
        indexing += t2 - t1
        done += len(records)
        if done % (batch * 10) == 0 or done == docs:
            log(
                f"{backend.name}: {done:,}/{docs:,} indexed, {done / indexing:,.0f} docs/s (indexing time only)"
            )
    t0 = time.perf_counter()
    finish()
    indexing += time.perf_counter() - t0
    log(f"{backend.name}: finished in {time.perf_counter() - started:.0f} s wall")
    return IndexRun(backend.name, docs, indexing, 0, numbers, truth, generating, client_cpu)


def directory_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- measuring queries -------------------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed(calls: list[Callable[[], Any]]) -> list[float]:
    for call in calls:  # first pass warms caches
        call()
    timings = []
    for call in calls:
        t0 = time.perf_counter()
        call()
        timings.append((time.perf_counter() - t0) * 1000)
    return timings


def latency_rows(
    backend: SearchBackend, queries: QuerySet, numbers: list[str]
) -> list[tuple[str, list[float]]]:
    def search(
        q: str, filters: SearchFilters | None = None, facets: list[str] | None = None
    ) -> Callable[[], Any]:
        request = SearchRequest(q=q, size=10, facets=facets or [], filters=filters or SearchFilters())
        return lambda: backend.search(request)

    def uncached(call: Callable[[], Any]) -> Callable[[], Any]:
        drop = getattr(backend, "drop_caches", lambda: None)
        return lambda: (drop(), call())

    all_facets = ["site", "issuer", "column", "category", "year"]
    return [
        ("2-character words", timed([search(q) for q in queries.two_char])),
        ("4-character words", timed([search(q) for q in queries.four_char])),
        ("multi-word AND", timed([search(q) for q in queries.multi])),
        ("phrases (5-8 chars)", timed([search(q) for q in queries.phrases])),
        ("word + issuer/date filter", timed([search(q, f) for q, f in queries.filtered])),
        ("word + 5 facets", timed([search(q, facets=all_facets) for q in queries.two_char[:20]])),
        # the embedded backend caches facet counts per index generation: the row above is a repeated query,
        # this one the first time a query's facets are counted
        (
            "word + 5 facets, uncached",
            timed([uncached(search(q, facets=all_facets)) for q in queries.two_char[:20]]),
        ),
        ("doc-number lookup", timed([(lambda n=n: backend.lookup_doc_number(n)) for n in numbers[:100]])),
    ]


@dataclass
class Quality:
    exact_queries: int = 0
    count_queries: int = 0
    true_positives: int = 0
    returned: int = 0
    relevant: int = 0
    count_mismatches: list[str] = field(default_factory=list)
    page_precision_hits: int = 0
    page_precision_total: int = 0


def all_ids(backend: SearchBackend, query: str) -> set[str]:
    ids: set[str] = set()
    page = 1
    while True:
        response = backend.search(SearchRequest(q=query, page=page, size=100, facets=[], highlight=False))
        ids.update(hit.record.id for hit in response.hits)
        if len(response.hits) < 100:
            return ids
        page += 1


def measure_quality(backend: SearchBackend, truth: Truth) -> Quality:
    quality = Quality()
    for query, terms in truth.terms.items():
        expected = truth.ids[query]
        if expected is not None:
            found = all_ids(backend, query)
            quality.exact_queries += 1
            quality.true_positives += len(found & expected)
            quality.returned += len(found)
            quality.relevant += len(expected)
            continue
        quality.count_queries += 1
        response = backend.search(SearchRequest(q=query, size=100, facets=[], highlight=False))
        if response.total != truth.counts[query]:
            quality.count_mismatches.append(f"{query}: {response.total} vs {truth.counts[query]}")
        for hit in response.hits:
            fields = [hit.record.title, hit.record.body_text, *[a.text or "" for a in hit.record.attachments]]
            quality.page_precision_total += 1
            if all(any(term in text for text in fields) for term in terms):
                quality.page_precision_hits += 1
    return quality


# --- reporting ---------------------------------------------------------------------------------------------


def ratio(a: int, b: int) -> str:
    return f"{a / b:.4f}" if b else "n/a"


def print_report(
    runs: list[IndexRun], latencies: dict[str, list[tuple[str, list[float]]]], qualities: dict[str, Quality]
) -> None:
    print("\n### Indexing\n")
    print("| backend | docs | indexing docs/s | index bytes/doc | index MB |")
    print("|---|---|---|---|---|")
    for run in runs:
        print(
            f"| {run.backend} | {run.docs:,} | {run.docs / run.seconds:,.0f} | "
            f"{run.index_bytes / max(run.docs, 1):,.0f} | {run.index_bytes / 1e6:,.1f} |"
        )
    print("\n### Query latency, warm second pass, ms (p50 / p95); search = top 10 + total + snippets\n")
    classes = [name for name, _ in next(iter(latencies.values()))]
    print("| query class (n) | " + " | ".join(latencies) + " |")
    print("|---|" + "---|" * len(latencies))
    for index, name in enumerate(classes):
        cells = []
        for rows in latencies.values():
            timings = rows[index][1]
            cells.append(f"{percentile(timings, 50):.2f} / {percentile(timings, 95):.2f}")
        count = len(next(iter(latencies.values()))[index][1])
        print(f"| {name} ({count}) | " + " | ".join(cells) + " |")
    print("\n### Exactness vs brute-force substring scan of every generated record\n")
    print(
        "| backend | queries with full hit-set comparison | recall | precision | "
        "frequent queries: count equal | frequent queries: precision of first 100 |"
    )
    print("|---|---|---|---|---|---|")
    for name, quality in qualities.items():
        equal = quality.count_queries - len(quality.count_mismatches)
        print(
            f"| {name} | {quality.exact_queries} | {ratio(quality.true_positives, quality.relevant)} | "
            f"{ratio(quality.true_positives, quality.returned)} | {equal}/{quality.count_queries} | "
            f"{ratio(quality.page_precision_hits, quality.page_precision_total)} |"
        )
        for mismatch in quality.count_mismatches[:5]:
            print(f"\n- {name} count mismatch: {mismatch}")


def latency_of_existing_index(index_dir: Path, queries: QuerySet, per_class: int) -> int:
    from indexer.backends.embedded import EmbeddedBackend

    backend = EmbeddedBackend(index_dir)
    numbered = backend.search(SearchRequest(size=100, facets=[], filters=SearchFilters(has_doc_number=True)))
    numbers = [hit.record.doc_number for hit in numbered.hits if hit.record.doc_number]
    docs = backend.stats().total
    log(f"existing index {index_dir}: {docs:,} documents; measuring latency")
    rows = latency_rows(backend, queries, numbers)
    print(f"\n## bench_index: existing embedded index of {docs:,} documents, {per_class} queries per class\n")
    print(
        "Index built by another run (its corpus, not this script's); indexing rate and exactness not measured.\n"
    )
    print("| query class (n) | p50 ms | p95 ms |")
    print("|---|---|---|")
    for name, timings in rows:
        print(f"| {name} ({len(timings)}) | {percentile(timings, 50):.2f} | {percentile(timings, 95):.2f} |")
    backend.close()
    return 0


# --- plain baselines ---------------------------------------------------------------------------------------


def bigram_baseline(docs: int, batch: int, seed: int, workdir: Path) -> tuple[float, int]:
    """docs/s and bytes/doc of a bigram-only tantivy index of the same records: what indexing costs without the
    project's gram and filter fields (id, the bigram tokens of title/body/attachments with positions, and the
    stored record), tokenised by the same `token_string` and committed per batch like the backend."""
    import tantivy

    from indexer.analysis import token_string
    from indexer.backends.document import attachment_text

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=False, tokenizer_name="raw", index_option="basic")
    for name in ("title", "body", "att"):
        builder.add_text_field(name, stored=False, tokenizer_name="whitespace", index_option="position")
    builder.add_bytes_field("record", stored=True)
    path = workdir / "bigram-baseline"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    index = tantivy.Index(builder.build(), path=str(path))
    writer = index.writer(heap_size=256_000_000, num_threads=1)
    seconds = 0.0
    for records in stream_batches(docs, batch, seed):
        t0 = time.perf_counter()
        for record in records:
            doc = tantivy.Document()
            doc.add_text("id", record.id)
            doc.add_text("title", token_string(record.title))
            doc.add_text("body", token_string(record.body_text))
            attachments = attachment_text(record)
            if attachments:
                doc.add_text("att", token_string(attachments))
            doc.add_bytes("record", record.model_dump_json().encode("utf-8"))
            writer.delete_documents_by_term("id", record.id)
            writer.add_document(doc)
        writer.commit()
        seconds += time.perf_counter() - t0
    t0 = time.perf_counter()
    writer.wait_merging_threads()
    seconds += time.perf_counter() - t0
    size = directory_bytes(path)
    shutil.rmtree(path, ignore_errors=True)
    log(f"bigram-only tantivy baseline: {docs / seconds:,.0f} docs/s")
    return docs / seconds, size // max(docs, 1)


@dataclass
class EsCost:
    """What loading an Elasticsearch index cost: wall rate, the node's own CPU, and store bytes per document."""

    docs_per_second: float
    engine_cpu_ms: float
    """Elasticsearch's process CPU (`_nodes/stats`) per document while loading, refresh and flush included."""
    client_cpu_ms: float
    """This process's CPU per document while loading (building the requests, analysis included for ours)."""
    loaded_bytes: int
    """Primary store bytes per document right after loading (refresh + flush), `_recovery_source` included."""
    pruned_bytes: int = 0
    """The same once the recovery source could be dropped: retention leases past every operation, then a force
    merge to one segment (what later merges do to an index over time)."""


def es_cpu_seconds(client: Any) -> float:
    """CPU seconds the Elasticsearch nodes' processes have used (their own accounting, so it holds on a shared
    machine where wall time does not)."""
    nodes = client.nodes.stats(metric="process")["nodes"].values()
    return sum(node["process"]["cpu"]["total_in_millis"] for node in nodes) / 1000


def es_store_bytes(client: Any, index: str) -> int:
    """Bytes of the primary shards' live segments (the store's total also counts files that an older reader or
    an unfinished merge still holds, which come and go with timing: once 16 KB/doc where the segments held 11)."""
    segments = client.cat.segments(index=index, format="json", bytes="b", h="prirep,segment,size").body
    return sum(int(segment["size"]) for segment in segments if segment["prirep"] == "p")


def es_prune_recovery_source(client: Any, index: str, timeout: float = 120.0) -> int:
    """Store bytes of `index` after its `_recovery_source` is dropped, the way `ElasticsearchBackend.compact`
    drops it from the backend's index (the plain baseline is no backend index).

    Elasticsearch keeps the full source of each operation that a shard copy's peer-recovery retention lease may
    still need (`_recovery_source`, when the mapping filters `_source`); the primary renews its own lease to the
    global checkpoint on the retention-lease sync (every 30 s, not an index setting), and only a merge after that
    drops the field. So: wait until every lease retains nothing below the last operation, then merge to one
    segment. An index without a filtered `_source` has no recovery source, and the merge alone applies.
    """
    deadline = time.monotonic() + timeout
    while True:
        shards = client.indices.stats(index=index, level="shards")["indices"]
        copies = [copy for name in shards for group in shards[name]["shards"].values() for copy in group]
        if all(
            lease["retaining_seq_no"] > copy["seq_no"]["max_seq_no"]
            for copy in copies
            for lease in copy["retention_leases"]["leases"]
        ):
            break
        if time.monotonic() > deadline:
            log(f"{index}: retention leases did not advance within {timeout:.0f} s; merging anyway")
            break
        time.sleep(1)
    client.indices.flush(index=index, force=True)
    client.indices.forcemerge(index=index, max_num_segments=1, request_timeout=600)
    client.indices.refresh(index=index)
    return es_store_bytes(client, index)


def es_plain_baseline(url: str, docs: int, batch: int, seed: int) -> EsCost:
    """What a plain index of the same records' title and body under the `standard` analyzer costs (what a user
    would set up without analysis plugins), bulk-loaded per batch like the backend."""
    from elasticsearch import Elasticsearch, helpers

    client = Elasticsearch(url, request_timeout=120)
    name = f"bench-plain-{uuid.uuid4().hex[:8]}"
    text = {"type": "text", "analyzer": "standard"}
    client.indices.create(
        index=name,
        settings={"number_of_shards": 1, "number_of_replicas": 0},
        mappings={"properties": {"title": text, "body": text}},
    )
    try:
        seconds = 0.0
        client_cpu = 0.0
        cpu = es_cpu_seconds(client)
        for records in stream_batches(docs, batch, seed):
            t0 = time.perf_counter()
            own = time.process_time()
            actions = [
                {"_index": name, "_id": r.id, "_source": {"title": r.title, "body": r.body_text}}
                for r in records
            ]
            helpers.bulk(client, actions, chunk_size=500)
            client_cpu += time.process_time() - own
            seconds += time.perf_counter() - t0
        t0 = time.perf_counter()
        client.indices.refresh(index=name)
        client.indices.flush(index=name)
        seconds += time.perf_counter() - t0
        cost = EsCost(
            docs / seconds,
            (es_cpu_seconds(client) - cpu) * 1000 / max(docs, 1),
            client_cpu * 1000 / max(docs, 1),
            es_store_bytes(client, name) // max(docs, 1),
        )
        cost.pruned_bytes = es_prune_recovery_source(client, name) // max(docs, 1)
    finally:
        client.indices.delete(index=name, ignore_unavailable=True)
        client.close()
    log(f"plain standard-analyzer Elasticsearch baseline: {cost.docs_per_second:,.0f} docs/s")
    return cost


# --- Elasticsearch bulk comparison -------------------------------------------------------------------------


def es_bulk_comparison(url: str, docs: int, seed: int) -> tuple[float, float]:
    """docs/s of the backend's bulk path vs raw helpers.bulk, same pre-tokenised documents, fresh indices."""
    from elasticsearch import helpers

    from indexer.backends.document import to_index_document
    from indexer.backends.elastic import ElasticsearchBackend, to_source

    backend = ElasticsearchBackend(url, f"bench-bulk-{uuid.uuid4().hex[:8]}")
    backend.ensure_index()
    documents = [to_index_document(r) for batch in stream_batches(docs, 2000, seed) for r in batch]
    raw_index = backend.create_next_index()
    ours_index = backend.create_next_index()
    try:
        t0 = time.perf_counter()
        backend.bulk_documents(ours_index, documents)
        backend._client.indices.refresh(index=ours_index)
        ours = time.perf_counter() - t0
        actions = [{"_index": raw_index, "_id": d.id, "_source": to_source(d)} for d in documents]
        t0 = time.perf_counter()
        helpers.bulk(backend._client, actions, chunk_size=500)
        backend._client.indices.refresh(index=raw_index)
        raw = time.perf_counter() - t0
    finally:
        backend.drop()
    return docs / ours, docs / raw


# --- main --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--backend", choices=["embedded", "elasticsearch", "both"], default="embedded")
    parser.add_argument("--es-url", default=os.environ.get("GONGKAI_TEST_ES_URL", "http://127.0.0.1:9200"))
    parser.add_argument("--queries", type=int, default=40, help="queries per class")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--bulk-docs", type=int, default=20_000, help="documents for the ES raw-bulk comparison"
    )
    parser.add_argument("--workdir", type=Path, default=None, help="where the embedded index goes (temp dir)")
    parser.add_argument(
        "--existing-index",
        type=Path,
        default=None,
        help="only measure query latency on an embedded index built elsewhere (e.g. by bench_api.py --keep)",
    )
    args = parser.parse_args(argv)
    print(machine_line())

    queries = pick_queries(args.queries, args.seed)
    if args.existing_index:
        return latency_of_existing_index(args.existing_index, queries, args.queries)
    kinds = ["embedded", "elasticsearch"] if args.backend == "both" else [args.backend]
    runs: list[IndexRun] = []
    latencies: dict[str, list[tuple[str, list[float]]]] = {}
    qualities: dict[str, Quality] = {}
    bulk: tuple[float, float] | None = None
    baseline: tuple[float, int] | None = None
    plain: EsCost | None = None
    ours_cost: EsCost | None = None
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    for kind in kinds:
        truth = Truth(truth_terms(queries, max(5, args.queries // 2)))
        if kind == "embedded":
            from indexer.backends.embedded import EmbeddedBackend

            index_dir = workdir / "embedded-index"
            shutil.rmtree(index_dir, ignore_errors=True)
            backend: Any = EmbeddedBackend(index_dir)
            run = index_corpus(backend, args.docs, args.batch, args.seed, truth, backend.optimize)
            run.index_bytes = directory_bytes(index_dir)
            log("embedded: bigram-only tantivy baseline of the same records")
            baseline = bigram_baseline(args.docs, args.batch, args.seed, workdir)
        else:
            from indexer.backends.elastic import ElasticsearchBackend

            backend = ElasticsearchBackend(args.es_url, f"bench-{uuid.uuid4().hex[:8]}", request_timeout=120)
            backend.ensure_index()

            def finish(backend: Any = backend) -> None:
                backend.refresh()
                backend._client.indices.flush(index=backend.alias)

            cpu = es_cpu_seconds(backend._client)
            run = index_corpus(backend, args.docs, args.batch, args.seed, truth, finish)
            run.index_bytes = es_store_bytes(backend._client, backend.alias)
            ours_cost = EsCost(
                run.docs / run.seconds,
                (es_cpu_seconds(backend._client) - cpu) * 1000 / max(run.docs, 1),
                run.client_cpu_seconds * 1000 / max(run.docs, 1),
                run.index_bytes // max(run.docs, 1),
            )
        runs.append(run)
        log(f"{kind}: measuring latency")
        latencies[kind] = latency_rows(backend, queries, run.doc_numbers)
        log(f"{kind}: measuring exactness")
        qualities[kind] = measure_quality(backend, truth)
        if kind == "elasticsearch":
            assert ours_cost is not None
            log("elasticsearch: store size once the recovery source is pruned (the backend's own compact)")
            for index in backend.current_indices():
                backend.compact(index)
            ours_cost.pruned_bytes = es_store_bytes(backend._client, backend.alias) // max(run.docs, 1)
            backend.drop()
            log("elasticsearch: plain standard-analyzer baseline of the same records")
            plain = es_plain_baseline(args.es_url, args.docs, args.batch, args.seed)
            log("elasticsearch: raw bulk comparison")
            bulk = es_bulk_comparison(args.es_url, min(args.bulk_docs, args.docs), args.seed)
        backend.close()
    print(f"\n## bench_index: {args.docs:,} documents, {args.queries} queries per class\n")
    print_report(runs, latencies, qualities)
    embedded = next((run for run in runs if run.backend == "embedded"), None)
    if baseline and embedded:
        rate, size = baseline
        ours = embedded.docs / embedded.seconds
        print("\n### Embedded indexing vs a bigram-only tantivy index of the same records (same run)\n")
        print("| index | docs/s | bytes/doc |")
        print("|---|---|---|")
        print(f"| embedded backend | {ours:,.0f} | {embedded.index_bytes / max(embedded.docs, 1):,.0f} |")
        print(f"| bigram-only tantivy (baseline) | {rate:,.0f} | {size:,} |")
        print(
            f"| ratio (ours / baseline) | {ours / rate:.2f}x | {embedded.index_bytes / max(embedded.docs, 1) / size:.2f}x |"
        )
    if plain and ours_cost:
        print("\n### Elasticsearch vs a plain `standard`-analyzer index of the same title+body (same run)\n")
        print(
            "CPU: the Elasticsearch process's own (`_nodes/stats`) and this client process's (all threads) per "
            "document while loading. Store bytes: live segments right after loading (refresh + flush), and once "
            "the recovery source is pruned (retention leases past the last operation, then a force merge to one "
            "segment; both indexes alike).\n"
        )
        print(
            "| index | docs/s | engine CPU ms/doc | client CPU ms/doc | store bytes/doc after loading | "
            "store bytes/doc pruned |"
        )
        print("|---|---|---|---|---|---|")
        for label, cost in (
            ("elasticsearch backend", ours_cost),
            ("plain standard analyzer (baseline)", plain),
        ):
            print(
                f"| {label} | {cost.docs_per_second:,.0f} | {cost.engine_cpu_ms:.2f} | {cost.client_cpu_ms:.2f} | "
                f"{cost.loaded_bytes:,} | {cost.pruned_bytes:,} |"
            )
        print(
            f"| ratio (ours / baseline) | {ours_cost.docs_per_second / plain.docs_per_second:.2f}x | "
            f"{ours_cost.engine_cpu_ms / plain.engine_cpu_ms:.2f}x | "
            f"{ours_cost.client_cpu_ms / plain.client_cpu_ms:.2f}x | "
            f"{ours_cost.loaded_bytes / plain.loaded_bytes:.2f}x | {ours_cost.pruned_bytes / plain.pruned_bytes:.2f}x |"
        )
        cpus = os.cpu_count() or 1
        total = ours_cost.engine_cpu_ms + ours_cost.client_cpu_ms
        ceiling = cpus * 1000 / total
        print(
            f"\nCeilings from these figures: client and engine together cost {total:.2f} CPU ms/doc, so with all "
            f"{cpus} CPUs of this machine doing nothing else ours is at most {ceiling:,.0f} docs/s "
            f"({ceiling / plain.docs_per_second:.2f}x the plain rate above); the analysis runs in one Python thread, "
            f"so even a free engine caps ours at {1000 / ours_cost.client_cpu_ms:,.0f} docs/s "
            f"({1000 / ours_cost.client_cpu_ms / plain.docs_per_second:.2f}x)."
        )
    if bulk:
        ours, raw = bulk
        print("\n### Elasticsearch bulk path vs raw helpers.bulk (same pre-tokenised documents)\n")
        print("| docs | backend bulk docs/s | raw helpers.bulk docs/s | ratio |")
        print("|---|---|---|---|")
        print(f"| {min(args.bulk_docs, args.docs):,} | {ours:,.0f} | {raw:,.0f} | {ours / raw:.2f} |")
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
