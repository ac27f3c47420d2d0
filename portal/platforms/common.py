"""Pieces shared by all platform renderers: the response type, labels, dates and site furniture."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from html import escape

from portal.columns import ColumnDef, top_columns
from portal.config import PortalConfig
from portal.corpus import Document, document, summary
from portal.layout import SiteLayout, site_layout
from portal.sites import SiteSpec, site_spec


@dataclass(slots=True)
class Page:
    """A rendered response before faults and encoding are applied."""

    body: str | bytes
    status: int = 200
    content_type: str = "text/html"
    headers: dict[str, str] = field(default_factory=dict)
    encode_as_site: bool = True  # encode text with the site's codec (GBK on TRS sites)
    last_modified: datetime | None = None


def not_found() -> Page:
    return Page(
        "<html><head><title>404</title></head><body><h1>404 页面不存在</h1></body></html>", status=404
    )


@dataclass(frozen=True, slots=True)
class SiteContext:
    config: PortalConfig
    site: SiteSpec
    layout: SiteLayout
    epoch: int

    @property
    def columns(self) -> tuple[ColumnDef, ...]:
        return self.layout.columns

    def live_columns(self) -> list[ColumnDef]:
        return [c for c in self.columns if c.exists_at(self.epoch)]

    def column_by_slug(self, slug: str) -> ColumnDef | None:
        for column in self.columns:
            if column.slug == slug and column.exists_at(self.epoch):
                return column
        return None

    def column_by_number(self, number: int) -> ColumnDef | None:
        for column in self.columns:
            if column.number == number and column.exists_at(self.epoch):
                return column
        return None

    def doc(self, index: int) -> Document | None:
        return document(self.config, self.site.id, index, self.epoch)

    def summary(self, index: int) -> Document | None:
        """The document without its body (for list pages)."""
        return summary(self.config, self.site.id, index, self.epoch)

    def listed(self, key: int, start: int, stop: int) -> list[Document]:
        """Summaries of the documents a column lists between positions `start` and `stop`, newest first."""
        docs = (self.summary(index) for index in self.layout.visible_slice(key, self.epoch, start, stop))
        return [doc for doc in docs if doc is not None]


def site_context(config: PortalConfig, site_id: str, epoch: int) -> SiteContext:
    return SiteContext(config, site_spec(site_id), site_layout(config, site_id), epoch)


def format_date(day: date, style: int, moment: datetime | None = None) -> str:
    if style == 0:
        return f"{day.year}年{day.month:02d}月{day.day:02d}日"
    if style == 1:
        return day.isoformat()
    if style == 2:
        return f"{day.year} 年 {day.month:02d} 月 {day.day:02d} 日"
    if moment is not None:
        return f"{day.isoformat()} {moment:%H:%M}"
    return f"{day.year}年{day.month}月{day.day}日"


def label_html(name: str, style: str) -> str:
    """A metadata label in one of the real-world spellings (field-notes 2.1)."""
    if style == "split":
        return " ".join(name) + "："
    if style == "nbsp":
        return "\xa0\xa0".join(name) + "："
    if style == "anhui":
        chars = list(name)
        return "".join(f"<span>{c}</span>" for c in chars[:-1]) + f"<span>{chars[-1]}：</span>"
    return name + "："


def number_cell(doc: Document) -> str:
    """The 文号 value as printed: plain, or written by document.write (Hunan style)."""
    raw = doc.doc_number_raw or ""
    if doc.number_style == "docwrite" and raw:
        return f"<script>var fileNum='{escape(raw)}';document.write(fileNum)</script>"
    return escape(raw)


def page_shell(ctx: SiteContext, title: str, content: str, head_extra: str = "") -> str:
    charset = ctx.site.charset_label
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="{charset}">'
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>{escape(title)}_{escape(ctx.site.name)}</title>{head_extra}</head>\n<body>\n"
        f"{_header(ctx.config, ctx.site.id, ctx.epoch)}\n{content}\n{_footer(ctx.config, ctx.site.id, ctx.epoch)}"
        "\n</body></html>\n"
    )


@lru_cache(maxsize=256)
def _header(config: PortalConfig, site_id: str, epoch: int) -> str:
    return header_html(site_context(config, site_id, epoch))


@lru_cache(maxsize=256)
def _footer(config: PortalConfig, site_id: str, epoch: int) -> str:
    return footer_html(site_context(config, site_id, epoch))


def header_html(ctx: SiteContext) -> str:
    from portal.urls import column_path

    links = "".join(
        f'<li><a href="{column_path(ctx.site, column)}">{escape(column.name)}</a></li>'
        for column in top_columns(ctx.columns, ctx.epoch)
    )
    return (
        f'<div class="top-bar"><span>欢迎访问{escape(ctx.site.name)}网站</span> <a href="/">首页</a> '
        '<a href="/search/">站内搜索</a> <a href="/wza/">无障碍</a></div>\n'
        f'<div class="logo"><a href="/">{escape(ctx.site.name)}</a></div>\n'
        f'<ul class="main-nav"><li><a href="/">网站首页</a></li>{links}</ul>'
    )


def footer_html(ctx: SiteContext) -> str:
    site = ctx.site
    extra = fault_links(ctx)
    return (
        '<div class="share-bar">分享到：<a href="javascript:;">微信</a> <a href="javascript:;">微博</a> '
        '<a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>\n'
        f"{extra}"
        '<div class="footer"><p><a href="/about/">关于我们</a> | <a href="/sitemap/">网站地图</a> | '
        '<a href="/contact/">联系我们</a></p>'
        f"<p>主办单位：{escape(site.department)}　承办：{escape(site.department)}办公室</p>"
        f"<p>网站标识码：37010000{site.number:02d}　鲁ICP备0500{site.number:04d}号　鲁公网安备 37010202000{site.number:03d}号</p>"
        "<p>地址：济南市龙奥北路1号　电话：0531-12345</p></div>"
    )


def fault_links(ctx: SiteContext) -> str:
    faults = ctx.config.faults_for(ctx.site.id)
    if faults is None:
        return ""
    parts: list[str] = []
    for n in range(faults.redirect_loops):
        parts.append(f'<li><a href="/redirect/{n}/a.html">专题链接{n + 1}</a></li>')
    if faults.trap:
        today = ctx.config.today_at(ctx.epoch)
        parts.append(f'<li><a href="/calendar/{today.isoformat()}.html">活动日历</a></li>')
    if not parts:
        return ""
    return f'<div class="related-links"><h3>相关链接</h3><ul>{"".join(parts)}</ul></div>\n'


@lru_cache(maxsize=64)
def _popular_titles(config: PortalConfig, site_id: str, epoch: int) -> tuple[tuple[str, str], ...]:
    ctx = site_context(config, site_id, epoch)
    leaves = [c for c in ctx.live_columns() if c.is_leaf and ctx.layout.visible_count(c.key, epoch)]
    found: list[tuple[str, str]] = []
    for column in leaves[:3]:
        for doc in ctx.listed(column.key, 0, 2):
            if not doc.robots_disallowed:
                found.append((doc.path, escape(doc.title)))
    return tuple(found)


def sidebar_html(ctx: SiteContext, exclude: str = "") -> str:
    """点击排行 / 推荐阅读: titles of other documents. Site furniture, not content."""
    items = [
        (path, title)
        for path, title in _popular_titles(ctx.config, ctx.site.id, ctx.epoch)
        if path != exclude
    ]
    ranking = "".join(f'<li><a href="{path}">{title}</a></li>' for path, title in items[:5])
    reading = "".join(f'<li><a href="{path}">{title}</a></li>' for path, title in items[-3:])
    return (
        f'<div class="side-box"><h3>点击排行</h3><ul>{ranking}</ul></div>\n'
        f'<div class="side-box"><h3>推荐阅读</h3><ul>{reading}</ul></div>'
    )


def breadcrumb(ctx: SiteContext, column: ColumnDef) -> str:
    from portal.urls import column_path

    parts = ['<a href="/">首页</a>']
    chain: list[ColumnDef] = []
    current: ColumnDef | None = column
    while current is not None:
        chain.append(current)
        current = ctx.columns[current.parent] if current.parent is not None else None
    for item in reversed(chain):
        parts.append(f'<a href="{column_path(ctx.site, item)}">{escape(item.name)}</a>')
    return f'<div class="position">当前位置：{" &gt; ".join(parts)}</div>'


def attachments_html(doc: Document, relative_to_dir: bool = False) -> str:
    if not doc.attachments:
        return ""
    links = []
    for attachment in doc.attachments:
        href = attachment.path
        if relative_to_dir:
            href = "./" + href.rsplit("/", 1)[1]
        links.append(
            f'<p><a href="{escape(href)}" title="{escape(attachment.name)}">{escape(attachment.name)}</a></p>'
        )
    return '<div class="attachments"><p>附件：</p>' + "".join(links) + "</div>"


def body_paragraphs(doc: Document) -> str:
    """The body: its paragraphs, or the scanned page image of a document published as a scan."""
    if doc.body_scan is not None:
        return (
            f'<p style="text-align: center;"><img src="{escape(doc.body_scan.path)}" alt="" border="0"></p>'
        )
    return "".join(f"<p>{escape(p)}</p>" for p in doc.paragraphs)


def giant_padding(ctx: SiteContext, doc: Document) -> str:
    """A multi-MB block of furniture appended to a giant page."""
    if not doc.giant:
        return ""
    row = '<li><a href="/">网站首页</a><span>相关信息推荐列表项</span></li>'
    repeat = ctx.config.giant_page_bytes // len(row.encode("utf-8")) + 1
    return f'<ul class="related-more" style="display:none">{row * repeat}</ul>'


def home_page(ctx: SiteContext, extra: str = "") -> Page:
    from portal.urls import column_path

    blocks = []
    for top in top_columns(ctx.columns, ctx.epoch):
        children = [ctx.columns[k] for k in top.children if ctx.columns[k].exists_at(ctx.epoch)]
        sub = "".join(f'<li><a href="{column_path(ctx.site, c)}">{escape(c.name)}</a></li>' for c in children)
        blocks.append(
            f'<div class="column-block"><h2><a href="{column_path(ctx.site, top)}">{escape(top.name)}</a></h2>'
            f"<ul>{sub}</ul></div>"
        )
    content = f'<div class="home">{extra}{"".join(blocks)}</div>\n{sidebar_html(ctx)}'
    return Page(page_shell(ctx, "首页", content))


def parent_column_page(ctx: SiteContext, column: ColumnDef) -> Page:
    from portal.urls import column_path

    children = [ctx.columns[k] for k in column.children if ctx.columns[k].exists_at(ctx.epoch)]
    items = "".join(
        f'<li><a href="{column_path(ctx.site, child)}">{escape(child.name)}</a></li>' for child in children
    )
    content = f'{breadcrumb(ctx, column)}<div class="sub-columns"><h2>{escape(column.name)}</h2><ul>{items}</ul></div>'
    return Page(page_shell(ctx, column.name, content))


def route_index_pages(
    ctx: SiteContext,
    path: str,
    pattern: re.Pattern[str],
    render_page: Callable[[SiteContext, int, int], Page | None],
) -> Page | None:
    """Static column pages `index`, `index_1`, `index_2` … (gov.cn and TRS): group 1 is the column slug,
    group 2 the page number (absent on page 0)."""
    match = pattern.match(path)
    if not match:
        return None
    column = ctx.column_by_slug(match.group(1))
    if column is None:
        return None
    if match.group(2) is not None and match.group(2).startswith("0"):
        return None  # index.html is page 0; index_0 / zero-padded names do not exist
    page = int(match.group(2) or 0)
    if not column.is_leaf:
        return parent_column_page(ctx, column) if page == 0 else None
    return render_page(ctx, column.key, page)
