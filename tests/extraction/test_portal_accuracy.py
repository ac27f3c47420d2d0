"""Field accuracy of `extract_page` on pages rendered by the simulated portal, against its manifest.

Every site/platform of the portal is covered (gov.cn, TRS in GBK/GB2312, Hanweb, gkmlpt, generic). The
required fields must each be right on at least 98% of the pages; the figures are printed (`pytest -s`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import httpx
import pytest

from crawler.extraction.attachments import extract_attachment_text
from crawler.extraction.encoding import decode_html
from crawler.extraction.page import ExtractedPage, extract_page
from portal.config import PortalConfig
from portal.manifest import ManifestDocument
from portal.server import PortalServer

REQUIRED = ("title", "doc_number", "issuer", "written_date", "published_date", "index_number")
REPORTED = ("topic", "validity", "keywords", "cites")
THRESHOLD = 0.98
DOCS = 300


def _matches(field: str, document: ManifestDocument, page: ExtractedPage) -> bool:
    return getattr(document, field) == getattr(page, field)


@pytest.fixture(scope="module")
def portal() -> Iterator[PortalServer]:
    with PortalServer(PortalConfig(seed=11, docs=DOCS, base_port=0)) as server:
        yield server


@pytest.fixture(scope="module")
def extracted(portal: PortalServer) -> list[tuple[ManifestDocument, ExtractedPage]]:
    pairs: list[tuple[ManifestDocument, ExtractedPage]] = []
    with httpx.Client(timeout=30) as client:
        for document in portal.manifest().documents:
            if document.status == "withdrawn" or document.not_found:
                continue
            response = client.get(document.url)
            assert response.status_code == 200, document.url
            decoded = decode_html(response.content, response.headers.get("content-type"))
            pairs.append((document, extract_page(decoded.text, document.url)))
    return pairs


def test_every_platform_is_covered(extracted: list[tuple[ManifestDocument, ExtractedPage]]) -> None:
    sites = {document.site for document, _ in extracted}
    assert len(sites) == 9
    assert len(extracted) >= DOCS * 0.9


def test_field_accuracy_against_manifest(extracted: list[tuple[ManifestDocument, ExtractedPage]]) -> None:
    right: dict[str, int] = defaultdict(int)
    per_site: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for document, page in extracted:
        if document.body_scan is not None:
            continue  # the page shows a scan: its fields are read by OCR in the crawl (tests/crawler)
        for field in REQUIRED + REPORTED:
            ok = _matches(field, document, page)
            right[field] += ok
            per_site[(document.site, field)][0] += ok
            per_site[(document.site, field)][1] += 1
    total = sum(1 for document, _ in extracted if document.body_scan is None)
    print(f"\nextract_page accuracy on {total} portal pages")
    print("| field | right | accuracy |\n|---|---|---|")
    for field in REQUIRED + REPORTED:
        print(f"| {field} | {right[field]}/{total} | {right[field] / total:.1%} |")
    for field in REQUIRED:
        worst = min((ok / n, site) for (site, f), (ok, n) in per_site.items() if f == field)
        assert right[field] / total >= THRESHOLD, (field, right[field], total, "worst site", worst)


def test_own_number_never_in_cites(extracted: list[tuple[ManifestDocument, ExtractedPage]]) -> None:
    for _document, page in extracted:
        if page.doc_number:
            assert page.doc_number not in page.cites


def test_furniture_never_in_body(extracted: list[tuple[ManifestDocument, ExtractedPage]]) -> None:
    furniture = (
        "点击排行",
        "推荐阅读",
        "网站标识码",
        "ICP备",
        "分享到",
        "当前位置",
        "责任编辑",
        "打印本页",
        "关闭窗口",
    )
    for document, page in extracted:
        if document.body_scan is not None:  # an image body: the image is found instead, nothing else
            assert page.body_images == [document.body_scan.url] and not page.body_text, document.url
            continue
        assert page.body_text, document.url
        assert not page.body_images, document.url
        for marker in furniture:
            assert marker not in page.body_text, (document.url, marker)


def test_attachment_links_match_manifest(extracted: list[tuple[ManifestDocument, ExtractedPage]]) -> None:
    with_files = [(document, page) for document, page in extracted if document.attachments]
    assert with_files
    for document, page in with_files:
        expected = [(attachment.url, attachment.name) for attachment in document.attachments]
        assert [(link.url, link.name) for link in page.attachments] == expected, document.url


def test_attachment_text_of_portal_files(
    portal: PortalServer, extracted: list[tuple[ManifestDocument, ExtractedPage]]
) -> None:
    attachments = [  # scans are read by OCR: tests/extraction/test_ocr.py, tests/portal/test_attachments.py
        a for document, _ in extracted for a in document.attachments if a.kind not in ("oversized", "scan")
    ]
    by_kind: dict[str, int] = defaultdict(int)
    with httpx.Client(timeout=30) as client:
        for attachment in attachments[:40]:
            response = client.get(attachment.url)
            assert response.status_code == 200, attachment.url
            result = extract_attachment_text(
                response.content, filename=attachment.name, declared_type=response.headers.get("content-type")
            )
            by_kind[attachment.kind] += 1
            if attachment.kind == "corrupt":
                assert result.text is None and result.error is not None, attachment.url
                continue
            assert result.media_type == attachment.media_type
            assert result.error is None, (attachment.url, result.error)
            assert attachment.text_contains is not None and attachment.text_contains in (result.text or "")
    assert {"pdf", "docx", "xlsx"} <= set(by_kind)
