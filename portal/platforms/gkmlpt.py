"""Guangdong gkmlpt style: /gkmlpt/index with window._CONFIG, JSON list API, post_N.html detail pages."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime, time, timedelta, timezone
from html import escape

from portal.corpus import Document
from portal.platforms.base import RequestInfo, int_param
from portal.platforms.common import (
    Page,
    SiteContext,
    attachments_html,
    body_paragraphs,
    format_date,
    giant_padding,
    page_shell,
    sidebar_html,
)

PER_PAGE = 10
# The site whose API returns the whole column on page 1 and 404 on page 2 (field-notes quirk).
WHOLE_COLUMN_SITES = frozenset({"jinan-yjj"})
_API = re.compile(r"^/gkmlpt/api/all/(\d+)$")
CHINA = timezone(timedelta(hours=8))


def sid(ctx: SiteContext) -> str:
    return hashlib.sha1(f"{ctx.config.seed}:{ctx.site.id}:sid".encode()).hexdigest()[:6].upper()


def handle(ctx: SiteContext, request: RequestInfo) -> Page | None:
    if request.path in ("/gkmlpt/index", "/gkmlpt/index.html", "/gkmlpt/", "/gkmlpt"):
        return index_page(ctx)
    match = _API.match(request.path)
    if match:
        return api_page(ctx, int(match.group(1)), request)
    return None


def _tree(ctx: SiteContext, parent: int | None) -> list[dict[str, object]]:
    nodes: list[dict[str, object]] = []
    for column in ctx.live_columns():
        if column.parent != parent:
            continue
        nodes.append(
            {
                "id": column.number,
                "name": column.name,
                "parent": ctx.columns[parent].number if parent is not None else 0,
                "jump_url": "",
                "children": _tree(ctx, column.key),
            }
        )
    return nodes


def index_page(ctx: SiteContext) -> Page:
    config = {"SID": sid(ctx), "SITE_NAME": ctx.site.name, "TREE": _tree(ctx, None), "PAGE_SIZE": PER_PAGE}
    script = f"<script>window._CONFIG = {json.dumps(config, ensure_ascii=False)};</script>"
    content = (
        '<div id="app" class="gkmlpt"><div class="tree"></div><div class="list"></div></div>\n'
        f'{script}\n<script src="/gkmlpt/static/js/app.js"></script>'
    )
    return Page(page_shell(ctx, "政府信息公开目录", content))


def _epoch_seconds(doc: Document) -> int | None:
    if doc.written_date is None:
        return None
    return int(datetime.combine(doc.written_date, time(0, 0), CHINA).timestamp())


def article_json(ctx: SiteContext, doc: Document) -> dict[str, object]:
    return {
        "id": doc.docid,
        "title": doc.title,
        "identifier": doc.index_number or "",
        "document_number": doc.doc_number_raw or "",
        "publisher": doc.issuer,
        "date": _epoch_seconds(doc),
        "created_at": f"{doc.published_at:%Y-%m-%d %H:%M:%S}",
        "first_publish_time": int(doc.published_at.replace(tzinfo=CHINA).astimezone(UTC).timestamp()),
        "classify_theme_name": doc.topic or "",
        "keywords": ",".join(doc.keywords),
        "post_url": ctx.config.base_url(ctx.site.id).rstrip("/") + doc.path,
        "attachment": [{"name": a.name, "url": a.path, "ext": a.extension} for a in doc.attachments],
    }


def _error(status: int, message: str) -> Page:
    return Page(json.dumps({"code": status, "msg": message}), status=status, content_type="application/json")


def api_page(ctx: SiteContext, number: int, request: RequestInfo) -> Page:
    if request.param("sid") != sid(ctx):
        return _error(403, "invalid sid")
    column = ctx.column_by_number(number)
    if column is None:
        return _error(404, "column not found")
    page = int_param(request.param("page", "1"), 1)
    total = ctx.layout.visible_count(column.key, ctx.epoch) if column.is_leaf else 0
    whole = ctx.site.id in WHOLE_COLUMN_SITES
    if page < 1 or (whole and page > 1):
        return _error(404, "page not found")
    start, stop = (0, total) if whole else ((page - 1) * PER_PAGE, page * PER_PAGE)
    articles = []
    for doc in ctx.listed(column.key, start, stop) if column.is_leaf else []:
        articles.append(article_json(ctx, doc))
    payload = {
        "classify": {"id": column.number, "name": column.name, "post_count": total},
        "articles": articles,
        "page": page,
        "page_size": total if whole else PER_PAGE,
    }
    return Page(json.dumps(payload, ensure_ascii=False), content_type="application/json")


def _row(label: str, value: str, wide: bool = False) -> str:
    span = ' colspan="3"' if wide else ""
    return f'<td class="td-label">{label}：</td><td class="td-value"{span}>{value}</td>'


def detail_page(ctx: SiteContext, doc: Document) -> Page:
    written = format_date(doc.written_date, doc.date_style % 3) if doc.written_date else ""
    header = (
        '<div class="classify"><table class="table-header">'
        f"<tr>{_row('索引号', escape(doc.index_number or ''))}{_row('分类', escape(doc.topic or ''))}</tr>"
        f"<tr>{_row('发布机构', escape(doc.issuer))}{_row('成文日期', written)}</tr>"
        f"<tr>{_row('名称', escape(doc.title), wide=True)}</tr>"
        f"<tr>{_row('文号', escape(doc.doc_number_raw or ''))}{_row('发布日期', format_date(doc.published_date, 1))}</tr>"
        f"<tr>{_row('主题词', escape(' '.join(doc.keywords)))}{_row('有效性', escape(doc.validity or ''))}</tr>"
        "</table></div>"
    )
    detail = {
        "id": doc.docid,
        "title": doc.title,
        "document_number": doc.doc_number_raw or "",
        "publisher": doc.issuer,
        "identifier": doc.index_number or "",
    }
    script = f"<script>window._CONFIG = {{DETAIL: {json.dumps(detail, ensure_ascii=True)}}};</script>"
    content = (
        f'{header}\n<div class="article"><h1 class="title">{escape(doc.title)}</h1>\n'
        '<div class="article-content">'
        + body_paragraphs(doc)
        + f"{attachments_html(doc)}</div></div>\n{script}\n{sidebar_html(ctx, exclude=doc.path)}{giant_padding(ctx, doc)}"
    )
    return Page(page_shell(ctx, doc.title, content), last_modified=doc.modified_at)
