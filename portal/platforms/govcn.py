"""gov.cn style: static column pages index.htm / index_N.htm, a table.bd1 metadata block, #UCAP-CONTENT body."""

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
    number_cell,
    page_shell,
    route_index_pages,
    sidebar_html,
)

PER_PAGE = 15
_COLUMN = re.compile(r"^/zwgk/([a-z/]+?)/index(?:_(\d+))?\.htm$")


def handle(ctx: SiteContext, request: RequestInfo) -> Page | None:
    return route_index_pages(ctx, request.path, _COLUMN, column_page)


def column_page(ctx: SiteContext, key: int, page: int) -> Page | None:
    column = ctx.columns[key]
    total = ctx.layout.visible_count(key, ctx.epoch)
    pages = list_pages(total, PER_PAGE)
    if page >= pages:
        return None
    items = []
    for doc in ctx.listed(key, page * PER_PAGE, (page + 1) * PER_PAGE):
        items.append(
            f'<li><a href="{doc.path}" target="_blank" title="{escape(doc.title)}">{escape(doc.title)}</a>'
            f'<span class="date">{doc.published_date.isoformat()}</span></li>'
        )
    listing = "".join(items) or '<li class="empty">暂无信息</li>'
    nav = [f"<span>共{total}条 第{page + 1}/{pages}页</span>", '<a href="index.htm">首页</a>']
    if page > 0:
        nav.append(f'<a href="{"index.htm" if page == 1 else f"index_{page - 1}.htm"}">上一页</a>')
    if page + 1 < pages:
        nav.append(f'<a href="index_{page + 1}.htm">下一页</a>')
    nav.append(f'<a href="{"index.htm" if pages == 1 else f"index_{pages - 1}.htm"}">尾页</a>')
    content = (
        f'{breadcrumb(ctx, column)}\n<div class="list-box"><h2>{escape(column.name)}</h2>'
        f'<ul class="list-ul">{listing}</ul>\n<div class="pagination">{" ".join(nav)}</div></div>\n{sidebar_html(ctx)}'
    )
    return Page(page_shell(ctx, column.name, content))


def _meta_table(doc: Document) -> str:
    style = doc.label_style
    written = format_date(doc.written_date, doc.date_style % 3) if doc.written_date else ""
    published = format_date(doc.published_date, doc.date_style, doc.published_at)
    issuer_label = "发文机关" if doc.index % 2 else "发布机构"
    number_label = ("发文字号", "文号", "发文字号", "文件编号")[doc.index % 4]
    if doc.number_style == "glued":
        number_row = (
            f'<td colspan="2">{label_html(number_label, "plain")}{escape(doc.doc_number_raw or "")}</td>'
        )
    else:
        number_row = f"<td><b>{label_html(number_label, style)}</b></td><td>{number_cell(doc)}</td>"
    validity = (
        f'<tr><td><b>{label_html("有效性", style)}</b></td><td colspan="3">{escape(doc.validity)}</td></tr>'
        if doc.validity
        else ""
    )
    return (
        '<table class="bd1" width="100%" cellpadding="0" cellspacing="1">'
        f"<tr><td><b>{label_html('索引号', style)}</b></td><td>{escape(doc.index_number or '')}</td>"
        f"<td><b>{label_html('主题分类', style)}</b></td><td>{escape(doc.topic or '')}</td></tr>"
        f"<tr><td><b>{label_html(issuer_label, style)}</b></td><td>{escape(doc.issuer)}</td>"
        f"<td><b>{label_html('成文日期', style)}</b></td><td>{written}</td></tr>"
        f'<tr><td><b>标\u3000\u3000题：</b></td><td colspan="3">{escape(doc.title)}</td></tr>'
        f"<tr>{number_row}<td><b>{label_html('发布日期', style)}</b></td><td>{published}</td></tr>"
        f"{validity}</table>"
        '<table class="bd1" width="100%">'
        f"<tr><td><b>主 题 词：</b></td><td>{escape(' '.join(doc.keywords))}</td></tr></table>"
    )


def detail_page(ctx: SiteContext, doc: Document) -> Page:
    meta = "" if doc.is_news else _meta_table(doc)
    number_line = (
        f'<p style="text-align: center;">{escape(doc.doc_number_raw)}</p>'
        if doc.doc_number_raw and doc.number_style != "docwrite"
        else ""
    )
    content = (
        f'{breadcrumb(ctx, doc.column)}\n<div class="xxgk-info">{meta}</div>\n'
        f'<div class="article"><h1 class="article-title">{escape(doc.title)}</h1>\n'
        f'<div class="pages-date">时间:{doc.published_date.isoformat()}来源:{escape(doc.source)}</div>\n'
        f'<div id="UCAP-CONTENT" class="article-content">{number_line}'
        + body_paragraphs(doc)
        + f"{attachments_html(doc)}<p>(责任编辑:{escape(doc.editor)})</p></div></div>\n"
        f"{sidebar_html(ctx, exclude=doc.path)}{giant_padding(ctx, doc)}"
    )
    head = (
        f'<meta name="keywords" content="{escape(",".join(doc.keywords))}">'
        f'<meta name="firstpublishedtime" content="{doc.published_at:%Y-%m-%d %H:%M:%S}">'
        f'<meta name="lastmodifiedtime" content="{doc.modified_at:%Y-%m-%d %H:%M:%S}">'
        f'<meta name="lanmu" content="{escape(doc.column.name)}">'
    )
    return Page(page_shell(ctx, doc.title, content, head), last_modified=doc.modified_at)
