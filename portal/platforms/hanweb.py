"""Hanweb/大汉 JCMS style: /col/colN/index.html pages fed by the jpage dataproxy.jsp XML, /art/ articles."""

from __future__ import annotations

import re
from html import escape

from portal.corpus import Document
from portal.platforms.base import RequestInfo, int_param
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

PER_PAGE = 15
MAX_RECORDS_PER_REQUEST = 1000
DATAPROXY = "/module/web/jpage/dataproxy.jsp"
_COLUMN = re.compile(r"^/col/col(\d+)/index\.html$")
# Row orders of the xxgk_table; each column uses one (scrapers that address rows by position break).
_ROW_ORDERS = ((0, 1, 2), (1, 0, 2), (0, 2, 1), (2, 0, 1))


def unit_id(ctx: SiteContext) -> int:
    return 20000 + ctx.site.number * 37


def handle(ctx: SiteContext, request: RequestInfo) -> Page | None:
    if request.path == DATAPROXY:
        return dataproxy(ctx, request)
    match = _COLUMN.match(request.path)
    if not match:
        return None
    column = ctx.column_by_number(int(match.group(1)))
    if column is None:
        return None
    if not column.is_leaf:
        return parent_column_page(ctx, column)
    return column_page(ctx, column.key)


def _record(doc: Document) -> str:
    return (
        f'<record><![CDATA[<li><a href="{doc.path}" title="{escape(doc.title)}" target="_blank">'
        f'{escape(doc.title)}</a><span class="bt-data-time">{doc.published_date.isoformat()}</span></li>]]></record>'
    )


def _records(ctx: SiteContext, key: int, start: int, stop: int) -> str:
    return "".join(_record(doc) for doc in ctx.listed(key, start, stop))


def column_page(ctx: SiteContext, key: int) -> Page:
    column = ctx.columns[key]
    total = ctx.layout.visible_count(key, ctx.epoch)
    webid = ctx.site.number
    config = (
        "<script>var jpageConfig = {"
        f'proxyUrl: "{DATAPROXY}", col: 1, appid: 1, webid: {webid}, path: "/", '
        f'columnid: {column.number}, unitid: {unit_id(ctx)}, webname: "{escape(ctx.site.name)}", '
        f"permissiontype: 0, perPage: {PER_PAGE}, totalRecord: {total}"
        "};</script>"
    )
    first = _records(ctx, key, 0, PER_PAGE)
    datastore = (
        f'<div id="{unit_id(ctx)}"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="{DATAPROXY}'
        f"?page=1&appid=1&webid={webid}&path=/&columnid={column.number}&unitid={unit_id(ctx)}"
        f'&webname={escape(ctx.site.name)}&permissiontype=0"></a>]]></nextgroup>'
        f"<recordset>{first}</recordset></datastore></script>"
        '<script language="javascript" src="/module/web/jpage/jpage.js"></script></div>'
    )
    content = (
        f'{breadcrumb(ctx, column)}\n<div class="list-right"><h2>{escape(column.name)}</h2>'
        f"{config}{datastore}</div>\n{sidebar_html(ctx)}"
    )
    return Page(page_shell(ctx, column.name, content))


def dataproxy(ctx: SiteContext, request: RequestInfo) -> Page | None:
    column = ctx.column_by_number(int_param(request.param("columnid"), -1))
    if column is None or not column.is_leaf:
        return Page(
            '<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>0</totalrecord><recordset></recordset></datastore>',
            content_type="text/xml",
        )
    perpage = max(1, int_param(request.param("perpage"), PER_PAGE))
    start = max(1, int_param(request.param("startrecord"), 1))
    end = int_param(request.param("endrecord"), start + perpage - 1)
    end = min(end, start + MAX_RECORDS_PER_REQUEST - 1)
    total = ctx.layout.visible_count(column.key, ctx.epoch)
    records = _records(ctx, column.key, start - 1, end) if end >= start else ""
    pages = max(1, -(-total // perpage))
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n'
        f'<nextgroup><![CDATA[<a href="{DATAPROXY}?page=1&columnid={column.number}"></a>]]></nextgroup>\n'
        f"<recordset>\n{records}\n</recordset>\n<totalrecord>{total}</totalrecord>\n<totalpage>{pages}</totalpage>\n"
        "</datastore>"
    )
    return Page(body, content_type="text/xml")


def _meta_table(doc: Document) -> str:
    style = doc.label_style
    written = format_date(doc.written_date, doc.date_style % 3) if doc.written_date else ""
    if doc.number_style == "glued":
        number = f'<td colspan="2">{label_html("文件编号", "plain")}{escape(doc.doc_number_raw or "")}</td>'
    else:
        number = f"<th>{label_html('文件编号', style)}</th><td>{escape(doc.doc_number_raw or '')}</td>"
    rows = (
        f"<th>{label_html('索引号', style)}</th><td>{escape(doc.index_number or '')}</td>"
        f"<th>{label_html('组配分类', style)}</th><td>{escape(doc.topic or '')}</td>",
        f"<th>{label_html('发布机构', style)}</th><td>{escape(doc.issuer)}</td>"
        f"<th>{label_html('生成日期', style)}</th><td>{written}</td>",
        f"{number}<th>{label_html('有效性', style)}</th><td>{escape(doc.validity or '')}</td>",
    )
    order = _ROW_ORDERS[doc.column.number % len(_ROW_ORDERS)]
    return '<table class="xxgk_table">' + "".join(f"<tr>{rows[n]}</tr>" for n in order) + "</table>"


def detail_page(ctx: SiteContext, doc: Document) -> Page:
    meta = "" if doc.is_news else _meta_table(doc)
    head = (
        f'<meta name="ArticleTitle" content="{escape(doc.title)}">'
        f'<meta name="PubDate" content="{doc.published_at:%Y-%m-%d %H:%M}">'
        f'<meta name="ContentSource" content="{escape(doc.source)}">'
        f'<meta name="ColumnName" content="{escape(doc.column.name)}">'
        f'<meta name="Keywords" content="{escape(";".join(doc.keywords))}">'
    )
    content = (
        f"{breadcrumb(ctx, doc.column)}\n{meta}\n"
        f'<div class="main-txt"><div class="title">{escape(doc.title)}</div>\n'
        f'<div class="sub-title">发布日期：{format_date(doc.published_date, 1)}　信息来源：{escape(doc.source)}</div>\n'
        '<div id="zoom">'
        + body_paragraphs(doc)
        + f"{attachments_html(doc)}</div></div>\n{sidebar_html(ctx, exclude=doc.path)}{giant_padding(ctx, doc)}"
    )
    return Page(page_shell(ctx, doc.title, content, head), last_modified=doc.modified_at)
