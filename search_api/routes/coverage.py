"""GET /coverage: columns per site against the inspection rules, completeness and back-filling bursts."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from indexer.audit import AuditThresholds, MaxAge
from search_api.deps import ServicesDep
from search_api.models import CoverageReport, ErrorResponse
from search_api.params import EARLIEST_DATE, LATEST_DATE
from search_api.queries.coverage import cached_coverage_report
from search_api.queries.records import json_response

router = APIRouter(tags=["coverage"])


def audit_thresholds(
    news_days: Annotated[int, Query(ge=1, le=3650, description="news (动态要闻) max age in days")] = 14,
    notice_months: Annotated[int, Query(ge=1, le=120, description="通知公告/政策文件 max age, months")] = 6,
    personnel_months: Annotated[
        int, Query(ge=1, le=120, description="人事/规划计划 max age, months (unverified default)")
    ] = 12,
    other_months: Annotated[int, Query(ge=1, le=120, description="other columns, months")] = 12,
) -> AuditThresholds:
    return AuditThresholds(
        news=MaxAge(days=news_days),
        notice_policy=MaxAge(months=notice_months),
        personnel_planning=MaxAge(months=personnel_months),
        other=MaxAge(months=other_months),
    )


def today() -> date:
    return datetime.now(UTC).date()


def checked_as_of(as_of: date | None) -> date:
    if as_of is None:
        return today()
    if not EARLIEST_DATE <= as_of <= LATEST_DATE:
        raise HTTPException(400, f"as_of must be between {EARLIEST_DATE} and {LATEST_DATE}, got {as_of}")
    return as_of


def coverage_csv(report: CoverageReport) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            "site",
            "column_path",
            "kind",
            "leaf",
            "item_count",
            "newest_item_date",
            "age_days",
            "status",
            "reason",
            "site_veto",
            "as_of",
            "kind_rule",  # added last: a reader of the earlier columns by position is unaffected
        ]
    )
    for site in report.sites:
        for column in site.audit.columns:
            writer.writerow(
                [
                    site.site,
                    "/".join(column.path),
                    column.kind.value,
                    int(column.is_leaf),
                    column.item_count,
                    column.newest_item_date.isoformat() if column.newest_item_date else "",
                    "" if column.age_days is None else column.age_days,
                    column.status.value,
                    column.reason,
                    int(site.audit.veto),
                    report.as_of.isoformat(),
                    column.kind_rule,
                ]
            )
    return out.getvalue().encode("utf-8")


@router.get(
    "/coverage",
    response_model=CoverageReport,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        400: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
    summary="Per site × column: item count, newest date, ok/blank/stale, and the veto rules per site",
)
def coverage(
    request: Request,
    services: ServicesDep,
    thresholds: Annotated[AuditThresholds, Depends(audit_thresholds)],
    site: Annotated[list[str], Query(description="restrict to these sites")] = [],  # noqa: B006
    as_of: Annotated[date | None, Query(description="audit date (default: today, UTC)")] = None,
    format: Annotated[
        Literal["json", "csv"] | None, Query(description="csv, or send Accept: text/csv")
    ] = None,
) -> Response:
    report = cached_coverage_report(
        services.catalog, services.cache, checked_as_of(as_of), thresholds, site or None
    )
    if format == "csv" or (format is None and "text/csv" in request.headers.get("accept", "")):
        return Response(
            coverage_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="coverage.csv"'},
        )
    return json_response(report)
