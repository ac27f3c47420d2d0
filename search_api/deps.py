"""Typed dependencies: the per-app services (settings, backend, catalogue) and the admin key check."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security, status
from fastapi.security import APIKeyHeader

from indexer.backends.base import SearchBackend
from indexer.catalog import Catalog
from indexer.config import Settings
from indexer.generation_cache import GenerationCache
from search_api.cache import TimedCache


@dataclass
class Services:
    """Opened once per app (lifespan) and shared by every request."""

    settings: Settings
    backend: SearchBackend
    catalog: Catalog
    jobs: dict[str, object] = field(default_factory=dict)
    # catalogue-wide scans (coverage) are cached; a new run invalidates them, see queries/coverage.py
    cache: TimedCache = field(default_factory=lambda: TimedCache(ttl_seconds=300))
    # series views of document numbers, shared by every number of a series, until the index changes
    series_cache: GenerationCache = field(default_factory=lambda: GenerationCache(max_entries=1024))


# The dependencies only read attributes: async, as FastAPI runs a sync one in the thread pool (a round trip
# per dependency and request).
async def get_services(request: Request) -> Services:
    services: Services | None = getattr(request.app.state, "services", None)
    if services is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "the service is starting or stopped")
    return services


async def get_settings(services: Annotated[Services, Depends(get_services)]) -> Settings:
    return services.settings


async def get_backend(services: Annotated[Services, Depends(get_services)]) -> SearchBackend:
    return services.backend


async def get_catalog(services: Annotated[Services, Depends(get_services)]) -> Catalog:
    return services.catalog


ServicesDep = Annotated[Services, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
BackendDep = Annotated[SearchBackend, Depends(get_backend)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]

_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="admin key (GONGKAI_API_KEY)")


def require_api_key(
    settings: SettingsDep, api_key: Annotated[str | None, Security(_api_key_header)] = None
) -> None:
    """Admin actions need `X-API-Key` equal to settings.api_key; without a configured key they are off."""
    if not settings.api_key:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "admin actions are disabled: set GONGKAI_API_KEY for the server and send it as X-API-Key",
        )
    if api_key is None or not hmac.compare_digest(api_key.encode("utf-8"), settings.api_key.encode("utf-8")):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing or wrong X-API-Key",
            headers={"WWW-Authenticate": "API-Key"},
        )
