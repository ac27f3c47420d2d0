"""When a site is due again: by the kinds of columns it has, sooner after a failure."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from indexer.audit import ColumnKind, classify_column
from indexer.schema import Column

DAY = 86_400.0


class ScheduleRules(BaseModel):
    """Re-check intervals per column kind (days) and the retry back-off after failures (minutes)."""

    news_days: float = Field(default=1, gt=0, description="动态要闻: daily")
    notice_policy_days: float = Field(default=7, gt=0, description="通知公告 / 政策文件: weekly")
    other_days: float = Field(default=30, gt=0, description="every other column: monthly")
    retry_minutes: float = Field(
        default=10, gt=0, description="first retry after a failed run; doubles each time"
    )

    def interval_days(self, kind: ColumnKind) -> float:
        if kind is ColumnKind.news:
            return self.news_days
        if kind is ColumnKind.notice_policy:
            return self.notice_policy_days
        return self.other_days


_KIND_NAMES = {
    ColumnKind.news: "news (动态要闻)",
    ColumnKind.notice_policy: "notices/policies (通知公告/政策文件)",
    ColumnKind.personnel_planning: "personnel/planning (人事/规划计划)",
    ColumnKind.other: "other columns",
}


def next_run(
    columns: Sequence[Column],
    *,
    ok: bool,
    consecutive_failures: int,
    finished_at: float,
    rules: ScheduleRules,
) -> tuple[float, str]:
    """(due time, reason). A site is re-checked as often as its most frequently updated kind of column needs; a
    failed run is retried after `retry_minutes`, doubling per consecutive failure, never later than the interval."""
    kinds = {classify_column(column.path or [column.name]) for column in columns} or {ColumnKind.other}
    fastest = min(kinds, key=rules.interval_days)
    interval = rules.interval_days(fastest) * DAY
    if not ok:
        retry = min(rules.retry_minutes * 60 * 2 ** max(consecutive_failures - 1, 0), interval)
        return (
            finished_at + retry,
            f"failed {consecutive_failures}× in a row: retry after {retry / 60:.0f} min",
        )
    days = interval / DAY
    return finished_at + interval, f"has {_KIND_NAMES[fastest]}: every {days:g} day(s)"
