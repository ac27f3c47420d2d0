"""Request -> response for one site, independent of the HTTP server (pure given config and epoch)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from types import ModuleType
from urllib.parse import quote

from portal.attachments import AttachmentStore
from portal.config import PortalConfig
from portal.corpus import BODY_IMAGE_NUMBER, AttachmentSpec, Document
from portal.faults import calendar_page, redirect_target
from portal.manifest import has_sitemap, robots_disallow
from portal.platforms import generic, gkmlpt, govcn, hanweb, trs
from portal.platforms.base import RequestInfo, resolve_detail
from portal.platforms.common import Page, SiteContext, home_page, not_found, site_context
from portal.urls import ATTACHMENT_PATTERNS, column_path, index_of, parse_hanweb_file_key

PLATFORMS: dict[str, ModuleType] = {
    "govcn": govcn,
    "trs": trs,
    "hanweb": hanweb,
    "gkmlpt": gkmlpt,
    "generic": generic,
}
SITEMAP_DOCS_PER_COLUMN = 50


@dataclass(frozen=True, slots=True)
class AttachmentResponse:
    doc: Document
    spec: AttachmentSpec


def route(config: PortalConfig, site_id: str, request: RequestInfo) -> Page | AttachmentResponse:
    ctx = site_context(config, site_id, config.epoch)
    path = request.path
    if path == "/robots.txt":
        return Page(_robots(ctx), content_type="text/plain", encode_as_site=False)
    if path == "/sitemap.xml" and has_sitemap(site_id):
        return Page(_sitemap(ctx), content_type="application/xml", encode_as_site=False)
    if path in ("/", "/index.html", "/index.htm"):
        extra = (
            '<div class="gkml-entry"><a href="/gkmlpt/index">政府信息公开目录</a></div>'
            if ctx.site.platform == "gkmlpt"
            else ""
        )
        return home_page(ctx, extra)
    faults = config.faults_for(site_id)
    if faults is not None:
        target = redirect_target(path, faults.redirect_loops)
        if target is not None:
            return Page("", status=302, headers={"Location": target})
        if faults.trap and path.startswith("/calendar/"):
            calendar = calendar_page(path)
            if calendar is not None:
                return Page(calendar, encode_as_site=False)
    platform = PLATFORMS[ctx.site.platform]
    page = platform.handle(ctx, request)
    if page is not None:
        return page
    doc = resolve_detail(ctx, path)
    if doc is not None:
        if doc.status == "withdrawn" or doc.not_found:
            return not_found()
        return platform.detail_page(ctx, doc)
    attachment = _attachment(ctx, request)
    if attachment is not None:
        return attachment
    return not_found()


def _attachment(ctx: SiteContext, request: RequestInfo) -> AttachmentResponse | None:
    if ctx.site.platform == "hanweb":
        if request.path != "/module/download/downfile.jsp":
            return None
        filename = request.param("filename")
        parsed = parse_hanweb_file_key(ctx.config.seed, filename.rsplit(".", 1)[0])
        if parsed is None:
            return None
        docid, number = parsed
    else:
        match = ATTACHMENT_PATTERNS[ctx.site.platform].match(request.path)
        if not match:
            return None
        docid, number = int(match.group(1)), int(match.group(2))
    index = index_of(ctx.site, docid)
    doc = ctx.summary(index) if index is not None else None
    if doc is None or doc.status == "withdrawn":
        return None
    if number == BODY_IMAGE_NUMBER and doc.body_scan is not None:
        spec = doc.body_scan
    elif 1 <= number <= len(doc.attachments):
        spec = doc.attachments[number - 1]
    else:
        return None
    if ctx.site.platform != "hanweb" and spec.path != request.path:
        return None
    if ctx.site.platform == "hanweb" and not spec.path.split("filename=")[1].startswith(
        request.param("filename")
    ):
        return None
    return AttachmentResponse(doc, spec)


def _robots(ctx: SiteContext) -> str:
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in robots_disallow(ctx.site.id)]
    if not robots_disallow(ctx.site.id):
        lines.append("Disallow:")
    if has_sitemap(ctx.site.id):
        lines.append(f"Sitemap: {ctx.config.base_url(ctx.site.id)}sitemap.xml")
    return "\n".join(lines) + "\n"


def _sitemap(ctx: SiteContext) -> str:
    base = ctx.config.base_url(ctx.site.id).rstrip("/")
    urls = [base + "/"]
    for column in ctx.live_columns():
        urls.append(base + column_path(ctx.site, column))
        if not column.is_leaf:
            continue
        for index in ctx.layout.visible_slice(column.key, ctx.epoch, 0, SITEMAP_DOCS_PER_COLUMN):
            doc = ctx.summary(index)
            if doc is not None and not doc.robots_disallowed:
                urls.append(base + doc.path)
    entries = "".join(f"<url><loc>{escape(url)}</loc></url>" for url in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'


def content_disposition(spec: AttachmentSpec) -> str:
    return f"attachment; filename*=UTF-8''{quote(spec.name)}"


def attachment_store(config: PortalConfig) -> AttachmentStore:
    return AttachmentStore(config.seed, config.oversized_bytes, config.attachment_cache_items)
