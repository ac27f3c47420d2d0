"""GET /sites: every site with its last run's health."""

from __future__ import annotations

from fastapi import APIRouter

from search_api.deps import CatalogDep
from search_api.models import SiteOut
from search_api.queries.coverage import sites_overview

router = APIRouter(tags=["sites"])


@router.get("/sites", response_model=list[SiteOut], summary="Sites with record counts and last-run health")
def sites(catalog: CatalogDep) -> list[SiteOut]:
    return sites_overview(catalog)
