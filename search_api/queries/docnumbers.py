"""Document-number (文号) lookup, citations, series with gaps, and batch lookup."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from indexer.backends.base import SearchBackend, SeriesMember
from indexer.docno import normalize_doc_number, parse_doc_number
from indexer.schema import DisclosureRecord, RecordStatus
from search_api.models import (
    BatchDocument,
    BatchLine,
    BatchResult,
    DocNumberInfo,
    DocNumberReport,
    LookupStatus,
    SeriesEntry,
    SeriesView,
)
from search_api.queries.records import doc_number_link, document_link, record_out
from search_api.queries.search import doc_number_info

MAX_BATCH_LINES = 1000
# citing records loaded for a series view; a report's `cited_by` is a page of its own size
CITING_LIMIT = 100
CITED_PAGE_SIZE = 20
MAX_CITED_PAGE_SIZE = 100
MAX_CITED_OFFSET = 9_900  # offset + page stays within a search engine's 10,000-hit result window
# at most this many gap serials are checked against the citation index per series view
MAX_GAP_PROBES = 500


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
        complete = cited_offset == 0 and len(cited.records) == cited.total
        citers = cited.records if complete else backend.citing(number.canonical, limit=CITING_LIMIT)
        series = series_view(backend, number.issuer_code, number.year, extra_citers=citers)
    return DocNumberReport(
        number=number,
        status=lookup_status(held),
        held=[record_out(r) for r in held],
        cited_by=[record_out(r) for r in cited.records],
        cited_by_total=cited.total,
        cited_but_not_held=not held and cited.total > 0,
        series=series,
    )


def series_view(
    backend: SearchBackend,
    issuer_code: str,
    year: int,
    *,
    extra_citers: Iterable[DisclosureRecord | SeriesMember] = (),
) -> SeriesView:
    """The numbers of one issuer code and year: held ones, cited-only ones, and the gaps between them.

    Reads only `SeriesMember`s (id, number, status, cites) of the holders, and asks which gap numbers are cited
    anywhere with one `cited_numbers` call, so no full record is loaded.
    """
    members = backend.series_members(issuer_code, year)
    holders: dict[int, list[SeriesMember]] = defaultdict(list)
    canonical_by_serial: dict[int, str] = {}
    for member in members:
        # the backend matched issuer code and year as parsed at indexing, and gives that parse's serial
        if member.serial is None or not member.doc_number:
            continue
        holders[member.serial].append(member)
        canonical_by_serial[member.serial] = member.doc_number

    cited: set[int] = set()
    year_text = str(year)
    for record in [*members, *extra_citers]:
        for canonical in record.cites:
            if not canonical.startswith(issuer_code) or year_text not in canonical:
                continue  # cheap pre-filter: canonical numbers start with their issuer code
            parsed = parse_doc_number(canonical)
            if parsed.issuer_code == issuer_code and parsed.year == year and parsed.serial is not None:
                cited.add(parsed.serial)
                canonical_by_serial.setdefault(parsed.serial, parsed.canonical or canonical)
    # a missing serial between the held ones may still be cited anywhere in the corpus: ask the citation index
    if holders:
        missing = [s for s in range(min(holders), max(holders) + 1) if s not in holders and s not in cited]
        probes: dict[str, int] = {}
        for serial in missing[:MAX_GAP_PROBES]:
            canonical = normalize_doc_number(f"{issuer_code}〔{year}〕{serial}号")
            if canonical:
                probes[canonical] = serial
        for canonical in backend.cited_numbers(probes):
            cited.add(probes[canonical])
            canonical_by_serial[probes[canonical]] = canonical

    known = set(holders) | cited
    entries = [
        SeriesEntry.model_construct(  # every field is built here from valid values: skip re-validation
            serial=serial,
            canonical=canonical_by_serial[serial],
            held=serial in holders,
            withdrawn=bool(holders.get(serial))
            and all(r.status is RecordStatus.withdrawn for r in holders[serial]),
            cited=serial in cited,
            record_ids=[r.id for r in holders.get(serial, [])],
        )
        for serial in sorted(known)
    ]
    low, high = (min(known), max(known)) if known else (None, None)
    gaps = (
        [s for s in range(low, high + 1) if s not in holders] if low is not None and high is not None else []
    )
    return SeriesView(
        issuer_code=issuer_code,
        year=year,
        min_serial=low,
        max_serial=high,
        numbers=entries,
        gaps=gaps,
        gap_count=len(gaps),
        cited_not_held=sorted(cited - set(holders)),
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
