"""What each group of index fields costs to index: the bound on indexing speed set by the text fields.

    .venv/bin/python bench/bench_index_fields.py --docs 3000 [--es-url http://127.0.0.1:9200]

Builds the same pre-tokenised documents (`to_index_document`, timed separately) into indices that leave out
field groups in turn: the lookup fields, and all text fields. The embedded rows time tantivy alone
(documents built beforehand); with `--es-url` the Elasticsearch rows time `helpers.bulk` of the same sources
and put a plain `standard`-analyzer index of title+body beside them, all in one run. Prints markdown tables
(stdout); the ratios say how fast indexing could be with a field group gone.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_index import directory_bytes, stream_batches  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from indexer.backends.document import IndexDocument, to_index_document  # noqa: E402
from indexer.schema import DisclosureRecord  # noqa: E402

VARIANTS: tuple[tuple[str, str], ...] = (
    ("all fields (as shipped)", "all"),
    ("without the lookup fields (4-grams, key phrases)", "no-lookups"),
    ("without any text field (keywords, dates, stored record)", "no-text"),
)


def _variant(document: IndexDocument, variant: str) -> IndexDocument:
    """The document with the variant's field group left out."""
    if variant == "all":
        return document
    if variant == "no-lookups":
        return dataclasses.replace(document, lookups={})
    return dataclasses.replace(document, title_tokens="", body_tokens="", attachment_tokens="", lookups={})


def _dropped_fields(variant: str) -> list[str]:
    """The Elasticsearch fields a variant leaves out of the mapping."""
    from indexer.backends.elastic import _LOOKUP_FIELDS, _TOKEN_FIELDS

    return {"all": [], "no-lookups": _LOOKUP_FIELDS, "no-text": [*_TOKEN_FIELDS, *_LOOKUP_FIELDS]}[variant]


def embedded_rows(documents: list[IndexDocument]) -> list[tuple[str, float, int]]:
    import tantivy

    from indexer.backends import embedded

    rows = []
    for label, variant in VARIANTS:
        docs = [embedded._to_tantivy(_variant(document, variant)) for document in documents]
        path = Path(tempfile.mkdtemp(prefix="gongkai-fields-"))
        try:
            index = tantivy.Index(embedded._build_schema(), path=str(path))
            writer = index.writer(heap_size=256_000_000, num_threads=1)
            t0 = time.perf_counter()
            for doc in docs:
                writer.add_document(doc)
            writer.commit()
            writer.wait_merging_threads()
            seconds = time.perf_counter() - t0
            rows.append((label, len(docs) / seconds, directory_bytes(path) // len(docs)))
        finally:
            shutil.rmtree(path, ignore_errors=True)
    return rows


def elastic_rows(
    url: str, records: list[DisclosureRecord], documents: list[IndexDocument]
) -> list[tuple[str, float, int]]:
    from elasticsearch import Elasticsearch, helpers

    from indexer.backends.elastic import index_template, to_source

    client = Elasticsearch(url, request_timeout=120)
    template = index_template("bench-fields")["template"]
    settings = {**template["settings"], "number_of_replicas": 0, "auto_expand_replicas": "false"}

    def load(
        mappings: dict[str, Any], sources: list[dict[str, Any]], index_settings: dict[str, Any]
    ) -> tuple:
        name = f"bench-fields-{uuid.uuid4().hex[:8]}"
        client.indices.create(index=name, settings=index_settings, mappings=mappings)
        try:
            actions = [{"_index": name, "_id": str(i), "_source": s} for i, s in enumerate(sources)]
            t0 = time.perf_counter()
            helpers.bulk(client, actions, chunk_size=500)
            client.indices.refresh(index=name)
            client.indices.flush(index=name)
            seconds = time.perf_counter() - t0
            stats = client.indices.stats(index=name, metric="store")
            size = stats["_all"]["primaries"]["store"]["size_in_bytes"]
        finally:
            client.indices.delete(index=name, ignore_unavailable=True)
        return len(sources) / seconds, size // len(sources)

    rows = []
    text = {"type": "text", "analyzer": "standard"}
    plain = load(
        {"properties": {"title": text, "body": text}},
        [{"title": r.title, "body": r.body_text} for r in records],
        {"number_of_shards": 1, "number_of_replicas": 0},
    )
    rows.append(("plain `standard` analyzer, title+body (baseline)", *plain))
    for label, variant in VARIANTS:
        mappings = copy.deepcopy(template["mappings"])
        dropped = _dropped_fields(variant)
        for name in dropped:
            del mappings["properties"][name]
        mappings["_source"]["excludes"] = [
            name for name in mappings["_source"]["excludes"] if name not in dropped
        ]
        sources = [
            {k: v for k, v in to_source(_variant(document, variant)).items() if k not in dropped}
            for document in documents
        ]
        rows.append((label, *load(mappings, sources, settings)))
    client.close()
    return rows


def print_rows(title: str, rows: list[tuple[str, float, int]], base: tuple[float, int] | None) -> None:
    print(f"\n### {title}\n")
    print("| fields | docs/s | bytes/doc | docs/s vs baseline | bytes vs baseline |")
    print("|---|---|---|---|---|")
    for label, rate, size in rows:
        versus = f"{rate / base[0]:.2f}x | {size / base[1]:.2f}x" if base else "- | -"
        print(f"| {label} | {rate:,.0f} | {size:,} | {versus} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--es-url", default=None, help="also measure Elasticsearch at this URL")
    args = parser.parse_args(argv)
    print(machine_line())
    records = [r for batch in stream_batches(args.docs, 1000, args.seed) for r in batch]
    t0 = time.perf_counter()
    documents = [to_index_document(r) for r in records]
    analysis = (time.perf_counter() - t0) / len(records) * 1000
    print(f"\n## bench_index_fields: {args.docs:,} documents\n")
    print(f"Python analysis (`to_index_document`): {analysis:.3f} ms a document, not in the rows below.")
    rows = embedded_rows(documents)
    print_rows("Embedded (tantivy add + commit + merges only)", rows, None)
    if args.es_url:
        es = elastic_rows(args.es_url, records, documents)
        print_rows("Elasticsearch (helpers.bulk + refresh + flush)", es, (es[0][1], es[0][2]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
