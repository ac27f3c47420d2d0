"""GET /documents/{id} and the archived original."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response

from search_api.deps import BackendDep, CatalogDep, SettingsDep
from search_api.models import DocumentDetail, ErrorResponse
from search_api.queries.documents import document_detail
from search_api.queries.originals import OriginalUnavailable, load_original, original_response

router = APIRouter(tags=["documents"])

RecordId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]


@router.get(
    "/documents/{record_id}",
    response_model=DocumentDetail,
    responses={404: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
    summary="One record with its versions, provenance and citations both ways",
)
def get_document(record_id: RecordId, backend: BackendDep, catalog: CatalogDep) -> DocumentDetail:
    detail = document_detail(backend, catalog, record_id)
    if detail is None:
        raise HTTPException(404, f"no document with id {record_id}")
    return detail


@router.get(
    "/documents/{record_id}/original",
    response_class=Response,
    responses={
        200: {
            "description": "the archived bytes; always sandboxed (CSP sandbox, nosniff). "
            "Default: a download (Content-Disposition: attachment) with the original media type; "
            "view=text: shown inline as text/plain",
            "content": {"application/octet-stream": {}, "text/plain": {}},
        },
        404: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
    summary="The archived HTTP response body as harvested",
)
def get_original(
    record_id: RecordId,
    backend: BackendDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    version: Annotated[int | None, Query(ge=1, le=100_000, description="an older version")] = None,
    view: Annotated[Literal["download", "text"], Query()] = "download",
) -> Response:
    record = backend.get(record_id)
    if record is None:
        raise HTTPException(404, f"no document with id {record_id}")
    warc = record.warc
    if version is not None:
        matching = [v for v in catalog.versions(record_id) if v.version == version and v.warc]
        if not matching:
            raise HTTPException(404, f"no archived version {version} of {record_id}")
        warc = matching[-1].warc
    if warc is None:
        raise HTTPException(404, f"document {record_id} has no archived original")
    try:
        original = load_original(settings.warc_dir, warc)
    except OriginalUnavailable as error:
        raise HTTPException(404, str(error)) from error
    return original_response(original, record_id=record_id, as_text=view == "text")
