"""The one small interface every index backend implements, and the models that cross it."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import date
from enum import StrEnum
from typing import NamedTuple, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from indexer.health import ComponentHealth, HealthStatus
from indexer.schema import DisclosureRecord, RecordStatus

FACET_FIELDS = ("site", "issuer", "column", "category", "year")


class BackendUnavailable(RuntimeError):
    """The engine cannot be reached or refuses the operation; callers answer 503 or spool."""


class WriteRejected(BackendUnavailable):
    """The engine is up but refused some writes (e.g. bulk item errors); the caller may spool and retry."""


class UnavailableBackend:
    """Stands in for an engine that could not be opened: every operation raises BackendUnavailable(reason),
    so the API answers 503 and a crawl spools its records."""

    name = "unavailable"

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def close(self) -> None:
        """Nothing was opened."""

    def health(self) -> ComponentHealth:
        return ComponentHealth(name="index", status=HealthStatus.down, essential=True, reason=self.reason)

    def __getattr__(self, attribute: str) -> object:
        def fail(*args: object, **kwargs: object) -> None:
            raise BackendUnavailable(self.reason)

        return fail


class QuerySyntaxError(ValueError):
    """The user's query cannot be parsed; callers answer 400 with this message."""


class SortOrder(StrEnum):
    relevance = "relevance"
    published_date = "published_date"
    written_date = "written_date"


class DateRange(BaseModel):
    gte: date | None = None
    lte: date | None = None


class SearchFilters(BaseModel):
    site: list[str] = Field(default_factory=list)
    issuer: list[str] = Field(default_factory=list)
    column: list[str] = Field(default_factory=list, description="a column name or path prefix joined by '/'")
    category: list[str] = Field(default_factory=list)
    doc_year: list[int] = Field(default_factory=list)
    issuer_code: list[str] = Field(default_factory=list)
    has_doc_number: bool | None = None
    ocr: bool | None = Field(default=None, description="only records with (true) / without text read by OCR")
    status: list[RecordStatus] = Field(default_factory=list)
    written_date: DateRange = Field(default_factory=DateRange)
    published_date: DateRange = Field(default_factory=DateRange)


class SearchRequest(BaseModel):
    q: str = Field(default="", description='words, "quoted phrases", -exclusion, OR')
    filters: SearchFilters = Field(default_factory=SearchFilters)
    sort: SortOrder = SortOrder.relevance
    page: int = Field(default=1, ge=1)
    size: int = Field(default=20, ge=0, le=100)
    facets: list[str] = Field(default_factory=lambda: list(FACET_FIELDS))
    highlight: bool = True


class SearchHit(BaseModel):
    record: DisclosureRecord
    score: float | None = None
    snippets: list[str] = Field(default_factory=list, description="HTML-escaped text with <mark> around hits")
    title_highlight: str | None = Field(
        default=None, description="HTML-escaped title with <mark> around hits"
    )


class SeriesNumber(NamedTuple):
    """One number of a series (an issuer code and year) that some record holds or cites, with its counts.

    Read from the index's term dictionaries of `doc_number` and `cites`, so a series of hundreds of numbers
    loads no record at all. A plain named tuple, not a model: a series has hundreds of them and nothing outside
    the process sees one (tuples are built about five times faster than a list of models is validated).
    """

    canonical: str
    serial: int
    holders: int  # records holding the number
    withdrawn_holders: int  # those of the holders that are withdrawn
    citing: int  # records citing the number


class RecordPage(BaseModel):
    """One page of a longer list of records, and how many there are in all."""

    total: int
    records: list[DisclosureRecord]


class FacetBucket(BaseModel):
    value: str
    count: int


class SearchResponse(BaseModel):
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetBucket]] = Field(default_factory=dict)


class SiteStats(BaseModel):
    site: str
    total: int
    by_status: dict[str, int]


class IndexStats(BaseModel):
    backend: str
    total: int
    sites: list[SiteStats]
    backlog: int = Field(default=0, description="records spooled while the engine was unavailable")


@runtime_checkable
class SearchBackend(Protocol):
    name: str

    def upsert(self, records: Iterable[DisclosureRecord]) -> int: ...
    def delete(self, ids: Iterable[str]) -> int: ...
    def get(self, record_id: str) -> DisclosureRecord | None: ...
    def search(self, request: SearchRequest) -> SearchResponse: ...
    def lookup_doc_number(self, canonical: str) -> list[DisclosureRecord]: ...
    def citing(self, canonical: str, limit: int = 100) -> list[DisclosureRecord]: ...
    def citing_page(self, canonical: str, *, limit: int, offset: int = 0) -> RecordPage: ...
    def series_numbers(self, issuer_code: str, year: int) -> list[SeriesNumber]: ...
    def stats(self) -> IndexStats: ...
    def refresh(self) -> None: ...
    def generation(self) -> Hashable | None:
        """A token that changes whenever what a search can see may have changed; answers derived from the index
        can be cached under it. None: no such token, do not cache."""
        ...

    def clear(self) -> None: ...
    def close(self) -> None: ...
    def health(self) -> ComponentHealth:
        """Whether the index answers, without raising: the `index` component of GET /health."""
        ...
