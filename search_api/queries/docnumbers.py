"""Document-number (文号) lookup, citations, series with gaps, and batch lookup."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

from indexer.backends.base import SearchBackend, SeriesNumber
from indexer.generation_cache import GenerationCache
from indexer.schema import DisclosureRecord, RecordStatus
from search_api.models import (
    BatchDocument,
    BatchLine,
    BatchResult,
    DocNumberInfo,
    DocNumberReport,
    LookupStatus,
    SeriesEntry,
    SeriesRun,
    SeriesRunState,
    SeriesView,
)
from search_api.queries.records import doc_number_link, document_link, record_out, record_ref
from search_api.queries.search import doc_number_info

MAX_BATCH_LINES = 1000
CITED_PAGE_SIZE = 10
MAX_CITED_PAGE_SIZE = 100
MAX_CITED_OFFSET = 9_900  # offset + page stays within a search engine's 10,000-hit result window
# The default answer stays within about 8 KB: the series as its first runs, no per-number list.
SERIES_RUNS = 40
MAX_SERIES_RUNS = 10_000
SERIES_NUMBERS_PAGE = 500
MAX_SERIES_NUMBERS_PAGE = 5_000


def lookup_status(held: list[DisclosureRecord]) -> LookupStatus:
    if not held:
        return LookupStatus.not_found
    if all(r.status is RecordStatus.withdrawn for r in held):
        return LookupStatus.withdrawn
    return LookupStatus.found


@dataclass(frozen=True)
class SeriesOptions:
    """How much of a series view to state: its first `runs` runs, and optionally a page of its numbers."""

    runs: int = SERIES_RUNS
    numbers: bool = False
    numbers_offset: int = 0
    numbers_limit: int = SERIES_NUMBERS_PAGE


def doc_number_report(
    backend: SearchBackend,
    number: DocNumberInfo,
    *,
    with_series: bool = True,
    series_options: SeriesOptions = SeriesOptions(),
    cited_limit: int = CITED_PAGE_SIZE,
    cited_offset: int = 0,
    series_cache: GenerationCache | None = None,
) -> DocNumberReport:
    """Everything known about one (parsed, valid) number; its citing records one page at a time.

    With a `series_cache`, the series view (most of the answer's cost: hundreds of numbers per series at 1M
    documents) is computed once per series and index generation; a per-number page of it is never cached.
    """
    assert number.canonical is not None
    generation = backend.generation() if series_cache is not None else None  # before any read: see its doc
    held = backend.lookup_doc_number(number.canonical)
    cited = backend.citing_page(number.canonical, limit=cited_limit, offset=cited_offset)
    series = None
    if with_series and number.issuer_code and number.year:
        code, year = number.issuer_code, number.year

        def compute() -> SeriesView:
            return series_view(backend, code, year, series_options)

        if series_cache is None or series_options.numbers:
            series = compute()
        else:
            series = series_cache.get_or_compute(generation, (code, year, series_options), compute)
    return DocNumberReport(
        number=number,
        status=lookup_status(held),
        held=[record_out(r) for r in held],
        cited_by=[record_ref(r) for r in cited.records],
        cited_by_total=cited.total,
        cited_but_not_held=not held and cited.total > 0,
        series=series,
    )


def series_run_spans(numbers: list[SeriesNumber]) -> list[tuple[SeriesRunState, int, int]]:
    """Consecutive serials in the same state as (state, first, last), from the lowest serial seen to the highest.

    Serials between two numbers seen are `missing`; computed from the numbers seen, never serial by serial, so a
    sparse series up to 9999 costs what its numbers cost.
    """
    return _spans_of_sorted(sorted(numbers, key=_by_serial))


_by_serial = attrgetter("serial")


def _spans_of_sorted(numbers: list[SeriesNumber]) -> list[tuple[SeriesRunState, int, int]]:
    # one loop, states inline: hundreds of numbers per series at 1M documents, on every uncached answer
    missing, held, withdrawn, cited_not_held = (
        SeriesRunState.missing,
        SeriesRunState.held,
        SeriesRunState.withdrawn,
        SeriesRunState.cited_not_held,
    )
    spans: list[list] = []  # [state, first, last]
    previous: int | None = None
    for number in numbers:
        serial = number.serial
        if previous is not None and serial > previous + 1:
            if spans[-1][0] is missing and spans[-1][2] == previous:
                spans[-1][2] = serial - 1
            else:
                spans.append([missing, previous + 1, serial - 1])
        if number.holders:
            state = withdrawn if number.withdrawn_holders == number.holders else held
        else:
            state = cited_not_held if number.citing else missing
        if spans and spans[-1][0] is state and spans[-1][2] == serial - 1:
            spans[-1][2] = serial
        else:
            spans.append([state, serial, serial])
        previous = serial
    return [(state, first, last) for state, first, last in spans]


def _run(span: tuple[SeriesRunState, int, int]) -> SeriesRun:
    state, first, last = span
    return SeriesRun(state=state, first=first, last=last, count=last - first + 1)


def series_runs(numbers: list[SeriesNumber]) -> list[SeriesRun]:
    """Every run of a series; see `series_run_spans`."""
    return [_run(span) for span in series_run_spans(numbers)]


def series_view(
    backend: SearchBackend, issuer_code: str, year: int, options: SeriesOptions = SeriesOptions()
) -> SeriesView:
    """The numbers of one issuer code and year that any record holds or cites, stated as runs.

    One `series_numbers` call: the index's counts per number, no record loaded.
    """
    numbers = sorted(backend.series_numbers(issuer_code, year), key=_by_serial)
    spans = _spans_of_sorted(numbers)
    # a series of hundreds of numbers has hundreds of runs: only the ones stated become models
    runs = [_run(span) for span in spans[: options.runs]]
    serials = [number.serial for number in numbers]
    held = sum(1 for number in numbers if number.holders)
    cited_not_held = sum(1 for number in numbers if not number.holders and number.citing)
    low, high = (serials[0], serials[-1]) if serials else (None, None)
    span = high - low + 1 if low is not None and high is not None else 0
    page = None
    if options.numbers:
        page = [
            SeriesEntry(
                serial=number.serial,
                canonical=number.canonical,
                held=number.holders > 0,
                withdrawn=number.holders > 0 and number.withdrawn_holders == number.holders,
                cited=number.citing > 0,
                holders=number.holders,
            )
            for number in numbers[options.numbers_offset : options.numbers_offset + options.numbers_limit]
        ]
    return SeriesView(
        issuer_code=issuer_code,
        year=year,
        min_serial=low,
        max_serial=high,
        numbers_total=len(numbers),
        held_count=held,
        gap_count=span - held,
        cited_not_held_count=cited_not_held,
        runs=runs,
        runs_total=len(spans),
        numbers=page,
        numbers_offset=options.numbers_offset if options.numbers else 0,
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
