"""Column classification into the audit kinds (field notes 3.3) and the rule each classification reports.

Expected kinds come from their sources: the generated portal's taxonomy (`portal.generated.taxonomy`), the fixed
portal's catalogue (`portal.columns`), and the names field notes section 3 lists (transcribed below with the
sentence that gives their kind)."""

from __future__ import annotations

import pytest

from indexer.audit import KIND_RULES, ColumnKind, explain_column_kind
from portal.columns import SITE_COLUMNS, site_columns
from portal.generated import taxonomy

# Field notes 3.3: "动态/要闻 columns ... 通知公告/政策文件 columns ... 人事 and 规划计划 columns"; everything else
# is `other` ("classify every column into {动态要闻, 通知公告/政策文件, 人事/规划计划, other}").
FIELD_NOTES_KIND_NAMES: list[tuple[str, ColumnKind]] = [
    ("动态", ColumnKind.news),
    ("要闻", ColumnKind.news),
    ("通知公告", ColumnKind.notice_policy),
    ("政策文件", ColumnKind.notice_policy),
    ("人事", ColumnKind.personnel_planning),
    ("规划计划", ColumnKind.personnel_planning),
]
# Art. 20 items (3.1) that are themselves one of those kinds: (1) is the policy documents, (3) the plans,
# (14) civil-service recruitment (人事).
FIELD_NOTES_ART20_KINDS: list[tuple[str, ColumnKind]] = [
    ("行政法规、规章和规范性文件", ColumnKind.notice_policy),
    ("国民经济和社会发展规划、专项规划、区域规划及相关政策", ColumnKind.personnel_planning),
    ("公务员招考职位、名额、条件及录用结果", ColumnKind.personnel_planning),
]
# The rest of section 3's column names are topics, not one of the three kinds: the other Art. 20 items, the
# Art. 21 additions, the first-level menu (3.2), the 26 试点领域 except 城乡规划 (a 规划 column), and the
# deduction examples of 3.3.
FIELD_NOTES_OTHER_NAMES: list[str] = [
    "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    "统计信息",
    "行政许可和其他对外管理服务事项的依据、条件、程序及办理结果",
    "行政处罚、行政强制的依据、条件、程序及有一定社会影响的处罚决定",
    "财政预算、决算",
    "行政事业性收费项目及依据、标准",
    "政府集中采购项目的目录、标准及实施情况",
    "重大建设项目的批准和实施",
    "扶贫、教育、医疗、社会保障、促进就业等政策措施及实施",
    "突发公共事件应急预案、预警信息及应对",
    "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查",
    *["市政建设", "公共服务", "公益事业", "土地征收", "房屋征收", "治安管理", "社会救助"],
    *["农业农村政策", "农田水利", "土地承包经营权流转", "宅基地审核", "筹资筹劳"],
    *["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"],
    *[
        "重大建设项目",
        "公共资源交易",
        "财政预决算",
        "安全生产",
        "税收管理",
        "征地补偿",
        "国有土地上房屋征收与补偿",
        "环境保护",
        "生态环境",
        "公共文化服务",
        "公共法律服务",
        "扶贫",
        "乡村振兴",
        "救灾",
        "食品药品监管",
        "城市综合执法",
        "就业",
        "社会保险",
        "社会救助",
        "养老服务",
        "户籍管理",
        "涉农补贴",
        "义务教育",
        "卫生健康",
        "市政服务",
        "农村危房改造",
        "保障性住房",
    ],
    "办事统计数据",
    "留言答复",
]


@pytest.mark.parametrize(("name", "kind"), FIELD_NOTES_KIND_NAMES + FIELD_NOTES_ART20_KINDS)
def test_field_notes_kind_names(name, kind):
    assert explain_column_kind([name]).kind is kind


@pytest.mark.parametrize("name", FIELD_NOTES_OTHER_NAMES)
def test_field_notes_topic_names_are_other(name):
    result = explain_column_kind([name])
    assert result.kind is ColumnKind.other, result.explanation


