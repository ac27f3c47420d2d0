"""Exports of any search (same parameters as /search): CSV, JSONL, XLSX; streamed and capped."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse

from search_api.deps import BackendDep
from search_api.models import ErrorResponse
from search_api.params import SearchQuery, SearchQueryDep
from search_api.queries.exports import (
    EXPORT_ROW_CAP,
    MEDIA_TYPES,
    ExportFormat,
    export_row,
    iter_csv,
    iter_jsonl,
    xlsx_bytes,
)
from search_api.queries.search import iter_search_records

router = APIRouter(tags=["exports"])

_EXPORT_RESPONSES: dict[int | str, dict] = {
    200: {
        "description": f"rows of the search (at most {EXPORT_ROW_CAP}); X-Total-Count and X-Export-Truncated "
        "headers tell whether the cap cut the result",
        "content": {media: {"schema": {"type": "string"}} for media in MEDIA_TYPES.values()},
    },
    400: {"model": ErrorResponse},
    503: {"model": ErrorResponse},
}


def export_response(
    backend: BackendDep, query: SearchQuery, export_format: ExportFormat, limit: int
) -> Response:
    exported_at = datetime.now(UTC)
    request = query.request
    total, records = iter_search_records(backend, request, limit)

    def rows() -> Iterator[dict[str, str | int | None]]:
        for record in records:
            yield export_row(record, request.q, exported_at)

    stamp = exported_at.strftime("%Y%m%dT%H%M%SZ")
    headers = {
        "Content-Disposition": f'attachment; filename="gongkai-export-{stamp}.{export_format.value}"',
        "X-Total-Count": str(total),
        "X-Export-Row-Cap": str(limit),
        "X-Export-Truncated": "true" if total > limit else "false",
        "X-Export-Query": quote(request.q),
        "X-Exported-At": exported_at.isoformat(),
    }
    media_type = MEDIA_TYPES[export_format]
    if export_format is ExportFormat.csv:
        return StreamingResponse(iter_csv(rows()), media_type=media_type, headers=headers)
    if export_format is ExportFormat.jsonl:
        return StreamingResponse(iter_jsonl(rows()), media_type=media_type, headers=headers)
    about = {
        "query": request.q,
        "filters": request.filters.model_dump_json(),
        "sort": request.sort.value,
        "exported_at": exported_at.isoformat(),
        "total_matches": str(total),
        "row_cap": str(limit),
        "truncated": "yes" if total > limit else "no",
    }
    return Response(xlsx_bytes(rows(), about), media_type=media_type, headers=headers)


Limit = Annotated[int, Query(ge=1, le=EXPORT_ROW_CAP, description=f"row cap, at most {EXPORT_ROW_CAP}")]


@router.get("/export.csv", response_class=Response, responses=_EXPORT_RESPONSES, summary="Export as CSV")
def export_csv(query: SearchQueryDep, backend: BackendDep, limit: Limit = EXPORT_ROW_CAP) -> Response:
    return export_response(backend, query, ExportFormat.csv, limit)


@router.get("/export.jsonl", response_class=Response, responses=_EXPORT_RESPONSES, summary="Export as JSONL")
def export_jsonl(query: SearchQueryDep, backend: BackendDep, limit: Limit = EXPORT_ROW_CAP) -> Response:
    return export_response(backend, query, ExportFormat.jsonl, limit)


@router.get("/export.xlsx", response_class=Response, responses=_EXPORT_RESPONSES, summary="Export as XLSX")
def export_xlsx(query: SearchQueryDep, backend: BackendDep, limit: Limit = EXPORT_ROW_CAP) -> Response:
    return export_response(backend, query, ExportFormat.xlsx, limit)


@router.get(
    "/search/export", response_class=Response, responses=_EXPORT_RESPONSES, summary="Export in any format"
)
def export_any(
    query: SearchQueryDep,
    backend: BackendDep,
    format: Annotated[ExportFormat, Query()] = ExportFormat.csv,
    limit: Limit = EXPORT_ROW_CAP,
) -> Response:
    return export_response(backend, query, format, limit)
