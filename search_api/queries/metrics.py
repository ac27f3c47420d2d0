"""Prometheus metrics, gathered when scraped: index documents per site and status, catalogue sites, the health of
each component, and (with GONGKAI_REDIS_URL) the crawl queue, its workers and per-site run outcomes."""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from indexer.health import HealthStatus
from search_api.deps import Services
from search_api.queries.health import WORKER_SILENT_SECONDS, health_report


class GongkaiCollector(Collector):
    def __init__(self, services: Services) -> None:
        self.services = services

    def collect(self) -> Iterator[Metric]:
        report = health_report(self.services)
        up = GaugeMetricFamily(
            "gongkai_component_up", "1 when a component is ok or degraded, 0 when down", labels=["component"]
        )
        for component in report.components:
            up.add_metric([component.name], 0.0 if component.status is HealthStatus.down else 1.0)
        yield up
        yield from self._index()
        yield GaugeMetricFamily(
            "gongkai_catalog_sites", "sites in the catalogue", value=len(self.services.catalog.sites())
        )
        if self.services.settings.redis_url:
            yield from self._queue()

    def _index(self) -> Iterator[Metric]:
        documents = GaugeMetricFamily(
            "gongkai_index_documents", "documents in the search index", labels=["site", "status"]
        )
        try:
            stats = self.services.backend.stats()
        except Exception:
            yield documents
            return
        for site in stats.sites:
            for status, count in site.by_status.items():
                documents.add_metric([site.site, status], float(count))
        yield documents

    def _queue(self) -> Iterator[Metric]:
        from indexer.crawl_queue import SiteJobQueue

        settings = self.services.settings
        queue = SiteJobQueue(settings.redis_url or "", prefix=settings.redis_prefix)
        now = time.time()
        workers = queue.workers()
        yield GaugeMetricFamily(
            "gongkai_workers",
            "crawl workers heard from recently",
            value=sum(1 for beat in workers if now - beat.seen <= WORKER_SILENT_SECONDS),
        )
        yield GaugeMetricFamily(
            "gongkai_queue_due", "sites due now and not leased", value=queue.depth(now=now)
        )
        yield GaugeMetricFamily(
            "gongkai_queue_sites", "sites in the queue (due now or later)", value=len(queue.queued())
        )
        yield GaugeMetricFamily("gongkai_queue_leases", "sites being crawled now", value=len(queue.leases()))
        runs = CounterMetricFamily("gongkai_site_runs", "crawl runs per site", labels=["site"])
        failures = CounterMetricFamily("gongkai_site_failures", "failed crawl runs per site", labels=["site"])
        success = GaugeMetricFamily(
            "gongkai_site_last_success_timestamp_seconds", "end of the last successful run", labels=["site"]
        )
        for stats in queue.all_stats():
            runs.add_metric([stats.site], float(stats.runs))
            failures.add_metric([stats.site], float(stats.failures))
            if stats.last_success is not None:
                success.add_metric([stats.site], stats.last_success)
        yield from (runs, failures, success)
