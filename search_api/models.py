"""Response models of the API: the public contract a generated client sees."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from indexer.audit import AuditThresholds, SiteAudit
from indexer.backends.base import FacetBucket, SearchFilters, SortOrder
from indexer.catalog import FirstSeenBurst, RunInfo, SiteCompleteness, VersionInfo
from indexer.health import ComponentHealth, HealthStatus
from indexer.schema import DisclosureRecord, WarcRef


class ErrorResponse(BaseModel):
    detail: str


class Include(StrEnum):
    """Optional parts of a response, requested with repeated `include=` parameters."""

    body = "body"
    facets = "facets"
    attachments_text = "attachments_text"


class RecordOut(DisclosureRecord):
    """A record as returned in lists: `body_text` is null unless `include=body` was asked for."""

    body_text: str | None = None  # type: ignore[assignment]
    link: str = Field(default="", description="API path of the full document")


class RecordRef(BaseModel):
    """A record named in a list of references: enough to show and follow it (`link` has the whole record)."""

    id: str
    site: str
    title: str
    doc_number: str | None = None
    issuer: str | None = None
    published_date: date | None = None
    status: str
    link: str


class Provenance(BaseModel):
    url: str
    fetched_at: datetime
    warc: WarcRef | None = None
    original_link: str | None = Field(default=None, description="API path of the archived bytes")


class DocNumberInfo(BaseModel):
    input: str
    canonical: str | None = None
    issuer_code: str | None = None
    year: int | None = None
    serial: int | None = None
    kind: str | None = None


class SearchHitOut(BaseModel):
    record: RecordOut
    score: float | None = None
    snippets: list[str] = Field(default_factory=list, description="escaped text; only <mark> is markup")


class QueryEcho(BaseModel):
    q: str
    filters: SearchFilters
    sort: SortOrder
    page: int
    size: int
    include: list[Include]


class SearchResult(BaseModel):
    query: QueryEcho
    matched: Literal["text", "doc_number"] = Field(
        description="doc_number when q looked like a document number and a record holds it"
    )
    doc_number: DocNumberInfo | None = Field(default=None, description="set when q looks like a 文号")
    total: int
    page: int
    size: int
    pages: int
    results: list[SearchHitOut]
    facets: dict[str, list[FacetBucket]] | None = Field(default=None, description="with include=facets")


class CitationOut(BaseModel):
    canonical: str
    held_by: list[str] = Field(default_factory=list, description="ids of records holding this number")
    link: str


class DocumentDetail(BaseModel):
    record: DisclosureRecord
    provenance: Provenance
    versions: list[VersionInfo]
    cites: list[CitationOut]
    cited_by: list[RecordOut]


class SeriesEntry(BaseModel):
    serial: int
    canonical: str
    held: bool
    withdrawn: bool = False
    cited: bool = False
    holders: int = Field(default=0, description="records holding the number (see /doc-numbers/{canonical})")


class SeriesRunState(StrEnum):
    """What a run of consecutive serials is: held by a record, held only by withdrawn records, cited somewhere
    but held by none, or neither held nor cited (missing)."""

    held = "held"
    withdrawn = "withdrawn"
    cited_not_held = "cited_not_held"
    missing = "missing"


class SeriesRun(BaseModel):
    state: SeriesRunState
    first: int
    last: int
    count: int = Field(description="serials in the run (last - first + 1)")


class SeriesView(BaseModel):
    """A series (issuer code and year) stated as runs of serials from `min_serial` to `max_serial`.

    The per-number list is left out unless asked for (`series_numbers=true`), one page at a time: a series can
    hold thousands of numbers, and the runs say the same in a few lines.
    """

    issuer_code: str
    year: int
    min_serial: int | None = None
    max_serial: int | None = None
    numbers_total: int = Field(description="numbers of the series that any record holds or cites")
    held_count: int = Field(description="serials held by at least one record (withdrawn ones included)")
    gap_count: int = Field(description="serials between min and max that no record holds (cited or not)")
    cited_not_held_count: int = Field(description="serials cited somewhere but held by no record")
    runs: list[SeriesRun] = Field(description="consecutive serials in the same state, from min to max")
    runs_total: int = Field(
        description="all runs of the series; `runs` holds the first `series_runs` of them"
    )
    numbers: list[SeriesEntry] | None = Field(
        default=None, description="with series_numbers=true: one page of the numbers seen, by serial"
    )
    numbers_offset: int = 0


class LookupStatus(StrEnum):
    found = "found"
    not_found = "not_found"
    withdrawn = "withdrawn"
    invalid = "invalid"


class DocNumberReport(BaseModel):
    number: DocNumberInfo
    status: LookupStatus
    held: list[RecordOut]
    cited_by: list[RecordRef] = Field(
        description="one page of the records citing the number (holders left out), newest first: "
        "`cited_limit` of them from `cited_offset`; each links to the whole record"
    )
    cited_by_total: int = Field(description="how many records cite the number (holders left out)")
    cited_but_not_held: bool
    series: SeriesView | None = None


class BatchDocument(BaseModel):
    id: str
    title: str
    status: str
    link: str


class BatchLine(BaseModel):
    line: int
    input: str
    canonical: str | None
    status: LookupStatus
    documents: list[BatchDocument]
    link: str | None = None


class BatchResult(BaseModel):
    lines: list[BatchLine]
    counts: dict[str, int]


class CompletenessOut(BaseModel):
    records: int
    doc_number_share: float
    index_number_share: float
    written_date_share: float

    @classmethod
    def from_catalog(cls, row: SiteCompleteness) -> CompletenessOut:
        def share(n: int) -> float:
            return round(n / row.records, 4) if row.records else 0.0

        return cls(
            records=row.records,
            doc_number_share=share(row.with_doc_number),
            index_number_share=share(row.with_index_number),
            written_date_share=share(row.with_written_date),
        )


class SiteCoverage(BaseModel):
    site: str
    name: str | None = None
    audit: SiteAudit
    completeness: CompletenessOut | None = None
    bursts: list[FirstSeenBurst] = Field(default_factory=list)


class CoverageReport(BaseModel):
    as_of: date
    thresholds: AuditThresholds
    sites: list[SiteCoverage]


class SiteHealth(StrEnum):
    ok = "ok"
    failed = "failed"
    running = "running"
    never_run = "never_run"


class SiteOut(BaseModel):
    id: str
    name: str
    department: str
    platform: str
    base_url: str
    records: int
    health: SiteHealth
    last_run: RunInfo | None = None


class JobOut(BaseModel):
    job_id: str
    command: list[str]
    pid: int
    started_at: datetime
    log_file: str
    returncode: int | None = None


class CrawlRequest(BaseModel):
    site: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    all: bool = False


class HealthReport(BaseModel):
    """GET /health: the overall verdict and every component checked."""

    status: HealthStatus = Field(
        description="down (HTTP 503) when an essential component is down; degraded when anything is not ok"
    )
    checked_at: datetime
    components: list[ComponentHealth]
