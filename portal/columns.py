"""Column trees (栏目) of each site, modelled on the Jinan platform's catalogue.

Only leaf columns hold documents; a parent column's page links to its children.
Each leaf has a profile that drives its content: busy / normal / stale / blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from portal.sites import site_spec

ColumnKind = Literal["news", "notice_policy", "personnel_planning", "other"]
Profile = Literal["busy", "normal", "stale", "blank", "parent"]

# name -> (url slug, kind)
CATALOGUE: dict[str, tuple[str, ColumnKind]] = {
    "要闻": ("yw", "news"),
    "工作动态": ("gzdt", "news"),
    "监管动态": ("jgdt", "news"),
    "信用动态": ("xydt", "news"),
    "通知公告": ("tzgg", "notice_policy"),
    "政策文件": ("zcwj", "notice_policy"),
    "人事信息": ("rsxx", "personnel_planning"),
    "规划计划": ("ghjh", "personnel_planning"),
    "政策解读": ("zcjd", "other"),
    "重大决策": ("zdjc", "other"),
    "专家论证": ("zjlz", "other"),
    "征集意见": ("zjyj", "other"),
    "财政预决算和三公经费": ("czyjs", "other"),
    "部门财政预决算": ("bmyjs", "other"),
    "审计信息": ("sjxx", "other"),
    "市级三公经费": ("sjsg", "other"),
    "部门三公经费": ("bmsg", "other"),
    "重点领域信息公开专栏": ("zdly", "other"),
    "征地拆迁": ("zdcq", "other"),
    "矿业权出让公告": ("kyqcr", "other"),
    "农村土地承包经营权流转": ("tdlz", "other"),
    "保障性住房": ("bzxzf", "other"),
    "政府采购信息": ("zfcg", "other"),
    "工程建设项目信息": ("gcjs", "other"),
    "科技管理和项目经费信息": ("kjjf", "other"),
    "就业信息": ("jyxx", "other"),
    "社会保障信息": ("shbz", "other"),
    "环境保护信息": ("hjbh", "other"),
    "空气质量": ("kqzl", "other"),
    "水质": ("sz", "other"),
    "环评": ("hp", "other"),
    "环境污染治理": ("wrzl", "other"),
    "安全生产": ("aqsc", "other"),
    "应急预警": ("yjyj", "other"),
    "事故通报": ("sgtb", "other"),
    "国有企业财务信息": ("gqcw", "other"),
    "食品药品安全信息": ("spyp", "other"),
    "警示信息": ("jsxx", "other"),
    "公告公示": ("gggs", "other"),
    "药械监测": ("yxjc", "other"),
    "曝光台": ("bgt", "other"),
    "依申请公开": ("ysqgk", "other"),
    "政府信息公开指南": ("gkzn", "other"),
    "政府信息公开年报": ("gknb", "other"),
    "招生考试": ("zsks", "other"),
    "初中学业水平考试": ("xysp", "other"),
    "高中阶段招生": ("gzzs", "other"),
    "普通高考": ("ptgk", "other"),
    "自学考试": ("zxks", "other"),
    "成人高考": ("crgk", "other"),
    "计算机考试": ("jsjks", "other"),
    "信息公开专页": ("gkzy", "other"),
    "诚信济南": ("cxjn", "other"),
    "信用知识": ("xyzs", "other"),
    "诚信建设": ("cxjs", "other"),
    "优化营商环境": ("yshj", "other"),
}

ZDLY = "重点领域信息公开专栏"
CZ = "财政预决算和三公经费"

# Per site: (column path, profile) for every leaf, in navigation order.
SITE_COLUMNS: dict[str, tuple[tuple[str, Profile], ...]] = {
    "jinan-gov": (
        ("要闻", "busy"),
        ("工作动态", "busy"),
        ("通知公告", "busy"),
        ("政策文件", "busy"),
        ("政策解读", "normal"),
        ("重大决策/专家论证", "normal"),
        ("重大决策/征集意见", "normal"),
        (f"{CZ}/市级三公经费", "normal"),
        (f"{CZ}/部门财政预决算", "normal"),
        ("人事信息", "normal"),
        ("规划计划", "normal"),
        (f"{ZDLY}/征地拆迁", "normal"),
        (f"{ZDLY}/矿业权出让公告", "stale"),
        (f"{ZDLY}/农村土地承包经营权流转", "stale"),
        (f"{ZDLY}/保障性住房", "normal"),
        (f"{ZDLY}/政府采购信息", "busy"),
        (f"{ZDLY}/就业信息", "normal"),
        (f"{ZDLY}/社会保障信息", "normal"),
        ("依申请公开", "blank"),
        ("政府信息公开指南", "normal"),
        ("政府信息公开年报", "normal"),
    ),
    "jinan-fgw": (
        ("工作动态", "busy"),
        ("通知公告", "normal"),
        ("政策文件", "busy"),
        ("政策解读", "normal"),
        ("规划计划", "normal"),
        ("人事信息", "stale"),
        ("重大决策/征集意见", "normal"),
        (f"{ZDLY}/工程建设项目信息", "busy"),
        (f"{ZDLY}/政府采购信息", "normal"),
        (f"{CZ}/部门财政预决算", "normal"),
        (f"{CZ}/部门三公经费", "normal"),
        ("诚信济南/信用动态", "busy"),
        ("诚信济南/信用知识", "stale"),
        ("诚信济南/诚信建设", "normal"),
        ("政府信息公开指南", "normal"),
    ),
    "jinan-jyj": (
        ("工作动态", "busy"),
        ("通知公告", "busy"),
        ("政策文件", "normal"),
        ("政策解读", "normal"),
        ("招生考试/初中学业水平考试", "normal"),
        ("招生考试/高中阶段招生", "normal"),
        ("招生考试/普通高考", "normal"),
        ("招生考试/自学考试", "stale"),
        ("招生考试/成人高考", "normal"),
        ("招生考试/计算机考试", "blank"),
        ("人事信息", "normal"),
        (f"{CZ}/部门财政预决算", "normal"),
        ("政府信息公开指南", "normal"),
    ),
    "jinan-wjw": (
        ("要闻", "stale"),
        ("工作动态", "stale"),
        ("通知公告", "stale"),
        ("政策文件", "stale"),
        ("信息公开专页", "busy"),
        (f"{ZDLY}/食品药品安全信息/监管动态", "stale"),
        (f"{ZDLY}/食品药品安全信息/警示信息", "normal"),
        (f"{ZDLY}/食品药品安全信息/公告公示", "normal"),
        (f"{ZDLY}/食品药品安全信息/药械监测", "normal"),
        (f"{ZDLY}/食品药品安全信息/曝光台", "blank"),
        ("人事信息", "normal"),
        ("政策解读", "normal"),
        (f"{CZ}/部门财政预决算", "normal"),
        ("政府信息公开指南", "normal"),
    ),
    "jinan-sthjj": (
        ("工作动态", "busy"),
        ("通知公告", "normal"),
        ("政策文件", "normal"),
        (f"{ZDLY}/环境保护信息/空气质量", "busy"),
        (f"{ZDLY}/环境保护信息/水质", "normal"),
        (f"{ZDLY}/环境保护信息/环评", "busy"),
        (f"{ZDLY}/环境保护信息/环境污染治理", "normal"),
        ("政策解读", "normal"),
        ("人事信息", "blank"),
        ("规划计划", "stale"),
        (f"{CZ}/部门财政预决算", "normal"),
        ("政府信息公开指南", "normal"),
    ),
    "jinan-zjj": (
        ("工作动态", "busy"),
        ("通知公告", "normal"),
        ("政策文件", "normal"),
        (f"{ZDLY}/保障性住房", "busy"),
        (f"{ZDLY}/征地拆迁", "normal"),
        (f"{ZDLY}/工程建设项目信息", "normal"),
        ("政策解读", "blank"),
        ("重大决策/专家论证", "blank"),
        ("重大决策/征集意见", "blank"),
        (f"{CZ}/审计信息", "blank"),
        (f"{CZ}/部门三公经费", "blank"),
        ("依申请公开", "blank"),
        ("人事信息", "normal"),
        ("规划计划", "normal"),
        ("政府信息公开指南", "normal"),
    ),
    "jinan-czj": (
        ("工作动态", "busy"),
        ("通知公告", "normal"),
        ("政策文件", "busy"),
        (f"{CZ}/部门财政预决算", "busy"),
        (f"{CZ}/审计信息", "normal"),
        (f"{CZ}/市级三公经费", "normal"),
        (f"{CZ}/部门三公经费", "normal"),
        (f"{ZDLY}/政府采购信息", "busy"),
        (f"{ZDLY}/国有企业财务信息", "normal"),
        (f"{ZDLY}/科技管理和项目经费信息", "stale"),
        ("政策解读", "normal"),
        ("人事信息", "normal"),
        ("政府信息公开指南", "normal"),
    ),
    "jinan-yjj": (
        ("工作动态", "busy"),
        ("通知公告", "normal"),
        ("政策文件", "normal"),
        (f"{ZDLY}/安全生产/应急预警", "busy"),
        (f"{ZDLY}/安全生产/监管动态", "normal"),
        (f"{ZDLY}/安全生产/事故通报", "normal"),
        ("人事信息", "normal"),
        ("规划计划", "normal"),
        ("政策解读", "blank"),
        ("政府信息公开指南", "normal"),
    ),
    "jinan-scjgj": (
        ("工作动态", "busy"),
        ("通知公告", "normal"),
        ("政策文件", "normal"),
        (f"{ZDLY}/食品药品安全信息/警示信息", "normal"),
        (f"{ZDLY}/食品药品安全信息/公告公示", "busy"),
        (f"{ZDLY}/食品药品安全信息/监管动态", "normal"),
        (f"{ZDLY}/食品药品安全信息/药械监测", "normal"),
        (f"{ZDLY}/食品药品安全信息/曝光台", "stale"),
        ("人事信息", "normal"),
        ("政策解读", "normal"),
        ("政府信息公开指南", "normal"),
        ("诚信济南/信用动态", "busy"),
    ),
}

CHURN_ADDED = "优化营商环境"
CHURN_REMOVED = "政府信息公开指南"


@dataclass(frozen=True, slots=True)
class ColumnDef:
    key: int  # position in the site's column list
    site: str
    number: int  # numeric id (hanweb colN, gkmlpt column id)
    slug: str  # path id, e.g. "zdly/zdcq"
    name: str
    path: tuple[str, ...]
    kind: ColumnKind
    profile: Profile
    parent: int | None
    children: tuple[int, ...]
    added_epoch: int = 0
    removed_epoch: int | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def exists_at(self, epoch: int) -> bool:
        if epoch < self.added_epoch:
            return False
        return self.removed_epoch is None or epoch < self.removed_epoch


def _kind_of(path: tuple[str, ...]) -> ColumnKind:
    return CATALOGUE[path[-1]][1]


@cache
def site_columns(site_id: str, churn: bool = False) -> tuple[ColumnDef, ...]:
    """All columns of a site (parents before their children), optionally with epoch-1 churn."""
    spec = site_spec(site_id)
    leaves: list[tuple[tuple[str, ...], Profile, int, int | None]] = [
        (tuple(path.split("/")), profile, 0, None) for path, profile in SITE_COLUMNS[site_id]
    ]
    if churn:
        leaves = [
            (path, profile, 0, 1 if path == (CHURN_REMOVED,) else None) for path, profile, _, _ in leaves
        ]
        leaves.append(((CHURN_ADDED,), "normal", 1, None))

    paths: list[tuple[str, ...]] = []
    info: dict[tuple[str, ...], tuple[Profile, int, int | None]] = {}
    for path, profile, added, removed in leaves:
        for depth in range(1, len(path)):
            prefix = path[:depth]
            if prefix not in info:
                info[prefix] = ("parent", 0, None)
                paths.append(prefix)
        info[path] = (profile, added, removed)
        paths.append(path)

    key_of = {path: key for key, path in enumerate(paths)}
    columns: list[ColumnDef] = []
    for key, path in enumerate(paths):
        profile, added, removed = info[path]
        children = tuple(
            key_of[other] for other in paths if len(other) == len(path) + 1 and other[:-1] == path
        )
        columns.append(
            ColumnDef(
                key=key,
                site=site_id,
                number=spec.number * 1000 + 100 + key,
                slug="/".join(CATALOGUE[name][0] for name in path),
                name=path[-1],
                path=path,
                kind=_kind_of(path),
                profile=profile,
                parent=key_of[path[:-1]] if len(path) > 1 else None,
                children=children,
                added_epoch=added,
                removed_epoch=removed,
            )
        )
    return tuple(columns)


def top_columns(columns: tuple[ColumnDef, ...], epoch: int) -> list[ColumnDef]:
    return [column for column in columns if column.parent is None and column.exists_at(epoch)]
