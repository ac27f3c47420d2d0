"""Metadata label variants (field-notes 2.1) and the schema field each one names.

A label is compared after `normalize_label`: whitespace of every kind (NBSP, U+3000, one text node
per character), zero-width characters, a trailing ：/: and wrapping 【】[] are removed, Latin letters
lower-cased. Each label carries a priority: when two labels name the same field the lower number
wins (`发布机构` beats the header line's `来源`).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import NamedTuple


class Field(StrEnum):
    index_number = "index_number"
    doc_number = "doc_number"
    issuer = "issuer"
    written_date = "written_date"
    published_date = "published_date"
    topic = "topic"
    validity = "validity"
    keywords = "keywords"
    title = "title"
    summary = "summary"
    other = "other"  # labels that end the previous value but fill no field (浏览次数, 作者, 公开方式…)


class LabelMeaning(NamedTuple):
    field: Field
    priority: int


_PRINTED_LABELS: dict[Field, tuple[tuple[str, ...], ...]] = {
    # one tuple per priority level, best first
    Field.index_number: (("索引号", "信息索引号", "索引编号", "索引"),),
    Field.doc_number: (
        ("发文字号", "文号", "文件编号", "文件字号", "发文文号", "发文编号", "发文号", "字号"),
    ),
    Field.issuer: (
        ("发布机构", "发文机关", "发文机构", "发文单位", "发布单位", "发布机关", "制发机关", "发布部门"),
        ("信息来源", "来源", "文章来源", "来源单位"),
    ),
    Field.written_date: (
        ("成文日期", "生成日期", "发文日期", "印发日期", "制发日期", "成文时间", "形成日期"),
    ),
    Field.published_date: (
        ("发布日期", "公开日期", "发布时间", "公开时间", "发文时间"),
        ("日期", "时间", "更新时间", "更新日期"),
    ),
    Field.topic: (("主题分类", "组配分类", "分类", "体裁分类", "信息分类", "主题"),),
    Field.validity: (("有效性", "时效", "效力状态", "时效性", "是否有效"),),
    Field.keywords: (("主题词", "关键词", "关键字"),),
    Field.title: (("标题", "名称", "文件名称", "信息名称", "题名", "文件标题"),),
    Field.summary: (("内容概述", "摘要", "内容摘要"),),
    Field.other: (
        (
            "作者",
            "浏览次数",
            "点击数",
            "点击率",
            "访问量",
            "阅读次数",
            "阅读量",
            "访问次数",
            "字号",
            "字体",
            "责任编辑",
            "编辑",
            "审核",
            "录入",
            "供稿",
            "摄影",
            "公开方式",
            "公开范围",
            "公开形式",
            "统一编号",
            "登记号",
            "信息类别",
            "所属栏目",
            "栏目",
        ),
    ),
}

# Keys of JSON feeds, script variables and <meta name=…> tags (compared lower-cased).
_KEY_LABELS: dict[Field, tuple[tuple[str, ...], ...]] = {
    Field.index_number: (("identifier", "idxid", "c_syh", "indexnumber", "index_number", "syh"),),
    Field.doc_number: (
        (
            "document_number",
            "fwzh",
            "filenum",
            "filenumber",
            "c_wjbh",
            "refno",
            "pcode",
            "wenhao",
            "wjbh",
            "docnumber",
        ),
    ),
    Field.issuer: (
        ("publisher", "puborg", "fwjg_name", "c_fbjg", "deptname", "fbjg"),
        ("contentsource", "source"),
    ),
    Field.written_date: (("cwrq", "writedate", "c_fwrq", "fwrq", "date", "written_date"),),
    Field.published_date: (
        ("fbrq", "pubdate", "pubtime", "publishtime", "created_at", "published_date"),
        ("firstpublishedtime", "publishdate"),
    ),
    Field.topic: (("classify_theme_name", "ztfl_name", "theme", "ztfl"),),
    Field.validity: (("effectivestate", "yxx", "validity"),),
    Field.keywords: (("keywords", "gjc"),),
    Field.title: (("articletitle", "title"),),
    Field.summary: (("description",),),
}

_STRIP = re.compile(r"[\s\u00a0\u3000\u200b-\u200f\u2060\ufeff【】\[\]:：]+")
# Latin labels are keys, not printed text: keep their underscores.


def normalize_label(text: str) -> str:
    return _STRIP.sub("", text).lower()


def _build(table: dict[Field, tuple[tuple[str, ...], ...]]) -> dict[str, LabelMeaning]:
    mapping: dict[str, LabelMeaning] = {}
    for field, levels in table.items():
        for priority, labels in enumerate(levels):
            for label in labels:
                mapping[normalize_label(label)] = LabelMeaning(field, priority)
    return mapping


PRINTED_LABELS: dict[str, LabelMeaning] = _build(_PRINTED_LABELS)
KEY_LABELS: dict[str, LabelMeaning] = _build(_KEY_LABELS)
# Printed labels are at most this long once normalised; longer cells are values.
MAX_LABEL_CHARS = max(len(label) for label in PRINTED_LABELS)


def printed_label(text: str) -> LabelMeaning | None:
    """The meaning of a printed label cell (索 引 号：, 文\xa0\xa0号, 标　　题), or None."""
    if len(text) > 40:
        return None
    return PRINTED_LABELS.get(normalize_label(text))


def key_label(key: str) -> LabelMeaning | None:
    """The meaning of a JSON / script / <meta> key (fileNum, c_syh, ArticleTitle), or None."""
    return KEY_LABELS.get(key.strip().lower())


def _spaced(label: str) -> str:
    # 索引号 → 索[\s…]*引[\s…]*号 : printed labels are padded between characters
    return r"[\s\u00a0\u3000]*".join(re.escape(char) for char in label)


# A printed label at a position, followed by its colon: used to split glued "label：value" text and
# header lines holding several pairs (时间:2014-12-19来源:济南市人民政府办公室). Longer labels first so
# that 发布时间 is not read as 时间.
INLINE_LABEL = re.compile(
    "(?P<label>"
    + "|".join(_spaced(label) for label in sorted(PRINTED_LABELS, key=len, reverse=True))
    + r")[\s\u00a0\u3000]*[:：]"
)
