"""GET /search."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from search_api.deps import BackendDep
from search_api.models import ErrorResponse, SearchResult
from search_api.params import SearchQueryDep
from search_api.queries.records import json_response
from search_api.queries.search import run_search

router = APIRouter(tags=["search"])


@router.get(
    "/search",
    response_model=SearchResult,
    responses={400: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
    summary="Full-text search; a query that looks like a 文号 is looked up exactly first",
)
def search(query: SearchQueryDep, backend: BackendDep) -> Response:
    return json_response(run_search(backend, query))
