from datetime import date, timedelta

import pytest

from indexer.audit import (
    AuditThresholds,
    ColumnKind,
    ColumnStatus,
    MaxAge,
    audit_column,
    audit_columns,
    audit_sites,
    classify_column,
    site_verdict,
)
from indexer.schema import Column

AS_OF = date(2026, 11, 27)


def col(path: list[str], count: int = 1, newest: date | None = AS_OF, site: str = "s1") -> Column:
    return Column(
        id="/".join(path), site=site, name=path[-1], path=path, item_count=count, newest_item_date=newest
    )


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (["工作动态"], ColumnKind.news),
        (["新闻中心", "要闻"], ColumnKind.news),
        (["食品药品安全信息", "监管动态"], ColumnKind.news),
        (["通知公告"], ColumnKind.notice_policy),
        (["法定主动公开内容", "政策文件"], ColumnKind.notice_policy),
        (["规范性文件"], ColumnKind.notice_policy),
        (["政策解读"], ColumnKind.other),
        (["人事信息"], ColumnKind.personnel_planning),
        (["规划计划"], ColumnKind.personnel_planning),
        (["机构职能"], ColumnKind.other),
        # a leaf without keywords inherits from the nearest matching ancestor
        (["通知公告", "2024年"], ColumnKind.notice_policy),
        (["政务 动态"], ColumnKind.news),
    ],
)
def test_classify_column(path, kind):
    assert classify_column(path) is kind


def test_news_exactly_14_days_is_ok_and_15_is_stale():
    ok = audit_column(col(["工作动态"], newest=AS_OF - timedelta(days=14)), AS_OF)
    stale = audit_column(col(["工作动态"], newest=AS_OF - timedelta(days=15)), AS_OF)
    assert (ok.status, ok.age_days) == (ColumnStatus.ok, 14)
    assert (stale.status, stale.age_days) == (ColumnStatus.stale, 15)


def test_notice_six_calendar_months():
    assert audit_column(col(["通知公告"], newest=date(2026, 5, 27)), AS_OF).status is ColumnStatus.ok
    assert audit_column(col(["通知公告"], newest=date(2026, 5, 26)), AS_OF).status is ColumnStatus.stale
    # month-end clamping: 31 August minus 6 months is 28 February
    assert MaxAge(months=6).cutoff(date(2026, 8, 31)) == date(2026, 2, 28)


def test_personnel_and_other_one_year_default_and_configurable():
    year_old = AS_OF.replace(year=AS_OF.year - 1)
    assert audit_column(col(["人事信息"], newest=year_old), AS_OF).status is ColumnStatus.ok
    day_more = year_old - timedelta(days=1)
    assert audit_column(col(["人事信息"], newest=day_more), AS_OF).status is ColumnStatus.stale
    assert audit_column(col(["机构职能"], newest=day_more), AS_OF).status is ColumnStatus.stale
    relaxed = AuditThresholds(other=MaxAge(months=24))
    assert audit_column(col(["机构职能"], newest=day_more), AS_OF, relaxed).status is ColumnStatus.ok


def test_blank_vs_undated_vs_stale():
    blank = audit_column(col(["通知公告"], count=0, newest=None), AS_OF)
    undated = audit_column(col(["通知公告"], count=7, newest=None), AS_OF)
    assert blank.status is ColumnStatus.blank
    assert undated.status is ColumnStatus.stale and "undated" in undated.reason
    assert undated.age_days is None


def test_future_dated_item_counts_as_fresh():
    assert audit_column(col(["工作动态"], newest=AS_OF + timedelta(days=3)), AS_OF).status is ColumnStatus.ok


def test_parent_judged_on_subtree_and_not_counted():
    columns = [
        col(
            [
                "重点领域",
            ],
            count=0,
            newest=None,
        ),
        col(["重点领域", "监管动态"], count=3, newest=AS_OF - timedelta(days=2)),
        col(["重点领域", "公告公示"], count=0, newest=None),
    ]
    audits = {a.column_id: a for a in audit_columns(columns, AS_OF)}
    parent = audits["重点领域"]
    assert parent.is_leaf is False and parent.status is ColumnStatus.ok and parent.item_count == 3
    verdict = site_verdict("s1", list(audits.values()), AS_OF)
    assert verdict.counts == {"ok": 1, "blank": 1, "stale": 0}


def _site(blank: int, stale_news: int, stale_notice: int, stale_other: int, ok: int = 2) -> list[Column]:
    old = AS_OF - timedelta(days=800)
    columns = [col([f"空栏{i}"], count=0, newest=None) for i in range(blank)]
    columns += [col([f"动态{i}"], newest=AS_OF - timedelta(days=30)) for i in range(stale_news)]
    columns += [col([f"通知公告{i}"], newest=old) for i in range(stale_notice)]
    columns += [col([f"机构{i}"], newest=old) for i in range(stale_other)]
    columns += [col([f"要闻{i}"]) for i in range(ok)]
    return columns


def _rules(columns: list[Column]):
    verdict = site_verdict("s1", audit_columns(columns, AS_OF), AS_OF)
    return verdict, {r.rule: r for r in verdict.rules}


def test_blank_veto_threshold_is_five():
    verdict, rules = _rules(_site(blank=4, stale_news=0, stale_notice=0, stale_other=0))
    assert (rules["blank_columns"].count, rules["blank_columns"].veto, verdict.veto) == (4, False, False)
    verdict, rules = _rules(_site(blank=5, stale_news=0, stale_notice=0, stale_other=0))
    assert (rules["blank_columns"].count, rules["blank_columns"].veto, verdict.veto) == (5, True, True)


def test_first_rule_adds_news_and_notice_columns():
    verdict, rules = _rules(_site(blank=0, stale_news=2, stale_notice=2, stale_other=3))
    assert rules["stale_news_and_notices"].count == 4 and not rules["stale_news_and_notices"].veto
    assert rules["long_stale_columns"].count == 7 and not verdict.veto
    verdict, rules = _rules(_site(blank=0, stale_news=3, stale_notice=2, stale_other=0))
    assert rules["stale_news_and_notices"].count == 5 and rules["stale_news_and_notices"].veto
    assert verdict.veto


def test_long_stale_rule_counts_every_kind():
    verdict, rules = _rules(_site(blank=0, stale_news=1, stale_notice=1, stale_other=8))
    assert rules["long_stale_columns"].count == 10 and rules["long_stale_columns"].veto
    assert not rules["stale_news_and_notices"].veto and verdict.veto


def test_blank_columns_are_not_stale():
    _verdict, rules = _rules(_site(blank=12, stale_news=0, stale_notice=0, stale_other=0))
    assert rules["long_stale_columns"].count == 0 and rules["blank_columns"].count == 12


def test_audit_sites_groups_by_site():
    columns = [*_site(blank=5, stale_news=0, stale_notice=0, stale_other=0), col(["动态"], site="s2")]
    verdicts = audit_sites(columns, AS_OF)
    assert [(v.site, v.veto) for v in verdicts] == [("s1", True), ("s2", False)]
    assert all(c.site == "s2" for c in verdicts[1].columns)


def test_cutoff_near_the_start_of_the_calendar_does_not_overflow():
    assert MaxAge(days=14).cutoff(date(1, 1, 1)) == date.min
    assert MaxAge(months=6).cutoff(date(1, 3, 1)) == date.min
    assert audit_column(col(["工作动态"], newest=date(1, 1, 1)), date(1, 1, 5)).status is ColumnStatus.ok
