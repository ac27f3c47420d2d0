"""Column names of real disclosure catalogues (field notes §3) with the audit kind each one has, plus names no
rule knows (they stay `other`). Groups are parents whose children share the parent's kind (or have their own)."""

from __future__ import annotations

from typing import Literal

Kind = Literal["news", "notice_policy", "personnel_planning", "other"]

# (parent name, parent kind, ((child name, child kind), ...))
GROUPS: tuple[tuple[str, Kind, tuple[tuple[str, Kind], ...]], ...] = (
    (
        "政策文件",
        "notice_policy",
        (("规范性文件", "notice_policy"), ("部门文件", "notice_policy"), ("其他文件", "notice_policy")),
    ),
    (
        "通知公告",
        "notice_policy",
        (("通知", "notice_policy"), ("公告", "notice_policy"), ("公示", "notice_policy")),
    ),
    (
        "工作动态",
        "news",
        (("部门动态", "news"), ("基层动态", "news"), ("图片新闻", "news"), ("媒体关注", "news")),
    ),
    (
        "规划计划",
        "personnel_planning",
        (
            ("发展规划", "personnel_planning"),
            ("年度计划", "personnel_planning"),
            ("专项规划", "personnel_planning"),
        ),
    ),
    (
        "人事信息",
        "personnel_planning",
        (("人事任免", "personnel_planning"), ("招考录用", "personnel_planning")),
    ),
    ("机构职能", "other", (("领导信息", "other"), ("内设机构", "other"), ("机构设置", "other"))),
    ("财政资金", "other", (("财政预决算", "other"), ("三公经费", "other"), ("政府采购", "other"))),
    ("政策解读", "other", (("文字解读", "other"), ("图文解读", "other"))),
    (
        "重点领域信息公开",
        "other",
        (
            ("保障性住房", "other"),
            ("社会救助", "other"),
            ("安全生产", "other"),
            ("环境保护", "other"),
            ("公共资源交易", "other"),
            ("重大建设项目", "other"),
            ("义务教育", "other"),
            ("卫生健康", "other"),
            ("食品药品监管", "other"),
            ("涉农补贴", "other"),
        ),
    ),
    ("行政执法", "other", (("行政许可", "other"), ("行政处罚", "other"), ("行政强制", "other"))),
    ("数据发布", "other", (("统计信息", "other"), ("统计数据", "other"))),
    # names no taxonomy rule knows
    ("优化营商环境", "other", (("双随机一公开", "other"), ("民生实事", "other"), ("惠企服务", "other"))),
    ("专题专栏", "other", (("乡村振兴", "other"), ("志愿服务", "other"), ("文明创建", "other"))),
)

# Standalone leaves (no group)
LEAVES: tuple[tuple[str, Kind], ...] = (
    ("政府信息公开指南", "other"),
    ("政府信息公开年报", "other"),
    ("政府信息公开制度", "other"),
    ("建议提案办理", "other"),
    ("新闻发布会", "news"),
    ("要闻动态", "news"),
    ("通知公告", "notice_policy"),
    ("政策法规", "notice_policy"),
    ("人事任免", "personnel_planning"),
    ("规划计划", "personnel_planning"),
    ("政策解读", "other"),
    ("统计信息", "other"),
    ("应急管理", "other"),
    ("回应关切", "other"),
)

# Top-level parent of a three-level tree (its own kind: none of the rules match it)
ROOTS: tuple[str, ...] = ("法定主动公开内容", "主动公开目录", "主动公开信息", "部门信息公开")

# Text of the home page link leading to the catalogue
CATALOGUE_LINKS: tuple[str, ...] = (
    "信息公开",
    "政务公开",
    "政府信息公开目录",
    "法定主动公开内容",
    "政府信息公开",
)

# Some sites reach the catalogue in two hops: home -> a 政务公开 page -> the catalogue
GATEWAY_LINKS: tuple[str, ...] = ("政务公开", "信息公开", "政府信息公开")
GATEWAY_TARGETS: tuple[str, ...] = ("政府信息公开目录", "信息公开目录", "主动公开目录导航")

# How old a column's newest item may be (the inspection rules, field notes 3.3); generated dates keep well
# clear of these limits so that months-vs-days readings of a rule agree.
STALE_AFTER_DAYS: dict[Kind, int] = {
    "news": 14,
    "notice_policy": 183,
    "personnel_planning": 365,
    "other": 365,
}
