"""Scanned documents end to end: crawl portal sites serving scans (image-only PDF, images, OFD, image bodies
whose 文号 is printed nowhere else), then find them through the API by a word and by a number that only the
scans hold, and filter by `ocr`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from indexer.backends import open_backend
from indexer.catalog import Catalog
from indexer.config import Settings
from indexer.schema import DisclosureRecord, text_from_ocr
from portal.config import PortalConfig
from portal.manifest import ManifestDocument, PortalManifest
from portal.server import PortalServer
from search_api.app import create_app
from tests.crawler.harness import archived_records, archived_run_reports, run_crawl

SITES = ("jinan-gov", "jinan-sthjj", "jinan-czj")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, PortalManifest]]:
    data_dir = tmp_path_factory.mktemp("scans")
    with PortalServer(PortalConfig(seed=7, docs=60, base_port=0)) as portal:
        manifest = portal.manifest()
        base_urls = {site.id: site.base_url for site in portal.sites if site.id in SITES}
        result = run_crawl(data_dir, base_urls, sites=SITES, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
    yield data_dir, manifest


def _live(manifest: PortalManifest) -> list[ManifestDocument]:
    return [
        d
        for d in manifest.documents
        if d.site in SITES and not d.robots_disallowed and not d.not_found and d.status != "withdrawn"
    ]


def _compact(text: str | None) -> str:
    return "".join((text or "").split())


def test_image_bodies_are_read_with_their_number_and_date(crawled: tuple[Path, PortalManifest]) -> None:
    data_dir, manifest = crawled
    records = archived_records(data_dir)
    scanned = [d for d in _live(manifest) if d.body_scan is not None]
    assert scanned, "the portal has image-body documents on these sites"
    for document in scanned:
        record = records[document.url]
        assert record.body_ocr_images == 1 and text_from_ocr(record)
        assert document.doc_number_raw is None  # the page prints no number: only the scan has it
        assert record.doc_number == document.doc_number, _compact(record.body_text)
        if document.written_date is not None:
            assert record.written_date == document.written_date
        assert document.body_scan is not None and document.body_scan.text_contains
        if document.body_scan.scan_variant == "clean":
            assert document.body_scan.text_contains in _compact(record.body_text)


def test_scanned_attachments_are_ocrd_and_ofd_read(crawled: tuple[Path, PortalManifest]) -> None:
    data_dir, manifest = crawled
    records = archived_records(data_dir)
    kinds: set[str] = set()
    for document in _live(manifest):
        record = records[document.url]
        for expected, attachment in zip(document.attachments, record.attachments, strict=True):
            if expected.kind not in ("scan", "ofd"):
                assert not attachment.ocr
                continue
            kinds.add(expected.kind)
            assert attachment.error is None, attachment.error
            assert attachment.ocr == (expected.kind == "scan")
            if attachment.ocr:
                assert attachment.ocr_engine == "rapidocr" and attachment.ocr_pages == 1
                assert attachment.ocr_confidence is not None and attachment.ocr_confidence > 0.5
            if expected.scan_variant in (None, "clean"):
                assert expected.text_contains and expected.text_contains in _compact(attachment.text)
    assert kinds == {"scan", "ofd"}
    reports = archived_run_reports(data_dir)
    assert sum(int(report["ocr_pages"]) for report in reports) >= 2  # type: ignore[call-overload]
    assert sum(float(report["ocr_seconds"]) for report in reports) > 0  # type: ignore[arg-type]
    assert any((data_dir / "ocr-cache").rglob("*.json"))


@pytest.fixture(scope="module")
def api(crawled: tuple[Path, PortalManifest]) -> Iterator[TestClient]:
    data_dir, _ = crawled
    settings = Settings(data_dir=data_dir, backend="embedded")
    backend = open_backend(settings)
    catalog = Catalog(settings.catalog_path)
    with TestClient(create_app(settings, backend=backend, catalog=catalog)) as client:
        yield client
    backend.close()
    catalog.close()


def _ids(response: dict[str, object]) -> set[str]:
    return {hit["record"]["id"] for hit in response["results"]}  # type: ignore[index, union-attr]


def test_search_finds_a_word_only_in_a_scan(crawled: tuple[Path, PortalManifest], api: TestClient) -> None:
    data_dir, manifest = crawled
    records = archived_records(data_dir)
    clean = [
        (document, attachment)
        for document in _live(manifest)
        for attachment in [*document.attachments, *([document.body_scan] if document.body_scan else [])]
        if attachment.kind == "scan" and attachment.scan_variant == "clean" and attachment.text_contains
    ]
    assert clean
    for document, attachment in clean:
        word = attachment.text_contains
        assert word
        found = api.get("/search", params={"q": word}).json()
        assert records[document.url].id in _ids(found), word
        snippets = " ".join(" ".join(hit["snippets"]) for hit in found["results"])
        assert "<mark>" in snippets


def test_the_ocr_filter(crawled: tuple[Path, PortalManifest], api: TestClient) -> None:
    data_dir, _ = crawled
    records: list[DisclosureRecord] = [
        r for r in archived_records(data_dir).values() if r.status.value != "withdrawn"
    ]
    with_ocr = {r.id for r in records if text_from_ocr(r)}
    assert with_ocr
    found = api.get("/search", params={"ocr": "true", "size": 100}).json()
    assert _ids(found) == with_ocr and found["total"] == len(with_ocr)
    without = api.get("/search", params={"ocr": "false", "size": 100}).json()
    assert not _ids(without) & with_ocr and without["total"] == len(records) - len(with_ocr)
    page = api.get("/", params={"ocr": "true"})
    assert page.status_code == 200 and page.text.count('class="ocr"') >= len(with_ocr)


def test_doc_numbers_finds_a_number_only_in_a_scan(
    crawled: tuple[Path, PortalManifest], api: TestClient
) -> None:
    data_dir, manifest = crawled
    records = archived_records(data_dir)
    scanned = [d for d in _live(manifest) if d.body_scan is not None and d.doc_number]
    assert scanned
    for document in scanned:
        assert document.doc_number
        report = api.get(f"/doc-numbers/{quote(document.doc_number)}", params={"series": "false"}).json()
        assert records[document.url].id in {record["id"] for record in report["held"]}, document.doc_number