def test_field_notes_planning_domain_is_planning():
    # 城乡规划 is one of the 26 试点领域 but also a 规划 column
    assert explain_column_kind(["城乡规划"]).kind is ColumnKind.personnel_planning


def _taxonomy_paths() -> list[tuple[tuple[str, ...], str]]:
    cases: list[tuple[tuple[str, ...], str]] = []
    for root in taxonomy.ROOTS:
        cases.append(((root,), "other"))
    for parent, parent_kind, children in taxonomy.GROUPS:
        cases.append(((parent,), parent_kind))
        for child, child_kind in children:
            cases.append(((parent, child), child_kind))
            for root in taxonomy.ROOTS:
                cases.append(((root, parent, child), child_kind))
    for leaf, kind in taxonomy.LEAVES:
        cases.append(((leaf,), kind))
        cases.extend(((root, leaf), kind) for root in taxonomy.ROOTS)
    return cases


@pytest.mark.parametrize(
    ("path", "kind"), _taxonomy_paths(), ids=lambda v: "/".join(v) if isinstance(v, tuple) else v
)
def test_generated_portal_taxonomy(path, kind):
    result = explain_column_kind(path)
    assert result.kind.value == kind, result.explanation


def _fixed_portal_columns() -> list[tuple[tuple[str, ...], str]]:
    seen = {}
    for site in SITE_COLUMNS:
        for churn in (False, True):
            for column in site_columns(site, churn):
                seen[column.path] = column.kind
    return sorted(seen.items())


@pytest.mark.parametrize(
    ("path", "kind"), _fixed_portal_columns(), ids=lambda v: "/".join(v) if isinstance(v, tuple) else v
)
def test_fixed_portal_catalogue(path, kind):
    result = explain_column_kind(path)
    assert result.kind.value == kind, result.explanation


def test_unknown_leaf_inherits_from_its_nearest_matching_ancestor():
    result = explain_column_kind(["法定主动公开内容", "通知公告", "2024年"])
    assert result.kind is ColumnKind.notice_policy
    assert (result.rule, result.matched, result.on, result.level, result.inherited) == (
        "notice_policy",
        "通知公告",
        "通知公告",
        1,
        True,
    )
    assert (
        result.explanation == "rule notice_policy: ‘通知公告’ in ancestor 通知公告 (level 1) → notice_policy"
    )
    # the nearest ancestor wins over a farther one
    assert explain_column_kind(["人事信息", "工作动态", "2024年"]).kind is ColumnKind.news


def test_interpretation_under_policy_documents_stays_other():
    result = explain_column_kind(["政策文件", "政策解读"])
    assert result.kind is ColumnKind.other
    assert (result.rule, result.matched, result.on, result.inherited) == (
        "interpretation",
        "解读",
        "政策解读",
        False,
    )
    # and a column under an interpretation column does not reach past it to 政策文件
    assert explain_column_kind(["政策文件", "政策解读", "图文解读"]).kind is ColumnKind.other
    assert explain_column_kind(["政策文件", "政策解读", "2024年"]).kind is ColumnKind.other


def test_own_name_wins_over_ancestor():
    result = explain_column_kind(["通知公告", "工作 动态"])
    assert (result.kind, result.on, result.inherited) == (ColumnKind.news, "工作 动态", False)
    assert result.explanation == "rule news: ‘动态’ in the name 工作 动态 → news"


def test_whole_name_notice_rule_needs_the_whole_name():
    assert explain_column_kind(["公告"]).rule == "notice_name"
    assert explain_column_kind(["矿业权出让公告"]).kind is ColumnKind.other


def test_no_rule_matched_says_so():
    for path in (["优化营商环境", "惠企服务"], []):
        result = explain_column_kind(path)
        assert (result.kind, result.rule, result.matched, result.on) == (ColumnKind.other, None, None, None)
        assert result.explanation == "no rule matched → other"


def test_every_rule_is_reachable():
    used = {explain_column_kind(path).rule for path, _ in _taxonomy_paths() + _fixed_portal_columns()}
    assert {rule.id for rule in KIND_RULES} <= used
