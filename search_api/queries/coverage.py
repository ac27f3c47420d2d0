"""Per-site column coverage, metadata completeness, back-filling bursts and last-run health."""

from __future__ import annotations

from datetime import date

from indexer.audit import AuditThresholds, audit_columns, site_verdict
from indexer.catalog import Catalog
from search_api.cache import TimedCache
from search_api.models import CompletenessOut, CoverageReport, SiteCoverage, SiteHealth, SiteOut


def cached_coverage_report(
    catalog: Catalog,
    cache: TimedCache,
    as_of: date,
    thresholds: AuditThresholds,
    sites: list[str] | None = None,
) -> CoverageReport:
    """The report, recomputed when a site's latest run changes or after the cache's time to live."""
    runs_key = tuple((run.run_id, run.finished_at) for run in catalog.latest_runs())
    key = ("coverage", as_of, thresholds.model_dump_json(), tuple(sites or ()), runs_key)
    return cache.get_or_compute(key, lambda: coverage_report(catalog, as_of, thresholds, sites))


def coverage_report(
    catalog: Catalog, as_of: date, thresholds: AuditThresholds, sites: list[str] | None = None
) -> CoverageReport:
    names = {s.id: s.name for s in catalog.sites()}
    columns = catalog.columns()
    site_ids = sorted(set(names) | {c.site for c in columns})
    if sites:
        site_ids = [s for s in site_ids if s in set(sites)]
    completeness = {row.site: CompletenessOut.from_catalog(row) for row in catalog.completeness()}
    bursts = catalog.first_seen_bursts()
    report_sites = []
    for site in site_ids:
        site_columns = [c for c in columns if c.site == site]
        audits = audit_columns(site_columns, as_of, thresholds)
        report_sites.append(
            SiteCoverage(
                site=site,
                name=names.get(site),
                audit=site_verdict(site, audits, as_of, thresholds),
                completeness=completeness.get(site),
                bursts=[b for b in bursts if b.site == site],
            )
        )
    return CoverageReport(as_of=as_of, thresholds=thresholds, sites=report_sites)


def sites_overview(catalog: Catalog) -> list[SiteOut]:
    runs = {run.site: run for run in catalog.latest_runs()}
    result = []
    for site in catalog.sites():
        run = runs.get(site.id)
        if run is None:
            health = SiteHealth.never_run
        elif run.finished_at is None:
            health = SiteHealth.running
        else:
            health = SiteHealth.ok if run.ok else SiteHealth.failed
        result.append(
            SiteOut(
                id=site.id,
                name=site.name,
                department=site.department,
                platform=site.platform,
                base_url=site.base_url,
                records=catalog.record_count(site.id),
                health=health,
                last_run=run,
            )
        )
    return result
