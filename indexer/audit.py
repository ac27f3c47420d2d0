"""Column audit: classify columns (栏目) and apply the national inspection rules (field notes 3.3).

Pure functions over `Column` snapshots from the catalogue; no I/O.

Rules implemented (国办发〔2015〕15号 census scoring table, kept by 国办秘函〔2019〕19号):
- 空白栏目: a column that has carried nothing since it was opened (zero items ever); >= 5 -> veto.
- 栏目不更新 (a): news columns (动态/要闻) older than 2 weeks plus notice/policy columns (通知公告/政策文件)
  older than 6 months, >= 5 in total -> veto.
- 栏目不更新 (b): >= 10 columns that should be updated but are long stale -> veto. Every non-blank column
  past its kind's maximum age counts.
Staleness is measured from the newest *dated* item; undated items never make a column fresh.
Only leaf columns count towards the rules; a parent column is reported with its subtree's totals.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from enum import StrEnum

from pydantic import BaseModel, Field, computed_field

from indexer.schema import Column


class ColumnKind(StrEnum):
    news = "news"  # 动态要闻
    notice_policy = "notice_policy"  # 通知公告 / 政策文件
    personnel_planning = "personnel_planning"  # 人事 / 规划计划
    other = "other"


class ColumnStatus(StrEnum):
    ok = "ok"
    blank = "blank"
    stale = "stale"


class KindRule(BaseModel, frozen=True):
    """One classification rule: a column whose name holds one of `keywords` (or is one, with `whole_name`)."""

    id: str
    kind: ColumnKind
    keywords: tuple[str, ...]
    whole_name: bool = False
    note: str = ""

    def match(self, name: str) -> str | None:
        """The keyword this rule finds in a (whitespace-free) column name, if any."""
        if self.whole_name:
            return name if name in self.keywords else None
        return next((word for word in self.keywords if word in name), None)


# The taxonomy of field notes 3.3: 动态/要闻 (news), 通知公告/政策文件 (notice_policy), 人事/规划计划
# (personnel_planning), everything else `other`. Checked in this order on each path element, leaf first;
# the first element any rule matches decides, so an interpretation column is `other` even under 政策文件.
KIND_RULES: tuple[KindRule, ...] = (
    KindRule(
        id="interpretation",
        kind=ColumnKind.other,
        keywords=("解读",),
        note="政策解读 explains policies; it is not a policy-document column",
    ),
    KindRule(
        id="news",
        kind=ColumnKind.news,
        keywords=("动态", "要闻", "新闻", "快讯", "资讯"),
        note="动态/要闻 columns (2 weeks)",
    ),
    KindRule(
        id="notice_policy",
        kind=ColumnKind.notice_policy,
        keywords=("通知公告", "公告通知", "政策文件", "规范性文件", "政策法规", "文件"),
        note="通知公告/政策文件 columns (6 months)",
    ),
    KindRule(
        id="notice_name",
        kind=ColumnKind.notice_policy,
        keywords=("通知", "公告", "公示"),
        whole_name=True,
        # a topic column announcing its own business (矿业权出让公告, a 重点领域 topic's 公告公示) is not one
        note="a column named just 通知/公告/公示",
    ),
    KindRule(
        id="personnel_planning",
        kind=ColumnKind.personnel_planning,
        keywords=("人事", "任免", "招考", "录用", "规划", "计划"),
        note="人事/规划计划 columns (1 year, unverified)",
    ),
)


class ColumnClassification(BaseModel):
    """A column's kind and why: the rule, the keyword it matched and the path element it matched in."""

    kind: ColumnKind
    rule: str | None = Field(default=None, description="id of the rule that matched; None: no rule matched")
    matched: str | None = Field(default=None, description="the keyword found")
    on: str | None = Field(
        default=None, description="the column name (path element) the keyword was found in"
    )
    level: int | None = Field(default=None, description="index of that element in the path (0 = top level)")
    inherited: bool = Field(default=False, description="the match is on an ancestor, not the column itself")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def explanation(self) -> str:
        if self.rule is None:
            return "no rule matched → other"
        where = f"ancestor {self.on} (level {self.level})" if self.inherited else f"the name {self.on}"
        return f"rule {self.rule}: ‘{self.matched}’ in {where} → {self.kind.value}"


