"""The search parameters shared by /search, the exports, the Atom feed and the search page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, HTTPException, Query
from pydantic import Field

from indexer.backends.base import DateRange, SearchFilters, SearchRequest, SortOrder
from indexer.schema import RecordStatus
from search_api.models import Include

MAX_PAGE_SIZE = 100
MAX_PAGE = 1000
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)

Year = Annotated[int, Field(ge=EARLIEST_DATE.year, le=LATEST_DATE.year)]


@dataclass(frozen=True)
class SearchQuery:
    request: SearchRequest
    include: list[Include]

    def wants(self, part: Include) -> bool:
        return part in self.include


async def search_query(
    q: Annotated[str, Query(max_length=500, description='words, "quoted phrases", -exclusion, OR')] = "",
    site: Annotated[list[str], Query(description="site id; repeat for several")] = [],  # noqa: B006
    issuer: Annotated[list[str], Query(description="发布机构")] = [],  # noqa: B006
    issuer_code: Annotated[list[str], Query(description="发文机关代字 of the 文号, e.g. 济政办发")] = [],  # noqa: B006
    column: Annotated[list[str], Query(description="column name or path prefix joined by '/'")] = [],  # noqa: B006
    category: Annotated[list[str], Query()] = [],  # noqa: B006
    doc_year: Annotated[list[Year], Query(description="year of the 文号")] = [],  # noqa: B006
    has_doc_number: Annotated[
        bool | None, Query(description="only records with (true) / without a 文号")
    ] = None,
    ocr: Annotated[
        bool | None, Query(description="only records whose text was (true) / was not read from scans by OCR")
    ] = None,
    status: Annotated[list[RecordStatus], Query()] = [],  # noqa: B006
    written_from: Annotated[date | None, Query(description="成文日期 on or after")] = None,
    written_to: Annotated[date | None, Query(description="成文日期 on or before")] = None,
    published_from: Annotated[date | None, Query(description="发布日期 on or after")] = None,
    published_to: Annotated[date | None, Query(description="发布日期 on or before")] = None,
    sort: Annotated[SortOrder, Query()] = SortOrder.relevance,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"at most {MAX_PAGE_SIZE}")] = 20,
    include: Annotated[
        list[Include], Query(description="optional parts: body, facets, attachments_text")
    ] = [],  # noqa: B006
) -> SearchQuery:
    for name, value in (
        ("written_from", written_from),
        ("written_to", written_to),
        ("published_from", published_from),
        ("published_to", published_to),
    ):
        if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise HTTPException(400, f"{name} must be between {EARLIEST_DATE} and {LATEST_DATE}, got {value}")
    filters = SearchFilters(
        site=_clean(site),
        issuer=_clean(issuer),
        issuer_code=_clean(issuer_code),
        column=_clean(column),
        category=_clean(category),
        doc_year=list(dict.fromkeys(doc_year)),
        has_doc_number=has_doc_number,
        ocr=ocr,
        status=list(dict.fromkeys(status)),
        written_date=DateRange(gte=written_from, lte=written_to),
        published_date=DateRange(gte=published_from, lte=published_to),
    )
    request = SearchRequest(
        q=q.strip(),
        filters=filters,
        sort=sort,
        page=page,
        size=size,
        facets=[],
        highlight=True,
    )
    return SearchQuery(request=request, include=list(dict.fromkeys(include)))


def _clean(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


SearchQueryDep = Annotated[SearchQuery, Depends(search_query)]
