"""What a platform renderer receives, and helpers to find the document behind a detail URL."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.corpus import Document
from portal.platforms.common import SiteContext
from portal.urls import DETAIL_PATTERNS, index_of


@dataclass(slots=True)
class RequestInfo:
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)

    def param(self, name: str, default: str = "") -> str:
        return self.form.get(name) or self.query.get(name) or default


def int_param(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def resolve_detail(ctx: SiteContext, path: str) -> Document | None:
    """The document whose canonical detail path is `path`, whatever its status (caller decides)."""
    match = DETAIL_PATTERNS[ctx.site.platform].match(path)
    if not match:
        return None
    index = index_of(ctx.site, int(match.group(1)))
    if index is None:
        return None
    meta = ctx.summary(index)
    if meta is None or meta.path != path:
        return None
    return ctx.doc(index)


def list_pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))