class MaxAge(BaseModel):
    """How old a column's newest item may be before the column counts as stale (months, then days)."""

    months: int = Field(default=0, ge=0)
    days: int = Field(default=0, ge=0)

    def cutoff(self, as_of: date) -> date:
        """The oldest newest-item date that still counts as up to date (date.min near the calendar's start)."""
        try:
            return _minus_months(as_of, self.months) - timedelta(days=self.days)
        except (OverflowError, ValueError):
            return date.min


class AuditThresholds(BaseModel):
    """Inspection thresholds; defaults follow field notes 3.3."""

    news: MaxAge = Field(default_factory=lambda: MaxAge(days=14))
    notice_policy: MaxAge = Field(default_factory=lambda: MaxAge(months=6))
    personnel_planning: MaxAge = Field(
        default_factory=lambda: MaxAge(months=12),
        description="unverified: the census names these columns, the 1-year figure is the common reading",
    )
    other: MaxAge = Field(default_factory=lambda: MaxAge(months=12))
    blank_veto: int = Field(default=5, ge=1, description="空白栏目 count that vetoes a site")
    stale_news_notice_veto: int = Field(default=5, ge=1, description="rule (a): stale news + notice/policy")
    long_stale_veto: int = Field(default=10, ge=1, description="rule (b): stale columns of any kind")

    def max_age(self, kind: ColumnKind) -> MaxAge:
        return getattr(self, kind.value)


class ColumnAudit(BaseModel):
    site: str
    column_id: str
    name: str
    path: list[str]
    url: str | None = None
    kind: ColumnKind
    kind_rule: str = Field(
        default="", description="which classification rule gave `kind`, and where it matched"
    )
    is_leaf: bool = True
    item_count: int
    newest_item_date: date | None = None
    age_days: int | None = Field(default=None, description="days between the newest dated item and as_of")
    cutoff: date = Field(description="newest item must be on or after this date")
    status: ColumnStatus
    reason: str


class RuleResult(BaseModel):
    rule: str
    description: str
    count: int
    threshold: int
    veto: bool


class SiteAudit(BaseModel):
    site: str
    as_of: date
    columns: list[ColumnAudit]
    counts: dict[str, int] = Field(description="leaf columns by status")
    rules: list[RuleResult]
    veto: bool


def _minus_months(day: date, months: int) -> date:
    if months == 0:
        return day
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    if year < date.min.year:
        raise OverflowError("date value out of range")
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def explain_column_kind(path: Sequence[str]) -> ColumnClassification:
    """Classify by the leaf name first, then by the nearest ancestor any rule matches (field notes 3.3)."""
    names = list(path)
    for level in range(len(names) - 1, -1, -1):
        compact = "".join(names[level].split())
        for rule in KIND_RULES:
            word = rule.match(compact)
            if word is not None:
                return ColumnClassification(
                    kind=rule.kind,
                    rule=rule.id,
                    matched=word,
                    on=names[level],
                    level=level,
                    inherited=level < len(names) - 1,
                )
    return ColumnClassification(kind=ColumnKind.other)


def classify_column(path: Sequence[str]) -> ColumnKind:
    """The kind alone; `explain_column_kind` says which rule gave it."""
    return explain_column_kind(path).kind


def _subtree_totals(column: Column, columns: Sequence[Column]) -> tuple[int, date | None, bool]:
    """Item count and newest date of a column including its descendants; and whether it is a leaf."""
    prefix = column.path
    descendants = [
        c
        for c in columns
        if c.site == column.site and len(c.path) > len(prefix) and c.path[: len(prefix)] == prefix
    ]
    if not descendants:
        return column.item_count, column.newest_item_date, True
    count = column.item_count + sum(c.item_count for c in descendants)
    dates = [d for d in [column.newest_item_date, *(c.newest_item_date for c in descendants)] if d]
    return count, max(dates) if dates else None, False


