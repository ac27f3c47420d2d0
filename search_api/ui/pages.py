"""Server-rendered pages (Jinja2, autoescaped; no JavaScript) served by the API app."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from indexer.audit import KIND_RULES, AuditThresholds, ColumnAudit, ColumnStatus
from indexer.backends.base import BackendUnavailable, QuerySyntaxError
from search_api.deps import BackendDep, CatalogDep, ServicesDep
from search_api.models import Include
from search_api.params import SearchQuery, SearchQueryDep
from search_api.queries.coverage import cached_coverage_report, sites_overview
from search_api.queries.docnumbers import (
    MAX_BATCH_LINES,
    MAX_CITED_PAGE_SIZE,
    MAX_SERIES_NUMBERS_PAGE,
    MAX_SERIES_RUNS,
    SeriesOptions,
    batch_lookup,
    doc_number_report,
    parse_batch_text,
)
from search_api.queries.documents import document_detail
from search_api.queries.records import clean_snippet
from search_api.queries.search import doc_number_info, run_search
from search_api.routes.coverage import audit_thresholds, checked_as_of

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False)

FACET_PARAM = {"site": "site", "issuer": "issuer", "column": "column", "category": "category"}
FACET_LABEL = {"site": "站点", "issuer": "发布机构", "column": "栏目", "category": "分类", "year": "年份"}


def _snippet(value: str) -> Markup:
    """Snippets are the only markup rendered: sanitised to text plus <mark>."""
    return Markup(clean_snippet(value))


templates.env.filters["snippet"] = _snippet
templates.env.filters["urlpart"] = lambda value: quote(str(value), safe="")


def _query_items(request: Request) -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.query_params.multi_items() if k not in ("page",) and v != ""]


def _url(path: str, items: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(items)}" if items else path


def _search_links(request: Request, result_pages: int, page: int) -> dict[str, Any]:
    base = _query_items(request)
    exports = {
        "CSV": _url("/export.csv", base),
        "JSONL": _url("/export.jsonl", base),
        "XLSX": _url("/export.xlsx", base),
        "Atom": _url("/feeds/search.atom", [(k, v) for k, v in base if k not in ("sort", "size")]),
    }
    previous = _url("/", [*base, ("page", str(page - 1))]) if page > 1 else None
    following = _url("/", [*base, ("page", str(page + 1))]) if page < result_pages else None
    return {"exports": exports, "previous": previous, "next": following}


def _facet_links(request: Request, facets: dict[str, Any]) -> list[dict[str, Any]]:
    base = _query_items(request)
    groups = []
    for name, buckets in facets.items():
        links = []
        for bucket in buckets[:15]:
            if name == "year":
                extra = [
                    ("published_from", f"{bucket.value}-01-01"),
                    ("published_to", f"{bucket.value}-12-31"),
                ]
                items = [(k, v) for k, v in base if k not in ("published_from", "published_to")] + extra
                active = ("published_from", f"{bucket.value}-01-01") in base
            else:
                param = FACET_PARAM[name]
                active = (param, bucket.value) in base
                items = base if active else [*base, (param, bucket.value)]
            links.append(
                {"value": bucket.value, "count": bucket.count, "url": _url("/", items), "active": active}
            )
        if links:
            groups.append({"name": name, "label": FACET_LABEL.get(name, name), "links": links})
    return groups


def _render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def _error(request: Request, error: Exception, status_code: int) -> HTMLResponse:
    return _render(request, "error.html", {"message": str(error), "status_code": status_code}, status_code)


def _engine_down(request: Request, error: BackendUnavailable) -> HTMLResponse:
    return _error(request, RuntimeError(f"the search engine is unavailable: {error}"), 503)


def _ui_query(query: SearchQueryDep) -> SearchQuery:
    return SearchQuery(request=query.request, include=[Include.facets])


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request, query: Annotated[SearchQuery, Depends(_ui_query)], backend: BackendDep
) -> HTMLResponse:
    try:
        result = run_search(backend, query)
    except QuerySyntaxError as error:
        return _render(
            request, "search.html", {"query": query.request, "result": None, "error": str(error)}, 400
        )
    except BackendUnavailable as error:
        return _engine_down(request, error)
    context = {
        "query": query.request,
        "result": result,
        "error": None,
        "facets": _facet_links(request, result.facets or {}),
        "links": _search_links(request, result.pages, result.page),
    }
    return _render(request, "search.html", context)


@router.get("/ui/documents/{record_id}", response_class=HTMLResponse)
def document_page(request: Request, record_id: str, backend: BackendDep, catalog: CatalogDep) -> HTMLResponse:
    try:
        detail = document_detail(backend, catalog, record_id)
    except BackendUnavailable as error:
        return _engine_down(request, error)
    if detail is None:
        return _error(request, LookupError(f"no document with id {record_id}"), 404)
    return _render(request, "document.html", {"detail": detail, "record": detail.record})


@router.get("/ui/doc-numbers", response_class=HTMLResponse)
def doc_numbers_page(
    request: Request, number: Annotated[str | None, Query(max_length=200)] = None
) -> Response:
    if number and number.strip():
        return RedirectResponse(f"/ui/doc-numbers/{quote(number.strip(), safe='')}", status_code=303)
    return _render(request, "docnumbers.html", {"report": None, "batch": None, "max_lines": MAX_BATCH_LINES})


@router.get("/ui/doc-numbers/{number}", response_class=HTMLResponse)
def doc_number_page(request: Request, number: str, backend: BackendDep) -> HTMLResponse:
    info = doc_number_info(number)
    if info.canonical is None:
        return _render(
            request,
            "docnumbers.html",
            {"report": None, "batch": None, "error": f"not a document number: {number}", "number": number},
            400,
        )
    try:
        report = doc_number_report(
            backend,
            info,
            series_options=SeriesOptions(
                runs=MAX_SERIES_RUNS, numbers=True, numbers_limit=MAX_SERIES_NUMBERS_PAGE
            ),
            cited_limit=MAX_CITED_PAGE_SIZE,
        )
    except BackendUnavailable as error:
        return _engine_down(request, error)
    return _render(request, "docnumbers.html", {"report": report, "batch": None, "number": number})


@router.post("/ui/doc-numbers/batch", response_class=HTMLResponse)
def doc_number_batch_page(
    request: Request, backend: BackendDep, numbers: Annotated[str, Form(max_length=256 * 1024)] = ""
) -> HTMLResponse:
    inputs = parse_batch_text(numbers)
    if len(inputs) > MAX_BATCH_LINES:
        error = f"at most {MAX_BATCH_LINES} numbers per batch, got {len(inputs)}"
        return _render(request, "docnumbers.html", {"report": None, "batch": None, "error": error}, 413)
    try:
        batch = batch_lookup(backend, inputs)
    except BackendUnavailable as error:
        return _engine_down(request, error)
    return _render(request, "docnumbers.html", {"report": None, "batch": batch, "pasted": numbers})


@router.get("/ui/coverage", response_class=HTMLResponse)
def coverage_page(
    request: Request,
    services: ServicesDep,
    thresholds: Annotated[AuditThresholds, Depends(audit_thresholds)],
    site: Annotated[list[str], Query()] = [],  # noqa: B006
    as_of: Annotated[date | None, Query()] = None,
) -> HTMLResponse:
    report = cached_coverage_report(
        services.catalog, services.cache, checked_as_of(as_of), thresholds, site or None
    )
    # heat map: one row per site, one cell per leaf column, in a shared column order
    paths: list[str] = []
    for entry in report.sites:
        for column in entry.audit.columns:
            key = "/".join(column.path)
            if column.is_leaf and key not in paths:
                paths.append(key)
    cells = {
        entry.site: {"/".join(c.path): c for c in entry.audit.columns if c.is_leaf} for entry in report.sites
    }
    # a column's kind depends on its path alone: one row per distinct path says which rule gave it
    kinds: dict[str, ColumnAudit] = {}
    for entry in report.sites:
        for column in entry.audit.columns:
            kinds.setdefault("/".join(column.path), column)
    query_items = _query_items(request)
    context = {
        "report": report,
        "paths": paths,
        "cells": cells,
        "kinds": kinds,
        "kind_rules": KIND_RULES,
        "statuses": list(ColumnStatus),
        "csv_link": _url("/coverage", [*query_items, ("format", "csv")]),
        "json_link": _url("/coverage", query_items),
    }
    return _render(request, "coverage.html", context)


@router.get("/ui/sites", response_class=HTMLResponse)
def sites_page(request: Request, catalog: CatalogDep) -> HTMLResponse:
    return _render(request, "sites.html", {"sites": sites_overview(catalog)})


def mount(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(router)
