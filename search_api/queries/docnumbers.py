"""Document-number (文号) lookup, citations, series with gaps, and batch lookup."""

from __future__ import annotations

from indexer.backends.base import SearchBackend
from indexer.schema import DisclosureRecord, RecordStatus
from search_api.models import (
    BatchDocument,
    BatchLine,
    BatchResult,
    DocNumberInfo,
    DocNumberReport,
    LookupStatus,
    SeriesView,
)
from search_api.queries.records import doc_number_link, document_link, record_out
from search_api.queries.search import doc_number_info

MAX_BATCH_LINES = 1000
CITED_PAGE_SIZE = 20
MAX_CITED_PAGE_SIZE = 100
MAX_CITED_OFFSET = 9_900  # offset + page stays within a search engine's 10,000-hit result window


def lookup_status(held: list[DisclosureRecord]) -> LookupStatus:
    if not held:
        return LookupStatus.not_found
    if all(r.status is RecordStatus.withdrawn for r in held):
        return LookupStatus.withdrawn
    return LookupStatus.found


def doc_number_report(
    backend: SearchBackend,
    number: DocNumberInfo,
    *,
    with_series: bool = True,
    cited_limit: int = CITED_PAGE_SIZE,
    cited_offset: int = 0,
) -> DocNumberReport:
    """Everything known about one (parsed, valid) number; its citing records one page at a time."""
    assert number.canonical is not None
    held = backend.lookup_doc_number(number.canonical)
    cited = backend.citing_page(number.canonical, limit=cited_limit, offset=cited_offset)
    series = None
    if with_series and number.issuer_code and number.year:
        series = series_view(backend, number.issuer_code, number.year)
    return DocNumberReport(
        number=number,
        status=lookup_status(held),
        held=[record_out(r) for r in held],
        cited_by=[record_out(r) for r in cited.records],
        cited_by_total=cited.total,
        cited_but_not_held=not held and cited.total > 0,
        series=series,
    )


def series_view(backend: SearchBackend, issuer_code: str, year: int) -> SeriesView:
    """The numbers of one issuer code and year that any record holds or cites, and the gaps between them.

    One `series_numbers` call: the index's counts per number, no record loaded.
    """
    numbers = backend.series_numbers(issuer_code, year)
    held = {number.serial for number in numbers if number.holders}
    cited = {number.serial for number in numbers if number.citing}
    known = held | cited
    low, high = (min(known), max(known)) if known else (None, None)
    gaps = [s for s in range(low, high + 1) if s not in held] if low is not None and high is not None else []
    entries = [
        {
            "serial": number.serial,
            "canonical": number.canonical,
            "held": number.holders > 0,
            "withdrawn": number.holders > 0 and number.withdrawn_holders == number.holders,
            "cited": number.citing > 0,
            "holders": number.holders,
        }
        for number in numbers
    ]
    # validated as one document: hundreds of entries in one call instead of one model each
    return SeriesView.model_validate(
        {
            "issuer_code": issuer_code,
            "year": year,
            "min_serial": low,
            "max_serial": high,
            "numbers": entries,
            "gaps": gaps,
            "gap_count": len(gaps),
            "cited_not_held": sorted(cited - held),
        }
    )


def parse_batch_text(text: str) -> list[str]:
    """One number per line; blank lines are skipped, surrounding space is dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def batch_lookup(backend: SearchBackend, inputs: list[str]) -> BatchResult:
    if len(inputs) > MAX_BATCH_LINES:
        raise ValueError(f"at most {MAX_BATCH_LINES} numbers per batch, got {len(inputs)}")
    cache: dict[str, list[DisclosureRecord]] = {}
    lines: list[BatchLine] = []
    for index, text in enumerate(inputs, start=1):
        number = doc_number_info(text)
        if number.canonical is None:
            lines.append(
                BatchLine(line=index, input=text, canonical=None, status=LookupStatus.invalid, documents=[])
            )
            continue
        if number.canonical not in cache:
            cache[number.canonical] = backend.lookup_doc_number(number.canonical)
        held = cache[number.canonical]
        lines.append(
            BatchLine(
                line=index,
                input=text,
                canonical=number.canonical,
                status=lookup_status(held),
                documents=[
                    BatchDocument(id=r.id, title=r.title, status=r.status.value, link=document_link(r.id))
                    for r in held
                ],
                link=doc_number_link(number.canonical),
            )
        )
    counts = {status.value: sum(1 for line in lines if line.status is status) for status in LookupStatus}
    return BatchResult(lines=lines, counts=counts)
