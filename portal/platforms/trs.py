"""TRS WCM style: GBK pages, createPageHTML pagination, ./YYYYMM/tYYYYMMDD_ID.html, div.TRS_Editor."""

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

PER_PAGE = 20
_COLUMN = re.compile(r"^/xxgk/([a-z/]+?)/index(?:_(\d+))?\.html$")
_PAGER_JS = (
    "<script>function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){"
    "if(_nPageCount<=1){return;}var html='';"
    "for(var i=0;i<_nPageCount;i++){var name=(i==0)?_sPageName+'.'+_sPageExt:_sPageName+'_'+i+'.'+_sPageExt;"
    "html+=(i==_nCurrIndex)?'<span>'+(i+1)+'</span>':'<a href=\"'+name+'\">'+(i+1)+'</a>';}"
    "document.write(html);}</script>"
)


def handle(ctx: SiteContext, request: RequestInfo) -> Page | None:
    return route_index_pages(ctx, request.path, _COLUMN, column_page)


def column_page(ctx: SiteContext, key: int, page: int) -> Page | None:
    column = ctx.columns[key]
    total = ctx.layout.visible_count(key, ctx.epoch)
    pages = list_pages(total, PER_PAGE)
    if page >= pages:
        return None
    prefix = f"/xxgk/{column.slug}/"
    items = []
    for doc in ctx.listed(key, page * PER_PAGE, (page + 1) * PER_PAGE):
        href = "./" + doc.path.removeprefix(prefix)
        items.append(
            f'<li><a href="{href}" target="_blank" title="{escape(doc.title)}">{escape(doc.title)}</a>'
            f"<span>{doc.published_date.isoformat()}</span></li>"
        )
    listing = "".join(items) or "<li>暂无信息</li>"
    content = (
        f'{breadcrumb(ctx, column)}\n<div class="list_right"><h2>{escape(column.name)}</h2>'
        f'<ul class="list">{listing}</ul>\n<div class="page">{_PAGER_JS}'
        f'<script>createPageHTML({pages}, {page}, "index", "html");</script></div></div>\n{sidebar_html(ctx)}'
    )
    return Page(page_shell(ctx, column.name, content))


def _meta_table(doc: Document) -> str:
    style = doc.label_style
    written = format_date(doc.written_date, doc.date_style % 3) if doc.written_date else ""
    if doc.number_style == "glued":
        number = f'<td colspan="2">{label_html("文号", "plain")}{escape(doc.doc_number_raw or "")}</td>'
    else:
        number = f"<th>{label_html('文号', style)}</th><td>{number_cell(doc)}</td>"
    validity = escape(doc.validity or "")
    return (
        '<table class="xxgk-table" border="0">'
        f"<tr><th>{label_html('索引号', style)}</th><td>{escape(doc.index_number or '')}</td>"
        f"<th>{label_html('发布机构', style)}</th><td>{escape(doc.issuer)}</td></tr>"
        f"<tr><th>{label_html('主题分类', style)}</th><td>{escape(doc.topic or '')}</td>"
        f"<th>{label_html('成文日期', style)}</th><td>{written}</td></tr>"
        f"<tr>{number}<th>{label_html('发布日期', style)}</th><td>{doc.published_date.isoformat()}</td></tr>"
        f'<tr><th>{label_html("名称", style)}</th><td colspan="3">{escape(doc.title)}</td></tr>'
        f"<tr><th>{label_html('有效性', style)}</th><td>{validity}</td>"
        f"<th>{label_html('主题词', style)}</th><td>{escape('；'.join(doc.keywords))}</td></tr>"
        "</table>"
    )


def detail_page(ctx: SiteContext, doc: Document) -> Page:
    meta = "" if doc.is_news else _meta_table(doc)
    content = (
        f'{breadcrumb(ctx, doc.column)}\n<div class="xxgk_top">{meta}</div>\n'
        f'<div class="article"><h2 class="title">{escape(doc.title)}</h2>\n'
        f'<div class="info"><span>发布时间：{format_date(doc.published_date, 3, doc.published_at)}</span>'
        f"<span>来源：{escape(doc.source)}</span></div>\n"
        '<div class="TRS_Editor"><div class="TRS_PreAppend">'
        + body_paragraphs(doc)
        + f"</div>{attachments_html(doc, relative_to_dir=True)}</div>"
        f'<p class="editor">(责任编辑:{escape(doc.editor)})</p></div>\n'
        f"{sidebar_html(ctx, exclude=doc.path)}{giant_padding(ctx, doc)}"
    )
    head = (
        f'<meta name="ColumnName" content="{escape(doc.column.name)}">'
        f'<meta name="PubDate" content="{doc.published_at:%Y-%m-%d %H:%M}">'
    )
    return Page(page_shell(ctx, doc.title, content, head), last_modified=doc.modified_at)
