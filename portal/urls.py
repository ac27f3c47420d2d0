"""URL shapes of each platform: building and parsing site-relative paths."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from urllib.parse import quote

from portal.columns import ColumnDef
from portal.sites import SiteSpec

DOCID_SPACE = 10**7
PRIVATE_PREFIX = "/private"


def docid_of(site: SiteSpec, index: int) -> int:
    return site.number * DOCID_SPACE + index + 1


def index_of(site: SiteSpec, docid: int) -> int | None:
    index = docid - site.number * DOCID_SPACE - 1
    return index if 0 <= index < DOCID_SPACE - 1 else None


def column_path(site: SiteSpec, column: ColumnDef, page: int = 0) -> str:
    """Site-relative URL of a column's list page (page 0 = first)."""
    if site.platform == "govcn":
        return f"/zwgk/{column.slug}/index{'' if page == 0 else f'_{page}'}.htm"
    if site.platform == "trs":
        return f"/xxgk/{column.slug}/index{'' if page == 0 else f'_{page}'}.html"
    if site.platform == "hanweb":
        return f"/col/col{column.number}/index.html"
    if site.platform == "gkmlpt":
        return f"/gkmlpt/index#{column.number}"
    return f"/{column.slug}/list{'' if page == 0 else f'_{page + 1}'}.html"


def detail_path(site: SiteSpec, column: ColumnDef, docid: int, published: date, private: bool) -> str:
    ym = f"{published.year}{published.month:02d}"
    if site.platform == "govcn":
        path = f"/zwgk/{column.slug}/{ym}/content_{docid}.htm"
        return PRIVATE_PREFIX + path if private else path
    if site.platform == "trs":
        return f"/xxgk/{column.slug}/{ym}/t{published:%Y%m%d}_{docid}.html"
    if site.platform == "hanweb":
        return f"/art/{published.year}/{published.month}/{published.day}/art_{column.number}_{docid}.html"
    if site.platform == "gkmlpt":
        return f"/gkmlpt/content/0/{docid // 1000}/post_{docid}.html"
    return f"/{column.slug}/{published:%Y/%m%d}/{docid}.html"


def attachment_path(
    site: SiteSpec,
    seed: int,
    column: ColumnDef,
    docid: int,
    published: date,
    number: int,
    ext: str,
    name: str,
) -> str:
    if site.platform == "govcn":
        return f"/zwgk/{column.slug}/{published:%Y%m}/files/W0{published:%Y%m%d}{docid}{number:02d}.{ext}"
    if site.platform == "trs":
        return f"/xxgk/{column.slug}/{published:%Y%m}/P0{published:%Y%m%d}{docid}{number:02d}.{ext}"
    if site.platform == "hanweb":
        return (
            f"/module/download/downfile.jsp?classid=0&filename={hanweb_file_key(seed, docid, number)}.{ext}"
            f"&showname={quote(name)}"
        )
    if site.platform == "gkmlpt":
        return f"/attachment/0/{docid // 1000}/{docid}/{docid}{number:02d}.{ext}"
    return f"/uploads/{published:%Y}/{docid}_{number}.{ext}"


def hanweb_file_key(seed: int, docid: int, number: int) -> str:
    """32 hex digits: docid and attachment number, then a seeded check so keys look random."""
    head = f"{docid:010x}{number:02x}"
    check = hashlib.md5(f"{seed}:{head}".encode()).hexdigest()[:20]
    return head + check


def parse_hanweb_file_key(seed: int, key: str) -> tuple[int, int] | None:
    if not re.fullmatch(r"[0-9a-f]{32}", key):
        return None
    docid, number = int(key[:10], 16), int(key[10:12], 16)
    return (docid, number) if hanweb_file_key(seed, docid, number) == key else None


# Patterns that find the docid (and attachment number) in a request path.
DETAIL_PATTERNS: dict[str, re.Pattern[str]] = {
    "govcn": re.compile(r"^(?:/private)?/zwgk/[a-z/]+/\d{6}/content_(\d+)\.htm$"),
    "trs": re.compile(r"^/xxgk/[a-z/]+/\d{6}/t\d{8}_(\d+)\.html$"),
    "hanweb": re.compile(r"^/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_(\d+)\.html$"),
    "gkmlpt": re.compile(r"^/gkmlpt/content/0/\d+/post_(\d+)\.html$"),
    "generic": re.compile(r"^/[a-z/]+/\d{4}/\d{4}/(\d+)\.html$"),
}
ATTACHMENT_PATTERNS: dict[str, re.Pattern[str]] = {
    "govcn": re.compile(r"^/zwgk/[a-z/]+/\d{6}/files/W0\d{8}(\d+)(\d\d)\.\w+$"),
    "trs": re.compile(r"^/xxgk/[a-z/]+/\d{6}/P0\d{8}(\d+)(\d\d)\.\w+$"),
    "gkmlpt": re.compile(r"^/attachment/0/\d+/(\d+)/\d+(\d\d)\.\w+$"),
    "generic": re.compile(r"^/uploads/\d{4}/(\d+)_(\d+)\.\w+$"),
}
