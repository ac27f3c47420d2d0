"""An unknown CMS: plain list pages with 下一页 links, dl/dt/dd or li metadata, no platform markers."""

from __future__ import annotations

import re
from html import escape

from portal.corpus import Document
from portal.platforms.base import RequestInfo, list_pages
from portal.platforms.common import (
    Page,
    SiteContext,
    attachments_html,
    body_paragraphs,
    breadcrumb,
    format_date,
    giant_padding,
    label_html,
    page_shell,
    parent_column_page,
    sidebar_html,
)

PER_PAGE = 12
TITLE_CUT = 24
_COLUMN = re.compile(r"^/([a-z/]+?)/list(?:_(\d+))?\.html$")


def handle(ctx: SiteContext, request: RequestInfo) -> Page | None:
    match = _COLUMN.match(request.path)
    if not match:
        return None
    column = ctx.column_by_slug(match.group(1))
    if column is None:
        return None
    number = int(match.group(2) or 1)
    if match.group(2) == "1" or (match.group(2) or "").startswith("0") or number < 1:
        return None
    if not column.is_leaf:
        return parent_column_page(ctx, column) if number == 1 else None
    return column_page(ctx, column.key, number - 1)


def _page_name(page: int) -> str:
    return "list.html" if page == 0 else f"list_{page + 1}.html"


def column_page(ctx: SiteContext, key: int, page: int) -> Page | None:
    column = ctx.columns[key]
    total = ctx.layout.visible_count(key, ctx.epoch)
    pages = list_pages(total, PER_PAGE)
    if page >= pages:
        return None
    items = []
    for doc in ctx.listed(key, page * PER_PAGE, (page + 1) * PER_PAGE):
        # Long titles are cut in lists (the full title is only on the detail page).
        shown = doc.title if len(doc.title) <= TITLE_CUT else doc.title[:TITLE_CUT] + "..."
        items.append(
            f'<li><em>{doc.published_date.isoformat()}</em><a href="{doc.path}">{escape(shown)}</a></li>'
        )
    links = []
    if page > 0:
        links.append(f'<a href="{_page_name(page - 1)}">上一页</a>')
    if page + 1 < pages:
        links.append(f'<a href="{_page_name(page + 1)}">下一页</a>')
    content = (
        f'{breadcrumb(ctx, column)}\n<div class="main"><div class="bt">{escape(column.name)}</div>'
        f'<ul class="newslist">{"".join(items) or "<li>暂无内容</li>"}</ul>'
        f'<div class="fy">{" ".join(links)}</div></div>\n{sidebar_html(ctx)}'
    )
    return Page(page_shell(ctx, column.name, content))


def _metadata(doc: Document) -> str:
    written = format_date(doc.written_date, doc.date_style % 3) if doc.written_date else ""
    fields = [
        ("索引号", escape(doc.index_number or "")),
        ("发布机构", escape(doc.issuer)),
        ("主题分类", escape(doc.topic or "")),
        ("成文日期", written),
        ("发布日期", format_date(doc.published_date, doc.date_style, doc.published_at)),
        ("有效性", escape(doc.validity or "")),
        ("关键词", escape("，".join(doc.keywords))),
    ]
    raw = escape(doc.doc_number_raw or "")
    if doc.index % 2:
        rows = "".join(
            f"<dt>{label_html(name, doc.label_style)}</dt><dd>{value}</dd>" for name, value in fields
        )
        number = (
            f"<dd>发文字号：{raw}</dd>"
            if doc.number_style == "glued"
            else f"<dt>{label_html('发文字号', doc.label_style)}</dt><dd>{raw}</dd>"
        )
        return f'<dl class="info">{rows}{number}</dl>'
    rows = "".join(f"<li>{label_html(name, doc.label_style)}{value}</li>" for name, value in fields)
    return f'<ul class="info">{rows}<li>{label_html("发文字号", doc.label_style)}{raw}</li></ul>'


def detail_page(ctx: SiteContext, doc: Document) -> Page:
    meta = "" if doc.is_news else _metadata(doc)
    content = (
        f'{breadcrumb(ctx, doc.column)}\n<div class="main"><h3>{escape(doc.title)}</h3>\n'
        f'<div class="source">时间:{doc.published_date.isoformat()}来源:{escape(doc.source)}</div>\n{meta}\n'
        '<div class="text">'
        + body_paragraphs(doc)
        + f"{attachments_html(doc)}<p>(责任编辑:{escape(doc.editor)})</p></div></div>\n"
        f"{sidebar_html(ctx, exclude=doc.path)}{giant_padding(ctx, doc)}"
    )
    return Page(page_shell(ctx, doc.title, content), last_modified=doc.modified_at)
