"""GET /search."""

from __future__ import annotations

from functools import partial

import anyio
from fastapi import APIRouter
from fastapi.responses import Response

from search_api.deps import BackendDep
from search_api.models import ErrorResponse, SearchResult
from search_api.params import SearchQueryDep
from search_api.queries.records import json_response
from search_api.queries.search import run_search

router = APIRouter(tags=["search"])

# Searches are CPU-bound Python under one GIL: run side by side in the thread pool they take turns on it and
# each costs about twice the CPU (measured with bench/bench_api.py --compare). One search thread per process
# runs them one after another while the event loop stays free for quick requests; scale with processes
# (`gongkai serve --workers N`).
SEARCH_THREADS = anyio.CapacityLimiter(1)


@router.get(
    "/search",
    response_model=SearchResult,
    responses={400: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
    summary="Full-text search; a query that looks like a 文号 is looked up exactly first",
)
async def search(query: SearchQueryDep, backend: BackendDep) -> Response:
    result = await anyio.to_thread.run_sync(partial(run_search, backend, query), limiter=SEARCH_THREADS)
    return json_response(result)
