"""GET /doc-numbers/{number} and POST /doc-numbers/batch."""

from __future__ import annotations

import csv
import io
import json
from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from search_api.deps import BackendDep, ServicesDep
from search_api.models import BatchResult, DocNumberReport, ErrorResponse
from search_api.queries.docnumbers import (
    CITED_PAGE_SIZE,
    MAX_BATCH_LINES,
    MAX_CITED_OFFSET,
    MAX_CITED_PAGE_SIZE,
    MAX_SERIES_NUMBERS_PAGE,
    MAX_SERIES_RUNS,
    SERIES_NUMBERS_PAGE,
    SERIES_RUNS,
    SeriesOptions,
    batch_lookup,
    doc_number_report,
    parse_batch_text,
)
from search_api.queries.records import json_response
from search_api.queries.search import doc_number_info

router = APIRouter(tags=["doc-numbers"])

MAX_BATCH_BYTES = 256 * 1024


@router.get(
    "/doc-numbers/{number}",
    response_model=DocNumberReport,
    responses={400: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
    summary="A 文号 in any spelling: holders, citing documents, and its series stated as runs with gaps",
)
async def get_doc_number(
    number: Annotated[str, Path(min_length=1, max_length=200, description="any spelling, URL-encoded")],
    services: ServicesDep,
    series: Annotated[bool, Query(description="include the series view (false: a faster lookup)")] = True,
    series_runs: Annotated[
        int, Query(ge=0, le=MAX_SERIES_RUNS, description="runs of the series stated (from the lowest serial)")
    ] = SERIES_RUNS,
    series_numbers: Annotated[
        bool, Query(description="also list the series' numbers one by one, a page at a time")
    ] = False,
    series_offset: Annotated[int, Query(ge=0, description="numbers of the series to skip (paging)")] = 0,
    series_limit: Annotated[
        int, Query(ge=1, le=MAX_SERIES_NUMBERS_PAGE, description="numbers of the series per page")
    ] = SERIES_NUMBERS_PAGE,
    cited_limit: Annotated[
        int, Query(ge=0, le=MAX_CITED_PAGE_SIZE, description="citing records per page (`cited_by`)")
    ] = CITED_PAGE_SIZE,
    cited_offset: Annotated[
        int, Query(ge=0, le=MAX_CITED_OFFSET, description="citing records to skip (paging)")
    ] = 0,
) -> Response:
    info = doc_number_info(number)
    if info.canonical is None:
        raise HTTPException(400, f"not a document number: {number!r}")
    report = partial(
        doc_number_report,
        services.backend,
        info,
        with_series=series,
        series_options=SeriesOptions(
            runs=series_runs, numbers=series_numbers, numbers_offset=series_offset, numbers_limit=series_limit
        ),
        cited_limit=cited_limit,
        cited_offset=cited_offset,
        series_cache=services.series_cache,
    )
    # answered on the event loop: the whole answer, series included, is a few milliseconds of CPU (3.5 ms at 1M
    # documents), and handing it to the thread pool added 1.7 ms of GIL hand-over to each answer (measured)
    return json_response(report())


_BATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/plain": {"schema": {"type": "string", "description": "one number per line"}},
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["numbers"],
                    "properties": {"numbers": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["numbers"],
                    "properties": {"numbers": {"type": "string", "description": "one number per line"}},
                }
            },
        },
    }
}


async def read_batch_inputs(request: Request) -> list[str]:
    """The numbers of a batch request, whichever of the three body types it uses."""
    body = await request.body()
    if len(body) > MAX_BATCH_BYTES:
        raise HTTPException(413, f"batch body larger than {MAX_BATCH_BYTES} bytes")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            payload = json.loads(body or b"null")
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise HTTPException(400, f"invalid JSON: {error}") from error
        numbers = payload.get("numbers") if isinstance(payload, dict) else None
        if not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
            raise HTTPException(400, 'JSON body must be {"numbers": ["…", …]}')
        return [line for n in numbers for line in parse_batch_text(n)]
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        value = form.get("numbers")
        if not isinstance(value, str):
            raise HTTPException(400, "form field 'numbers' is missing")
        return parse_batch_text(value)
    try:
        return parse_batch_text(body.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise HTTPException(400, "text body must be UTF-8") from error


def batch_csv(result: BatchResult) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["line", "input", "canonical", "status", "document_ids", "titles", "link"])
    for line in result.lines:
        writer.writerow(
            [
                line.line,
                line.input,
                line.canonical or "",
                line.status.value,
                " ".join(d.id for d in line.documents),
                " | ".join(d.title for d in line.documents),
                line.link or "",
            ]
        )
    return out.getvalue().encode("utf-8")


@router.post(
    "/doc-numbers/batch",
    response_model=BatchResult,
    openapi_extra=_BATCH_BODY,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        400: {"model": ErrorResponse},
        413: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
    summary=f"Look up a pasted list of numbers (one per line, any spelling, at most {MAX_BATCH_LINES})",
)
async def batch(
    request: Request,
    backend: BackendDep,
    format: Annotated[
        Literal["json", "csv"] | None, Query(description="csv, or send Accept: text/csv")
    ] = None,
) -> BatchResult | Response:
    inputs = await read_batch_inputs(request)
    if len(inputs) > MAX_BATCH_LINES:
        raise HTTPException(413, f"at most {MAX_BATCH_LINES} numbers per batch, got {len(inputs)}")
    result = await run_in_threadpool(batch_lookup, backend, inputs)
    wants_csv = format == "csv" or (format is None and "text/csv" in request.headers.get("accept", ""))
    if wants_csv:
        return Response(
            batch_csv(result),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="doc-numbers.csv"'},
        )
    return result
