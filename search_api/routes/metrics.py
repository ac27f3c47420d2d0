"""GET /metrics: Prometheus text exposition of the service, the index and the crawl queue."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import CollectorRegistry

from search_api.deps import ServicesDep
from search_api.queries.metrics import GongkaiCollector

router = APIRouter(tags=["health"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text format"}},
    summary="Prometheus metrics: components up, index documents, crawl queue, workers, per-site runs",
)
def metrics(services: ServicesDep) -> Response:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(GongkaiCollector(services))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
