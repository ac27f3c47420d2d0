"""The nine simulated department sites: ids, names, platforms, encodings and codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Platform = Literal["govcn", "trs", "hanweb", "gkmlpt", "generic"]


@dataclass(frozen=True, slots=True)
class SiteSpec:
    number: int  # port offset and id space (docid = number * 10**7 + index)
    id: str
    name: str
    department: str
    platform: Platform
    encoding: str  # the codec pages are written in
    charset_label: str  # what <meta charset> and Content-Type declare
    weight: float  # share of the portal's documents
    org_code: str  # first part of the 索引号
    number_codes: tuple[str, ...]  # 发文机关代字 used by this department
    joint_partners: tuple[str, ...]  # departments that co-issue joint documents
    offices: tuple[str, ...]  # bodies printed as 来源 on news items


SITES: tuple[SiteSpec, ...] = (
    SiteSpec(
        1,
        "jinan-gov",
        "济南市人民政府",
        "济南市人民政府",
        "govcn",
        "utf-8",
        "utf-8",
        2.0,
        "11370100004188123K",
        ("济政发", "济政办发", "济政字", "济政办字"),
        ("中共济南市委办公厅",),
        ("济南市人民政府办公厅", "济南日报", "济南市人民政府新闻办公室"),
    ),
    SiteSpec(
        2,
        "jinan-fgw",
        "济南市发展和改革委员会",
        "济南市发展和改革委员会",
        "govcn",
        "utf-8",
        "utf-8",
        1.0,
        "11370100004188254R",
        ("济发改投资", "济发改规", "济发改价格"),
        ("济南市财政局",),
        ("济南市发展和改革委员会", "委办公室", "投资处"),
    ),
    SiteSpec(
        3,
        "jinan-jyj",
        "济南市教育局",
        "济南市教育局",
        "trs",
        "gbk",
        "gbk",
        1.0,
        "113701000041884175",
        ("济教发", "济教字", "济教办字"),
        ("济南市财政局", "济南市人力资源和社会保障局"),
        ("济南市教育局", "局办公室", "基础教育处"),
    ),
    SiteSpec(
        4,
        "jinan-wjw",
        "济南市卫生健康委员会",
        "济南市卫生健康委员会",
        "trs",
        "gb2312",
        "gb2312",
        1.5,
        "11370100MB28390561",
        ("济卫发", "济卫字", "济卫办发"),
        ("济南市市场监督管理局",),
        ("济南市卫生健康委员会", "委办公室", "疾病预防控制处"),
    ),
    SiteSpec(
        5,
        "jinan-sthjj",
        "济南市生态环境局",
        "济南市生态环境局",
        "hanweb",
        "utf-8",
        "utf-8",
        1.0,
        "11370100004189032D",
        ("济环发", "济环字", "济环办字"),
        ("济南市住房和城乡建设局",),
        ("济南市生态环境局", "局办公室", "大气环境处"),
    ),
    SiteSpec(
        6,
        "jinan-zjj",
        "济南市住房和城乡建设局",
        "济南市住房和城乡建设局",
        "hanweb",
        "utf-8",
        "utf-8",
        1.0,
        "11370100004189147J",
        ("济建发", "济建字", "济建办字"),
        ("济南市自然资源和规划局",),
        ("济南市住房和城乡建设局", "局办公室", "住房保障处"),
    ),
    SiteSpec(
        7,
        "jinan-czj",
        "济南市财政局",
        "济南市财政局",
        "gkmlpt",
        "utf-8",
        "utf-8",
        1.0,
        "113701000041882589",
        ("济财预", "济财库", "济财采"),
        ("济南市教育局", "济南市卫生健康委员会"),
        ("济南市财政局", "局办公室", "预算处"),
    ),
    SiteSpec(
        8,
        "jinan-yjj",
        "济南市应急管理局",
        "济南市应急管理局",
        "gkmlpt",
        "utf-8",
        "utf-8",
        1.0,
        "11370100MB2851234X",
        ("济应急发", "济应急字"),
        ("济南市生态环境局",),
        ("济南市应急管理局", "局办公室", "安全生产综合协调处"),
    ),
    SiteSpec(
        9,
        "jinan-scjgj",
        "济南市市场监督管理局",
        "济南市市场监督管理局",
        "generic",
        "utf-8",
        "utf-8",
        1.0,
        "11370100MB2846790T",
        ("济市监发", "济市监字", "济市监办发"),
        ("济南市卫生健康委员会",),
        ("济南市市场监督管理局", "局办公室", "食品生产监管处"),
    ),
)

SITE_IDS: tuple[str, ...] = tuple(site.id for site in SITES)
_BY_ID: dict[str, SiteSpec] = {site.id: site for site in SITES}


def site_spec(site_id: str) -> SiteSpec:
    try:
        return _BY_ID[site_id]
    except KeyError:
        raise KeyError(f"unknown site {site_id!r}; known: {', '.join(SITE_IDS)}") from None
