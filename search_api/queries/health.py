"""The components GET /health checks, and the overall verdict.

Extension point: a component is one `HealthCheck` in `HEALTH_CHECKS`: its name, whether the service is useless
without it (`essential`), and a function of the app's `Services` returning a `ComponentHealth`, or None when
the component is not configured in this deployment (e.g. no queue for a laptop crawl). To add one (the crawl
queue and its workers, say), write such a function next to the existing ones and append a `HealthCheck` to
`HEALTH_CHECKS`; the endpoint, its OpenAPI model and the 503 rule need no change. A check may raise: the
exception is reported as that component being down, with the exception as the reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from indexer.health import ComponentHealth, HealthStatus, worst
from search_api.deps import Services
from search_api.models import HealthReport


@dataclass(frozen=True)
class HealthCheck:
    name: str
    essential: bool
    check: Callable[[Services], ComponentHealth | None]


def index_health(services: Services) -> ComponentHealth:
    """The search index: embedded (folder readable) or Elasticsearch (cluster status, nodes, shards)."""
    return services.backend.health()


def catalog_health(services: Services) -> ComponentHealth:
    """The catalogue answers a query (engine, location without credentials, schema version, sites)."""
    return ComponentHealth(
        name="catalog", status=HealthStatus.ok, essential=True, details=services.catalog.health()
    )


WORKER_SILENT_SECONDS = 180.0  # a worker renews its lease every lease/3 (20 s by default) and beats with it


def crawl_queue_health(services: Services) -> ComponentHealth | None:
    """The distributed crawl queue (only when GONGKAI_REDIS_URL is set): workers, depth, leases, failing sites.

    Degraded when sites are due but no worker has been heard from lately, or when a site keeps failing.
    """
    if not services.settings.redis_url:
        return None
    from indexer.crawl_queue import SiteJobQueue

    queue = SiteJobQueue(services.settings.redis_url, prefix=services.settings.redis_prefix)
    now = time.time()
    workers = queue.workers()
    alive = [beat for beat in workers if now - beat.seen <= WORKER_SILENT_SECONDS]
    depth = queue.depth(now=now)
    failing = sorted(stats.site for stats in queue.all_stats() if stats.consecutive_failures > 0)
    reasons = []
    if depth and not alive:
        reasons.append(f"{depth} site(s) due and no worker heard from in {WORKER_SILENT_SECONDS:.0f} s")
    if failing:
        reasons.append(f"{len(failing)} site(s) failing: {', '.join(failing[:10])}")
    return ComponentHealth(
        name="crawl_queue",
        status=HealthStatus.degraded if reasons else HealthStatus.ok,
        essential=False,
        reason="; ".join(reasons) or None,
        details={
            "workers": len(alive),
            "workers_silent": len(workers) - len(alive),
            "queue_depth": depth,
            "leases": len(queue.leases()),
            "failing_sites": failing,
        },
    )


HEALTH_CHECKS: list[HealthCheck] = [
    HealthCheck("index", essential=True, check=index_health),
    HealthCheck("catalog", essential=True, check=catalog_health),
    HealthCheck("crawl_queue", essential=False, check=crawl_queue_health),
]


def _run(check: HealthCheck, services: Services) -> ComponentHealth | None:
    try:
        return check.check(services)
    except Exception as error:  # a failing check is a finding, not a failed health request
        return ComponentHealth(
            name=check.name,
            status=HealthStatus.down,
            essential=check.essential,
            reason=f"{type(error).__name__}: {error}",
        )


def overall(components: list[ComponentHealth]) -> HealthStatus:
    """down when an essential component is down; degraded when anything else is not ok; else ok."""
    if any(component.essential and component.status is HealthStatus.down for component in components):
        return HealthStatus.down
    return worst(
        HealthStatus.degraded if c.status is not HealthStatus.ok else HealthStatus.ok for c in components
    )


def health_report(services: Services, checks: list[HealthCheck] | None = None) -> HealthReport:
    components = [
        component
        for check in (HEALTH_CHECKS if checks is None else checks)
        if (component := _run(check, services)) is not None
    ]
    return HealthReport(status=overall(components), checked_at=datetime.now(UTC), components=components)
