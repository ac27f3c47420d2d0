"""Backend-neutral handling of a SearchRequest: validation, column filters, facet buckets, hit building."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from operator import itemgetter

from indexer.backends.base import (
    FACET_FIELDS,
    FacetBucket,
    QuerySyntaxError,
    SearchHit,
    SearchRequest,
    SeriesNumber,
    SiteStats,
)
from indexer.backends.document import COLUMN_SEPARATOR
from indexer.docno import series_prefixes
from indexer.highlight import highlight_title, record_snippets
from indexer.query import ParsedQuery, parse_query
from indexer.schema import DisclosureRecord

MAX_RESULT_WINDOW = 10_000
"""Deepest result reachable by paging (Elasticsearch's index.max_result_window; the embedded backend agrees)."""

FACET_SIZE = 50
SERIES_LIMIT = 10_000
"""Most numbers one series view lists."""
LOOKUP_LIMIT = 1_000


def validate(request: SearchRequest) -> ParsedQuery:
    """Parse the query and check the request can be answered the same way by every backend."""
    unknown = [name for name in request.facets if name not in FACET_FIELDS]
    if unknown:
        raise QuerySyntaxError(f"unknown facet {unknown[0]!r}; choose from {', '.join(FACET_FIELDS)}")
    if offset_of(request) + request.size > MAX_RESULT_WINDOW:
        raise QuerySyntaxError(
            f"page {request.page} is too deep: only the first {MAX_RESULT_WINDOW:,} results can be paged; "
            "narrow the query or add filters"
        )
    return parse_query(request.q)


def offset_of(request: SearchRequest) -> int:
    return (request.page - 1) * request.size


def column_filter_values(values: Iterable[str]) -> list[str]:
    """Column filters as indexed prefixes: 'a / b/' -> 'a/b'."""
    normalized: list[str] = []
    for value in values:
        parts = [part.strip() for part in value.split(COLUMN_SEPARATOR) if part.strip()]
        if parts:
            normalized.append(COLUMN_SEPARATOR.join(parts))
    return normalized


def facet_buckets(raw: Iterable[tuple[str, int]]) -> list[FacetBucket]:
    """Buckets ordered by count, then value, so both backends list them identically."""
    buckets = [FacetBucket(value=str(value), count=int(count)) for value, count in raw if count > 0]
    buckets.sort(key=lambda bucket: (-bucket.count, bucket.value))
    return buckets[:FACET_SIZE]


def build_hit(
    record: DisclosureRecord, score: float | None, parsed: ParsedQuery, request: SearchRequest
) -> SearchHit:
    if not request.highlight:
        return SearchHit(record=record, score=score)
    terms = parsed.highlight_terms()
    attachments = [attachment.text for attachment in record.attachments if attachment.text]
    return SearchHit(
        record=record,
        score=score,
        snippets=record_snippets(record.body_text, attachments, terms),
        title_highlight=highlight_title(record.title, terms),
    )


def series_numbers_from_counts(
    issuer_code: str,
    year: int,
    holders: Mapping[str, int],
    withdrawn_holders: Mapping[str, int],
    citing: Mapping[str, int],
) -> list[SeriesNumber]:
    """The numbers of one series from per-number record counts (canonical number -> records), by serial.

    The counts come from a walk of the `doc_number` and `cites` terms under `series_prefixes`: a canonical
    number there is its prefix, the serial digits and 号; anything else (and zero counts) is dropped.
    """
    prefixes = series_prefixes(issuer_code, year)
    held_of, withdrawn_of, cited_of = holders.get, withdrawn_holders.get, citing.get
    numbers = []
    for canonical in holders.keys() | citing.keys():
        serial = _serial_after(prefixes, canonical)
        if serial is None:
            continue
        held, cited = held_of(canonical, 0), cited_of(canonical, 0)
        if held or cited:
            numbers.append(
                SeriesNumber(canonical, serial, held, min(withdrawn_of(canonical, 0), held), cited)
            )
    numbers.sort(key=_serial_then_canonical)
    return numbers


_serial_then_canonical = itemgetter(1, 0)


def _serial_after(prefixes: tuple[str, ...], canonical: str) -> int | None:
    if not canonical.endswith("号"):
        return None
    for prefix in prefixes:
        if canonical.startswith(prefix):
            digits = canonical[len(prefix) : -1]
            if digits.isascii() and digits.isdigit() and digits[0] != "0":
                return int(digits)
    return None


STATS_AGGREGATIONS = {
    "sites": {
        "terms": {"field": "site", "size": 10_000},
        "aggs": {"status": {"terms": {"field": "status", "size": 10}}},
    }
}
"""Counts per site and status; both engines accept this aggregation and answer it in the same shape."""


def site_stats(aggregations: dict) -> list[SiteStats]:
    """SiteStats from the answer to STATS_AGGREGATIONS, sorted by site."""
    sites = [
        SiteStats(
            site=str(bucket["key"]),
            total=int(bucket["doc_count"]),
            by_status={str(sub["key"]): int(sub["doc_count"]) for sub in bucket["status"]["buckets"]},
        )
        for bucket in aggregations.get("sites", {}).get("buckets", [])
    ]
    return sorted(sites, key=lambda site: site.site)