def audit_column(
    column: Column,
    as_of: date,
    thresholds: AuditThresholds | None = None,
    *,
    item_count: int | None = None,
    newest_item_date: date | None = None,
    is_leaf: bool = True,
) -> ColumnAudit:
    """Audit one column; `item_count`/`newest_item_date` override the column's own (subtree totals)."""
    thresholds = thresholds or AuditThresholds()
    classification = explain_column_kind(column.path or [column.name])
    kind = classification.kind
    count = column.item_count if item_count is None else item_count
    newest = column.newest_item_date if item_count is None else newest_item_date
    cutoff = thresholds.max_age(kind).cutoff(as_of)
    age_days = (as_of - newest).days if newest else None
    if count <= 0:
        status, reason = ColumnStatus.blank, "no item since the column was opened (空白栏目)"
    elif newest is None:
        status, reason = ColumnStatus.stale, "items carry no date; undated items never count as updates"
    elif newest < cutoff:
        status, reason = (
            ColumnStatus.stale,
            f"newest item {newest.isoformat()} is before {cutoff.isoformat()}",
        )
    else:
        status, reason = ColumnStatus.ok, f"newest item {newest.isoformat()} is within the limit"
    return ColumnAudit(
        site=column.site,
        column_id=column.id,
        name=column.name,
        path=list(column.path),
        url=column.url,
        kind=kind,
        kind_rule=classification.explanation,
        is_leaf=is_leaf,
        item_count=count,
        newest_item_date=newest,
        age_days=age_days,
        cutoff=cutoff,
        status=status,
        reason=reason,
    )


def audit_columns(
    columns: Iterable[Column], as_of: date, thresholds: AuditThresholds | None = None
) -> list[ColumnAudit]:
    """Audit every column; parent columns are judged on their whole subtree and marked `is_leaf=False`."""
    thresholds = thresholds or AuditThresholds()
    column_list = list(columns)
    audits = []
    for column in column_list:
        count, newest, is_leaf = _subtree_totals(column, column_list)
        audits.append(
            audit_column(
                column, as_of, thresholds, item_count=count, newest_item_date=newest, is_leaf=is_leaf
            )
        )
    return audits


def site_verdict(
    site: str, audits: Sequence[ColumnAudit], as_of: date, thresholds: AuditThresholds | None = None
) -> SiteAudit:
    """Count the leaf columns per rule and decide the 单项否决 vetoes for one site."""
    thresholds = thresholds or AuditThresholds()
    leaves = [a for a in audits if a.site == site and a.is_leaf]
    counts = {status.value: sum(1 for a in leaves if a.status is status) for status in ColumnStatus}
    stale = [a for a in leaves if a.status is ColumnStatus.stale]
    stale_news_notice = sum(1 for a in stale if a.kind in (ColumnKind.news, ColumnKind.notice_policy))
    rules = [
        RuleResult(
            rule="blank_columns",
            description="空白栏目: columns with nothing since they were opened",
            count=counts[ColumnStatus.blank.value],
            threshold=thresholds.blank_veto,
            veto=counts[ColumnStatus.blank.value] >= thresholds.blank_veto,
        ),
        RuleResult(
            rule="stale_news_and_notices",
            description="栏目不更新 (a): news columns not updated within 2 weeks plus notice/policy columns "
            "not updated within 6 months",
            count=stale_news_notice,
            threshold=thresholds.stale_news_notice_veto,
            veto=stale_news_notice >= thresholds.stale_news_notice_veto,
        ),
        RuleResult(
            rule="long_stale_columns",
            description="栏目不更新 (b): columns that should be updated but are long stale",
            count=len(stale),
            threshold=thresholds.long_stale_veto,
            veto=len(stale) >= thresholds.long_stale_veto,
        ),
    ]
    return SiteAudit(
        site=site,
        as_of=as_of,
        columns=[a for a in audits if a.site == site],
        counts=counts,
        rules=rules,
        veto=any(r.veto for r in rules),
    )


def audit_sites(
    columns: Iterable[Column], as_of: date, thresholds: AuditThresholds | None = None
) -> list[SiteAudit]:
    """Audit all sites found in `columns`, in site order."""
    thresholds = thresholds or AuditThresholds()
    by_site: dict[str, list[Column]] = {}
    for column in columns:
        by_site.setdefault(column.site, []).append(column)
    return [
        site_verdict(site, audit_columns(cols, as_of, thresholds), as_of, thresholds)
        for site, cols in sorted(by_site.items())
    ]
