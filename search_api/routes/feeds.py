"""GET /feeds/search.atom: subscribe to new matches of a search."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from search_api.deps import BackendDep
from search_api.models import ErrorResponse
from search_api.params import SearchQueryDep
from search_api.queries.feeds import atom_feed
from search_api.queries.search import feed_request, iter_search_records

router = APIRouter(tags=["feeds"])


@router.get(
    "/feeds/search.atom",
    response_class=Response,
    responses={
        200: {"content": {"application/atom+xml": {"schema": {"type": "string"}}}},
        400: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
    summary="Atom feed of a search, newest publication date first",
)
def search_feed(
    request: Request,
    query: SearchQueryDep,
    backend: BackendDep,
    entries: Annotated[int, Query(ge=1, le=200, description="number of entries")] = 50,
) -> Response:
    search_request = feed_request(query.request)
    _, records = iter_search_records(backend, search_request, entries)
    base_url = str(request.base_url).rstrip("/")
    title = f"gongkai: {search_request.q}" if search_request.q else "gongkai: newest documents"
    body = atom_feed(
        list(records), feed_url=str(request.url), base_url=base_url, title=title, now=datetime.now(UTC)
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")
