"""The default backend: an embedded tantivy index in a directory, no server.

Text fields hold the pre-computed tokens of `indexer.analysis` (tantivy's whitespace tokenizer only splits
them); keyword fields are raw and fast (filters, facets); the whole record JSON is a stored bytes field.
One writer per index (tantivy holds a lock file); any number of concurrent searches.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Hashable, Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import tantivy

from indexer.analysis import char_token_regex
from indexer.backends.base import (
    BackendUnavailable,
    DateRange,
    IndexStats,
    RecordPage,
    SearchFilters,
    SearchRequest,
    SearchResponse,
    SeriesNumber,
    SortOrder,
)
from indexer.backends.document import (
    TEXT_FIELD_BOOST,
    TEXT_FIELDS,
    IndexDocument,
    lookup_field,
    to_index_document,
)
from indexer.backends.facet_cache import FacetCache
from indexer.backends.request import (
    FACET_SIZE,
    LOOKUP_LIMIT,
    STATS_AGGREGATIONS,
    build_hit,
    column_filter_values,
    facet_buckets,
    offset_of,
    series_numbers_from_counts,
    site_stats,
    validate,
)
from indexer.docno import series_prefixes
from indexer.health import ComponentHealth, HealthDetail, HealthStatus
from indexer.query import ParsedQuery, Term
from indexer.schema import DisclosureRecord, RecordStatus

SCHEMA_VERSION = 5
"""Bumped whenever the tantivy schema changes; an index of another version must be rebuilt (`gongkai reindex`)."""
SCHEMA_VERSION_FILE = "gongkai-schema-version"
_KEYWORD_FIELDS = (
    "id",
    "site",
    "issuer",
    "column",
    "column_prefix",
    "category",
    "status",
    "doc_number",
    "issuer_code",
    "cites",
    "year",
    "written_year",
    "has_doc_number",
    "ocr",
    "issuer_facet",
    "issuer_facet_more",
)
# Facet columns are dense (a value in every document, "" for none): tantivy aggregates a dense single-valued
# column several times faster than an optional or multi-valued one. Joint documents' further issuers go to a
# sparse column whose counts are added.
_FACET_COLUMNS: dict[str, tuple[str, ...]] = {
    "site": ("site",),
    "issuer": ("issuer_facet", "issuer_facet_more"),
    "column": ("column",),
    "category": ("category",),
    "year": ("year",),
}
_ALL_BUCKETS = 1_000_000  # merging two columns' counts needs all their buckets, not a top few
_SORT_FIELD = {SortOrder.published_date: "published_sort", SortOrder.written_date: "written_sort"}
_WRITER_HEAP_BYTES = 256_000_000
# tantivy dates are nanoseconds in an i64 (years 1677..2262); filter bounds outside are clamped
_MIN_DAY = date(1678, 1, 1)
_MAX_DAY = date(2262, 1, 1)


def _build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in _KEYWORD_FIELDS:
        builder.add_text_field(name, stored=False, fast=True, tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS:
        builder.add_text_field(
            f"{name}_tok", stored=False, tokenizer_name="whitespace", index_option="position"
        )
        # looked up as whole terms only: documents without frequencies or positions
        builder.add_text_field(
            lookup_field(name), stored=False, tokenizer_name="whitespace", index_option="basic"
        )
    builder.add_integer_field("doc_year", indexed=True, fast=True)
    builder.add_integer_field("serial", indexed=True, fast=True)
    builder.add_integer_field("published_sort", fast=True)
    builder.add_integer_field("written_sort", fast=True)
    builder.add_date_field("published_date", indexed=True, fast=True)
    builder.add_date_field("written_date", indexed=True, fast=True)
    builder.add_bytes_field("record", stored=True)
    return builder.build()


def _as_datetime(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _to_tantivy(document: IndexDocument) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("id", document.id)
    doc.add_text("site", document.site)
    for issuer in document.issuers:
        doc.add_text("issuer", issuer)
    doc.add_text("issuer_facet", document.issuers[0] if document.issuers else "")
    for issuer in document.issuers[1:]:
        doc.add_text("issuer_facet_more", issuer)
    doc.add_text("column", document.column)
    for prefix in document.column_prefixes:
        doc.add_text("column_prefix", prefix)
    doc.add_text("category", document.category or "")
    doc.add_text("status", document.status)
    if document.doc_number:
        doc.add_text("doc_number", document.doc_number)
    doc.add_text("has_doc_number", "1" if document.doc_number else "0")
    doc.add_text("ocr", "1" if document.ocr else "0")
    if document.issuer_code:
        doc.add_text("issuer_code", document.issuer_code)
    for cited in document.cites:
        doc.add_text("cites", cited)
    doc.add_text("year", document.year or "")
    doc.add_text("written_year", document.written_year or "")
    doc.add_text("title_tok", document.title_tokens)
    doc.add_text("body_tok", document.body_tokens)
    if document.attachment_tokens:
        doc.add_text("att_tok", document.attachment_tokens)
    for field, lookups in document.lookups.items():
        doc.add_text(field, lookups)
    if document.doc_year is not None:
        doc.add_integer("doc_year", document.doc_year)
    if document.serial is not None:
        doc.add_integer("serial", document.serial)
    doc.add_integer("published_sort", document.published_sort)
    doc.add_integer("written_sort", document.written_sort)
    if document.published_date:
        doc.add_date("published_date", _as_datetime(document.published_date))
    if document.written_date:
        doc.add_date("written_date", _as_datetime(document.written_date))
    doc.add_bytes("record", document.record_json.encode("utf-8"))
    return doc


class EmbeddedBackend:
    """tantivy index in `path` (created when missing)."""

    name = "embedded"

    def __init__(
        self,
        path: Path | str,
        *,
        writer_heap_bytes: int = _WRITER_HEAP_BYTES,
        rebuild_outdated: bool = False,
    ) -> None:
        """Open (or create) the index; `rebuild_outdated` empties an index of another schema version instead
        of refusing it (for a rebuild, which refills it anyway)."""
        self.path = Path(path)
        self._writer_heap_bytes = writer_heap_bytes
        self._schema = _build_schema()
        self._write_lock = threading.Lock()
        self._writer: tantivy.IndexWriter | None = None
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._check_schema_version(rebuild_outdated)
            self._index = tantivy.Index(self._schema, path=str(self.path), reuse=True)
            self._index.config_reader(reload_policy="commit")
            self._facet_cache = FacetCache(self.path / "meta.json")
            (self.path / SCHEMA_VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n")
        except (OSError, ValueError) as error:
            raise BackendUnavailable(f"cannot open the embedded index at {self.path}: {error}") from error

    def _check_schema_version(self, rebuild_outdated: bool) -> None:
        if not (self.path / "meta.json").exists():
            return
        marker = self.path / SCHEMA_VERSION_FILE
        found = marker.read_text().strip() if marker.exists() else "1"
        if found == str(SCHEMA_VERSION):
            return
        if not rebuild_outdated:
            raise BackendUnavailable(
                f"the embedded index at {self.path} was built with schema v{found}; this version of gongkai "
                f"needs v{SCHEMA_VERSION}. Rebuild it from the archive: gongkai reindex"
            )
        for entry in self.path.iterdir():  # the directory holds nothing but this index
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()

    # writing

    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            try:
                self._writer = self._index.writer(heap_size=self._writer_heap_bytes, num_threads=1)
            except ValueError as error:
                raise BackendUnavailable(
                    f"the embedded index at {self.path} is locked by another writer "
                    f"(is a crawl or reindex running?): {error}"
                ) from error
        return self._writer

    def upsert(self, records: Iterable[DisclosureRecord]) -> int:
        """Add or replace records by id; one commit for the whole batch.

        Each record is analysed and handed to the writer before the next is analysed: tantivy's indexing thread
        indexes one while Python analyses the next (analysing the whole batch first left that thread idle until
        the commit; about 1.5x the rate on two cores, bench_index). A record that cannot be analysed rolls the
        whole batch back.
        """
        added = 0
        with self._write_lock:
            writer = self._get_writer()
            try:
                for record in records:
                    document = to_index_document(record)
                    writer.delete_documents_by_term("id", document.id)
                    writer.add_document(_to_tantivy(document))
                    added += 1
            except BaseException:
                writer.rollback()
                raise
            if added:
                self._commit(writer)
        return added

    def delete(self, ids: Iterable[str]) -> int:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return 0
        searcher = self._searcher()
        existing = [
            record_id
            for record_id in wanted
            if searcher.search(self._term("id", record_id), 1, count=True).count > 0
        ]
        with self._write_lock:
            writer = self._get_writer()
            for record_id in wanted:
                writer.delete_documents_by_term("id", record_id)
            self._commit(writer)
        return len(existing)

    def clear(self) -> None:
        with self._write_lock:
            writer = self._get_writer()
            writer.delete_all_documents()
            self._commit(writer)
        self.refresh()

    def _commit(self, writer: tantivy.IndexWriter) -> None:
        try:
            writer.commit()
        except ValueError as error:
            raise BackendUnavailable(
                f"the embedded index at {self.path} could not commit: {error}"
            ) from error
        self._index.reload()  # read-your-writes in this process without waiting for the reload poll

    def generation(self) -> Hashable | None:
        """Names the index's current commit (the identity of its `meta.json`; any commit or merge, from any
        process, makes a new one). A searcher opened after this call is at least as new: answers computed then
        can be cached under it."""
        return self._facet_cache.sync(self._index.reload)

    def drop_caches(self) -> None:
        """Forget cached facet counts (benchmarks measuring the uncached path call this)."""
        self._facet_cache.clear()

    def refresh(self) -> None:
        """Make every committed write visible to searches in this process."""
        self._index.reload()

    def optimize(self) -> None:
        """Wait for background merges (after a bulk load)."""
        with self._write_lock:
            if self._writer is not None:
                self._writer.wait_merging_threads()
                self._writer = None
        self.refresh()

    def close(self) -> None:
        with self._write_lock:
            if self._writer is not None:
                try:
                    self._writer.commit()
                    self._writer.wait_merging_threads()
                finally:
                    self._writer = None

    def health(self) -> ComponentHealth:
        """ok when the index folder can be read (a searcher opens and counts the documents), else down."""
        details: dict[str, HealthDetail] = {
            "engine": "tantivy",
            "path": str(self.path),
            "schema_version": SCHEMA_VERSION,
        }
        try:
            if not (self.path / "meta.json").is_file():
                raise OSError("meta.json is missing")
            details["documents"] = self._searcher().num_docs
        except (OSError, ValueError) as error:
            return ComponentHealth(
                name="index",
                status=HealthStatus.down,
                essential=True,
                reason=f"the embedded index at {self.path} cannot be read: {error}",
                details=details,
            )
        return ComponentHealth(name="index", status=HealthStatus.ok, essential=True, details=details)

    # reading

    def _searcher(self) -> tantivy.Searcher:
        return self._index.searcher()

    def _term(self, field: str, value: Any) -> tantivy.Query:
        return tantivy.Query.term_query(self._schema, field, value)

    def _records(self, searcher: tantivy.Searcher, hits: Sequence[tuple[Any, Any]]) -> list[DisclosureRecord]:
        return [self._load(searcher, address) for _score, address in hits]

    @staticmethod
    def _load(searcher: tantivy.Searcher, address: Any) -> DisclosureRecord:
        stored = searcher.doc(address).get_first("record")
        return DisclosureRecord.model_validate_json(bytes(stored))

    def get(self, record_id: str) -> DisclosureRecord | None:
        searcher = self._searcher()
        result = searcher.search(self._term("id", record_id), 1, count=False)
        if not result.hits:
            return None
        return self._load(searcher, result.hits[0][1])

    def _sorted_records(self, query: tantivy.Query, limit: int) -> list[DisclosureRecord]:
        if limit <= 0:
            return []
        searcher = self._searcher()
        result = searcher.search(
            query, limit, count=False, order_by_field="published_sort", order=tantivy.Order.Desc
        )
        return self._records(searcher, result.hits)

    def lookup_doc_number(self, canonical: str) -> list[DisclosureRecord]:
        return self._sorted_records(self._term("doc_number", canonical), LOOKUP_LIMIT)

    def citing(self, canonical: str, limit: int = 100) -> list[DisclosureRecord]:
        return self._sorted_records(self._term("cites", canonical), limit)

    def citing_page(self, canonical: str, *, limit: int, offset: int = 0) -> RecordPage:
        """Records that cite `canonical` and do not hold it, newest first: `limit` from `offset`, and the total."""
        query = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, self._term("cites", canonical)),
                (tantivy.Occur.MustNot, self._term("doc_number", canonical)),
            ]
        )
        searcher = self._searcher()
        result = searcher.search(
            query,
            max(limit, 1),
            count=True,
            order_by_field="published_sort",
            offset=offset,
            order=tantivy.Order.Desc,
        )
        return RecordPage(total=result.count or 0, records=self._records(searcher, result.hits[:limit]))

    def series_numbers(self, issuer_code: str, year: int) -> list[SeriesNumber]:
        """Walks the `doc_number` and `cites` terms under the series' prefixes, counting live records only."""
        searcher = self._searcher()
        # holders are the records whose number was parsed to this issuer code and year at indexing
        series = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, self._term("issuer_code", issuer_code)),
                (tantivy.Occur.Must, self._term("doc_year", int(year))),
            ]
        )
        withdrawn = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, series),
                (tantivy.Occur.Must, self._term("status", RecordStatus.withdrawn.value)),
            ]
        )
        holders: dict[str, int] = {}
        withdrawn_holders: dict[str, int] = {}
        citing: dict[str, int] = {}
        for prefix in series_prefixes(issuer_code, year):
            if searcher.terms_with_prefix("doc_number", prefix, limit=1):
                holders.update(searcher.terms_with_prefix("doc_number", prefix, filter_query=series))
                withdrawn_holders.update(
                    searcher.terms_with_prefix("doc_number", prefix, filter_query=withdrawn)
                )
            # the term dictionary alone still lists terms of replaced versions not merged away yet: count only
            # live records holding one of the terms (a small filter, where matching every record costs ~2 ms)
            seen = [term for term, _count in searcher.terms_with_prefix("cites", prefix)]
            if seen:
                citers = self._any_of("cites", seen)
                citing.update(searcher.terms_with_prefix("cites", prefix, filter_query=citers))
        return series_numbers_from_counts(issuer_code, year, holders, withdrawn_holders, citing)

    def search(self, request: SearchRequest) -> SearchResponse:
        self._facet_cache.sync(self._index.reload)
        parsed = validate(request)
        searcher = self._searcher()
        query = self._build_query(searcher, parsed, request.filters)
        order_field = _SORT_FIELD.get(request.sort)
        limit = request.size
        if limit > 0:
            result = searcher.search(
                query,
                limit,
                count=True,
                order_by_field=order_field,
                offset=offset_of(request),
                order=tantivy.Order.Desc,
            )
            total = result.count or 0
            hits = [
                build_hit(
                    self._load(searcher, address),
                    None if order_field else float(score),
                    parsed,
                    request,
                )
                for score, address in result.hits
            ]
        else:
            total = searcher.search(query, 1, count=True).count or 0
            hits = []
        facets = {}
        if request.facets:
            key = (request.q, request.filters.model_dump_json(), tuple(request.facets))
            facets = self._facet_cache.get_or_compute(
                key, lambda: self._facets(searcher, query, request.facets)
            )
        return SearchResponse(total=total, hits=hits, facets=facets)

    def _facets(self, searcher: tantivy.Searcher, query: tantivy.Query, names: Sequence[str]) -> dict:
        wanted = list(dict.fromkeys(names))
        aggregations = {}
        for name in wanted:
            columns = _FACET_COLUMNS[name]
            size = (
                FACET_SIZE + 1 if len(columns) == 1 else _ALL_BUCKETS
            )  # + 1: the "" bucket of documents without
            for column in columns:
                aggregations[column] = {"terms": {"field": column, "size": size}}
        raw = searcher.aggregate(query, aggregations)
        facets = {}
        for name in wanted:
            counts: dict[str, int] = {}
            for column in _FACET_COLUMNS[name]:
                for bucket in raw.get(column, {}).get("buckets", []):
                    key = str(bucket["key"])
                    if key:
                        counts[key] = counts.get(key, 0) + int(bucket["doc_count"])
            facets[name] = facet_buckets(counts.items())
        return facets

    def stats(self) -> IndexStats:
        searcher = self._searcher()
        raw = searcher.aggregate(tantivy.Query.all_query(), STATS_AGGREGATIONS)
        sites = site_stats(raw)
        return IndexStats(backend=self.name, total=searcher.num_docs, sites=sites)

    # query translation

    def _term_query(self, searcher: tantivy.Searcher, term: Term) -> tantivy.Query:
        """The term in any text field; a field lacking one of the looked-up tokens is left out (a union of fewer
        fields is cheaper to intersect, and scores stay the same)."""
        plan = term.plan
        spaced = list(plan.spaced)
        per_field: list[tantivy.Query] = []
        for name in TEXT_FIELDS:
            field, look = f"{name}_tok", lookup_field(name)
            # a field lacking a looked-up token cannot match (the lookups, when the term has any, are the rarer)
            looked_up = [(look, token) for token in plan.lookup] or [(field, token) for _p, token in spaced]
            if plan.char is not None:
                field_query = tantivy.Query.regex_query(self._schema, field, char_token_regex(plan.char))
            elif not all(searcher.doc_freq(*lookup) for lookup in looked_up):
                continue
            elif plan.lookup_decides:
                field_query = self._term(look, plan.lookup[0])
            else:
                field_query = (
                    self._term(field, spaced[0][1])
                    if len(spaced) == 1
                    else tantivy.Query.phrase_query(self._schema, field, spaced)
                )
                if plan.lookup:
                    # the phrase decides; the lookups only narrow the documents whose positions it checks
                    narrowing = [
                        (tantivy.Occur.Must, tantivy.Query.const_score_query(self._term(look, token), 0.0))
                        for token in plan.lookup
                    ]
                    field_query = tantivy.Query.boolean_query([(tantivy.Occur.Must, field_query), *narrowing])
            boost = TEXT_FIELD_BOOST[name]
            per_field.append(tantivy.Query.boost_query(field_query, boost) if boost != 1.0 else field_query)
        if not per_field:
            return tantivy.Query.empty_query()
        if len(per_field) == 1:
            return per_field[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, query) for query in per_field])

    def _build_query(
        self, searcher: tantivy.Searcher, parsed: ParsedQuery, filters: SearchFilters
    ) -> tantivy.Query:
        must: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for clause in parsed.included:
            if len(clause.terms) == 1:
                must.append((tantivy.Occur.Must, self._term_query(searcher, clause.terms[0])))
            else:
                alternatives = [
                    (tantivy.Occur.Should, self._term_query(searcher, term)) for term in clause.terms
                ]
                must.append((tantivy.Occur.Must, tantivy.Query.boolean_query(alternatives)))
        for clause in parsed.excluded:
            must.append((tantivy.Occur.MustNot, self._term_query(searcher, clause.terms[0])))
        must.extend((tantivy.Occur.Must, query) for query in self._filter_queries(searcher, filters))
        if not any(occur == tantivy.Occur.Must for occur, _ in must):
            must.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        if len(must) == 1:
            return must[0][1]  # a lone required clause: a wrapping boolean only adds a layer to every hit
        return tantivy.Query.boolean_query(must)

    def _any_of(self, field: str, values: Sequence[Any]) -> tantivy.Query:
        if len(values) == 1:
            return self._term(field, values[0])
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, self._term(field, v)) for v in values])

    def _filter_queries(self, searcher: tantivy.Searcher, filters: SearchFilters) -> list[tantivy.Query]:
        queries: list[tantivy.Query] = []
        keyword_filters: list[tuple[str, list[Any]]] = [
            ("site", list(filters.site)),
            ("issuer", list(filters.issuer)),
            ("column_prefix", column_filter_values(filters.column)),
            ("category", list(filters.category)),
            ("issuer_code", list(filters.issuer_code)),
            ("status", [status.value for status in filters.status]),
            ("doc_year", [int(year) for year in filters.doc_year]),
        ]
        for field, values in keyword_filters:
            if values:
                queries.append(self._any_of(field, list(dict.fromkeys(values))))
        if filters.column and not column_filter_values(filters.column):
            queries.append(tantivy.Query.empty_query())  # only blank column names: nothing can match
        if filters.has_doc_number is not None:
            queries.append(self._term("has_doc_number", "1" if filters.has_doc_number else "0"))
        if filters.ocr is not None:
            queries.append(self._term("ocr", "1" if filters.ocr else "0"))
        # `year` is the published year wherever there is a published date
        for year_field, bounds in (("year", filters.published_date), ("written_year", filters.written_date)):
            years = self._years_within(searcher, year_field, bounds)
            if years is not None:
                queries.append(years)
        for field, bounds in (
            ("published_date", filters.published_date),
            ("written_date", filters.written_date),
        ):
            range_query = self._date_range(field, bounds)
            if range_query is not None:
                queries.append(range_query)
        return queries

    def _years_within(
        self, searcher: tantivy.Searcher, year_field: str, bounds: DateRange
    ) -> tantivy.Query | None:
        """The terms of `year_field` (the date's year) a date range can fall in, as a pre-filter for the range.

        A date range intersected with a text query is checked against the date column document by document; a
        few posting lists of the year keyword narrow the candidates first, several times faster. None when the
        range spans every year in the index.
        """
        if bounds.gte is None and bounds.lte is None:
            return None
        first = bounds.gte.year if bounds.gte else _MIN_DAY.year
        last = bounds.lte.year if bounds.lte else _MAX_DAY.year
        indexed = [term for term, _count in searcher.terms_with_prefix(year_field, "") if term.isdigit()]
        within = [term for term in indexed if first <= int(term) <= last]
        if len(within) == len(indexed):
            return None
        if not within:
            return tantivy.Query.empty_query()
        return self._any_of(year_field, sorted(within))

    def _date_range(self, field: str, bounds: DateRange) -> tantivy.Query | None:
        if bounds.gte is None and bounds.lte is None:
            return None
        return tantivy.Query.range_query(
            self._schema,
            field,
            tantivy.FieldType.Date,
            _as_datetime(max(bounds.gte, _MIN_DAY)) if bounds.gte else None,
            _as_datetime(min(bounds.lte, _MAX_DAY)) if bounds.lte else None,
        )
