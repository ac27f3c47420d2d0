"""/search: exact document-number lookup first, full-text search otherwise."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator

from indexer.backends.base import FACET_FIELDS, FacetBucket, SearchBackend, SearchRequest, SortOrder
from indexer.docno import looks_like_doc_number, parse_doc_number
from indexer.schema import DisclosureRecord
from search_api.models import DocNumberInfo, Include, QueryEcho, SearchHitOut, SearchResult
from search_api.params import SearchQuery
from search_api.queries.records import clean_snippet, record_out


def doc_number_info(text: str) -> DocNumberInfo:
    parsed = parse_doc_number(text)
    return DocNumberInfo(
        input=parsed.input,
        canonical=parsed.canonical,
        issuer_code=parsed.issuer_code,
        year=parsed.year,
        serial=parsed.serial,
        kind=parsed.kind.value if parsed.kind else None,
    )


def run_search(backend: SearchBackend, query: SearchQuery) -> SearchResult:
    request = query.request
    echo = QueryEcho(
        q=request.q,
        filters=request.filters,
        sort=request.sort,
        page=request.page,
        size=request.size,
        include=query.include,
    )
    number: DocNumberInfo | None = None
    if request.q and looks_like_doc_number(request.q):
        number = doc_number_info(request.q)
        if number.canonical:
            held = backend.lookup_doc_number(number.canonical)
            if held:
                return _exact_result(held, query, echo, number)
    wants_facets = query.wants(Include.facets)
    response = backend.search(
        request.model_copy(update={"facets": list(FACET_FIELDS) if wants_facets else []})
    )
    return SearchResult(
        query=echo,
        matched="text",
        doc_number=number,
        total=response.total,
        page=request.page,
        size=request.size,
        pages=math.ceil(response.total / request.size) if request.size else 0,
        results=[
            SearchHitOut(
                record=record_out(
                    hit.record,
                    body=query.wants(Include.body),
                    attachments_text=query.wants(Include.attachments_text),
                ),
                score=hit.score,
                snippets=[clean_snippet(s) for s in hit.snippets],
            )
            for hit in response.hits
        ],
        facets=response.facets if wants_facets else None,
    )


def _exact_result(
    held: list[DisclosureRecord], query: SearchQuery, echo: QueryEcho, number: DocNumberInfo
) -> SearchResult:
    """A number lookup ignores filters and paging (identifier lookups return every holder)."""
    return SearchResult(
        query=echo,
        matched="doc_number",
        doc_number=number,
        total=len(held),
        page=1,
        size=len(held),
        pages=1,
        results=[
            SearchHitOut(
                record=record_out(
                    record,
                    body=query.wants(Include.body),
                    attachments_text=query.wants(Include.attachments_text),
                )
            )
            for record in held
        ],
        facets=_local_facets(held) if query.wants(Include.facets) else None,
    )


def _local_facets(records: list[DisclosureRecord]) -> dict[str, list[FacetBucket]]:
    values: dict[str, Counter[str]] = {name: Counter() for name in FACET_FIELDS}
    for record in records:
        values["site"][record.site] += 1
        if record.issuer:
            values["issuer"][record.issuer] += 1
        if record.column:
            values["column"]["/".join(record.column)] += 1
        if record.category:
            values["category"][record.category] += 1
        year = record.published_date.year if record.published_date else None
        if year:
            values["year"][str(year)] += 1
    return {
        name: [FacetBucket(value=v, count=c) for v, c in counter.most_common()]
        for name, counter in values.items()
    }


def iter_search_records(
    backend: SearchBackend, request: SearchRequest, limit: int
) -> tuple[int, Iterator[DisclosureRecord]]:
    """Total and a lazy iterator over up to `limit` matching records, fetched page by page."""
    page_size = 100
    first = backend.search(
        request.model_copy(update={"page": 1, "size": page_size, "facets": [], "highlight": False})
    )

    def records() -> Iterator[DisclosureRecord]:
        emitted = 0
        response = first
        page = 1
        while True:
            for hit in response.hits:
                if emitted >= limit:
                    return
                emitted += 1
                yield hit.record
            if len(response.hits) < page_size or emitted >= limit:
                return
            page += 1
            response = backend.search(
                request.model_copy(update={"page": page, "size": page_size, "facets": [], "highlight": False})
            )

    return first.total, records()


def feed_request(request: SearchRequest) -> SearchRequest:
    return request.model_copy(update={"sort": SortOrder.published_date, "facets": []})
