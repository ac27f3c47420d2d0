"""Platform detection from the fingerprints real publishing platforms leave in their pages (field notes 2.2):
URL shapes of their links, pager scripts, body containers. A page carries evidence for zero or more platforms;
the platform with the most distinct clues wins, and no clue at all means `generic`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urljoin, urlsplit

from scrapy.http import Response, TextResponse

from crawler.probe.models import Detection, Fingerprint

# (platform, clue, pattern over the page source); order breaks ties: the more specific platform first
FINGERPRINTS: list[tuple[str, str, re.Pattern[str]]] = [
    ("gkmlpt", "link into /gkmlpt/", re.compile(r"""href\s*=\s*["'][^"']*/gkmlpt/""", re.I)),
    (
        "gkmlpt",
        "window._CONFIG with a column TREE",
        re.compile(r"window\._CONFIG\s*=\s*\{.{0,2000}?\"TREE\"", re.S),
    ),
    ("hanweb", "/col/colN/ column links", re.compile(r"/col/col\d+/")),
    (
        "hanweb",
        "/art/Y/M/D/art_C_N.html article links",
        re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html"),
    ),
    ("hanweb", "jpage data proxy", re.compile(r"jpageConfig|/module/web/jpage/dataproxy\.jsp")),
    ("trs", "createPageHTML pager", re.compile(r"\bcreatePage(?:HTML)?\s*\(")),
    ("trs", "TRS_Editor body", re.compile(r"TRS_Editor|trs_editor_view|TRS_PreAppend")),
    ("trs", "./YYYYMM/tYYYYMMDD_N.html article links", re.compile(r"/\d{6}/t\d{8}_\d+\.s?html")),
    ("govcn", "#UCAP-CONTENT body", re.compile(r"UCAP-CONTENT")),
    ("govcn", "table.bd1 metadata", re.compile(r"""class\s*=\s*["']bd1["']""")),
    ("govcn", "content_N.htm article links", re.compile(r"/content_\d+\.htm\b")),
]
PLATFORM_ORDER = ["gkmlpt", "hanweb", "trs", "govcn"]
_DOCUMENT_LINK = re.compile(r"\d{5,}")  # article URLs carry long numbers (ids, dates); column URLs rarely do


def fingerprints(response: Response) -> list[Fingerprint]:
    if not isinstance(response, TextResponse):
        return []
    text = response.text
    return [
        Fingerprint(platform=platform, clue=clue, url=response.url)
        for platform, clue, pattern in FINGERPRINTS
        if pattern.search(text)
    ]


def decide(evidence: Iterable[Fingerprint]) -> str:
    clues: dict[str, set[str]] = {}
    for item in evidence:
        clues.setdefault(item.platform, set()).add(item.clue)
    if not clues:
        return "generic"
    return max(clues, key=lambda name: (len(clues[name]), -PLATFORM_ORDER.index(name)))


def follow_up_links(home: TextResponse, limit: int) -> list[str]:
    """Pages worth a look when the home page shows no fingerprint: a document and a column of the same site."""
    host = urlsplit(home.url).netloc.lower()
    documents: list[str] = []
    columns: list[str] = []
    for href in home.css("a::attr(href)").getall():
        if href.startswith(("javascript:", "#", "mailto:")):
            continue
        url = urljoin(home.url, href.strip())
        parts = urlsplit(url)
        if parts.netloc.lower() != host or parts.path in ("", "/") or url == home.url:
            continue
        bucket = documents if _DOCUMENT_LINK.search(parts.path) else columns
        if url not in bucket:
            bucket.append(url)
    picked: list[str] = []
    for url in [*documents[:1], *columns[:1], *documents[1:2], *columns[1:2]]:
        if len(picked) < limit and url not in picked:
            picked.append(url)
    return picked


def detect_platform(
    home: TextResponse, fetch_page: Callable[[str], Response | None], *, extra_pages: int = 2
) -> Detection:
    """Fingerprints of the home page; when it has none, of up to `extra_pages` pages it links to."""
    evidence = fingerprints(home)
    checked = [home.url]
    if not evidence:
        for url in follow_up_links(home, extra_pages):
            page = fetch_page(url)
            checked.append(url)
            if page is not None:
                evidence.extend(fingerprints(page))
    return Detection(platform=decide(evidence), evidence=evidence, pages_checked=checked)
