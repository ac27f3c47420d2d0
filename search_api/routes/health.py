"""GET /health: whether the service and the components it depends on work, for operators and load balancers."""

from __future__ import annotations

from fastapi import APIRouter, Response

from indexer.health import HealthStatus
from search_api.deps import ServicesDep
from search_api.models import HealthReport
from search_api.queries.health import health_report

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthReport,
    responses={503: {"model": HealthReport, "description": "an essential component is down"}},
    summary="Health of the index, the catalogue and the other components: 200 ok/degraded, 503 down",
)
def health(services: ServicesDep, response: Response) -> HealthReport:
    report = health_report(services)
    if report.status is HealthStatus.down:
        response.status_code = 503
        response.headers["Retry-After"] = "30"
    return report
