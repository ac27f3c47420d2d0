"""End to end against the simulated portal: recall, field accuracy, column trees, unchanged recrawl, and the
second epoch's new / changed / withdrawn documents, all checked against the portal's manifest."""

from __future__ import annotations

import json
import subprocess
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.backends import open_backend
from indexer.catalog import Catalog
from indexer.config import Settings
from indexer.schema import RecordStatus, record_id
from portal.config import PortalConfig
from portal.manifest import PortalManifest
from portal.server import PortalServer
from tests.crawler.harness import (
    FIELDS,
    GONGKAI,
    archived_records,
    archived_response_urls,
    archived_run_reports,
    crawl_env,
    run_crawl,
)

DOCS = 450
MIN_RECALL = 0.99
MIN_FIELD_ACCURACY = 0.98


@pytest.fixture(scope="module")
def portal() -> Iterator[PortalServer]:
    # churn: at epoch 1 one column of jinan-zjj disappears (its documents withdrawn) and one is added
    with PortalServer(PortalConfig(seed=11, docs=DOCS, base_port=0, faults="jinan-zjj:churn=1")) as server:
        yield server


@pytest.fixture(scope="module")
def base_urls(portal: PortalServer) -> dict[str, str]:
    return {site.id: site.base_url for site in portal.sites}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("crawl-data")


@pytest.fixture(scope="module")
def first_crawl(
    portal: PortalServer, base_urls: dict[str, str], data_dir: Path
) -> tuple[subprocess.CompletedProcess[str], PortalManifest]:
    manifest = portal.manifest()
    result = run_crawl(data_dir, base_urls)
    print(result.stdout)
    return result, manifest


def expected_documents(manifest: PortalManifest) -> list:  # type: ignore[type-arg]
    return [
        d
        for d in manifest.documents
        if not d.robots_disallowed and not d.not_found and d.status != "withdrawn"
    ]


def test_first_crawl_succeeds_for_every_site(
    first_crawl: tuple[subprocess.CompletedProcess[str], PortalManifest],
) -> None:
    result, _ = first_crawl
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert result.stdout.count(": OK in") == 9


def test_recall_and_field_accuracy_per_site(
    first_crawl: tuple[subprocess.CompletedProcess[str], PortalManifest], data_dir: Path
) -> None:
    _, manifest = first_crawl
    records = archived_records(data_dir)
    expected: Counter[str] = Counter()
    found: Counter[str] = Counter()
    correct: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in expected_documents(manifest):
        expected[doc.site] += 1
        record = records.get(doc.url)
        if record is None:
            continue
        found[doc.site] += 1
        for field in FIELDS:
            correct[doc.site][field] += getattr(record, field) == getattr(doc, field)
    print("\nsite          recall  " + "  ".join(f"{f[:12]:>12}" for f in FIELDS))
    for site in sorted(expected):
        shares = [correct[site][f] / max(found[site], 1) for f in FIELDS]
        print(f"{site:13} {found[site] / expected[site]:6.1%}  " + "  ".join(f"{s:12.1%}" for s in shares))
    for site in expected:
        assert found[site] / expected[site] >= MIN_RECALL, site
        for field in FIELDS:
            assert correct[site][field] / found[site] >= MIN_FIELD_ACCURACY, (site, field)
    disallowed = [d.url for d in manifest.documents if d.robots_disallowed]
    assert disallowed, "the portal should have robots-disallowed documents"
    assert not any(url in records for url in disallowed), "robots.txt was not obeyed"


def test_every_column_found_with_item_counts(
    first_crawl: tuple[subprocess.CompletedProcess[str], PortalManifest], data_dir: Path
) -> None:
    _, manifest = first_crawl
    with Catalog(data_dir / "catalog.sqlite3") as catalog:
        seen = {(c.site, tuple(c.path)): c for c in catalog.columns()}
    wanted = {(c.site, tuple(c.path)): c for c in manifest.columns}
    assert set(seen) == set(wanted)
    for key, column in wanted.items():
        assert seen[key].item_count == column.item_count, key
        assert seen[key].newest_item_date == column.newest_item_date, key
    blank = sum(1 for c in manifest.columns if c.leaf and c.item_count == 0)
    reports = {r["site"]: r for r in archived_run_reports(data_dir)}
    assert sum(int(r["columns_blank"]) for r in reports.values()) == blank  # type: ignore[call-overload]


def test_index_catalogue_and_archive_agree(
    first_crawl: tuple[subprocess.CompletedProcess[str], PortalManifest], data_dir: Path
) -> None:
    _, manifest = first_crawl
    with Catalog(data_dir / "catalog.sqlite3") as catalog:
        catalogued = catalog.record_count()
        runs = catalog.latest_runs()
    backend = open_backend(Settings(data_dir=data_dir))
    try:
        assert backend.stats().total == catalogued
    finally:
        backend.close()
    assert catalogued == len(expected_documents(manifest))
    assert all(run.ok for run in runs) and len(runs) == 9
    verify = subprocess.run(
        [str(GONGKAI), "archive", "verify", "--data-dir", str(data_dir), "--strict"],
        capture_output=True,
        text=True,
        env=crawl_env(),
        check=False,
    )
    assert verify.returncode == 0, verify.stdout
    assert " 0 bad digests" in verify.stdout
    urls = archived_response_urls(data_dir)
    assert sum(url.endswith("/robots.txt") for url in urls) == 9
    assert any("/gkmlpt/api/all/" in url for url in urls)  # JSON list API replies
    assert any("dataproxy.jsp" in url for url in urls)  # Hanweb XML list replies
    assert any(url.endswith((".pdf", ".docx", ".xlsx")) for url in urls)  # attachments


@pytest.fixture(scope="module")
def unchanged_recrawl(
    first_crawl: object, base_urls: dict[str, str], data_dir: Path
) -> list[dict[str, object]]:
    before = len(archived_run_reports(data_dir))
    result = run_crawl(data_dir, base_urls)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    return archived_run_reports(data_dir)[before:]


def test_unchanged_recrawl_fetches_no_detail_pages(
    unchanged_recrawl: list[dict[str, object]], data_dir: Path
) -> None:
    first = archived_run_reports(data_dir)[:9]
    first_requests = sum(int(r["requests"]) for r in first)  # type: ignore[call-overload]
    again_requests = sum(int(r["requests"]) for r in unchanged_recrawl)  # type: ignore[call-overload]
    details = sum(int(r["detail_pages"]) for r in unchanged_recrawl)  # type: ignore[call-overload]
    lists = sum(int(r["list_pages"]) for r in unchanged_recrawl)  # type: ignore[call-overload]
    print(
        f"\nunchanged recrawl: {again_requests} requests ({again_requests / first_requests:.1%} of the first),"
        f" {lists} list pages, {details} detail pages"
    )
    assert details == 0
    assert all(r["records"]["new"] == 0 and r["records"]["changed"] == 0 for r in unchanged_recrawl)  # type: ignore[index]
    assert again_requests <= lists + 3 * 9 + 0.05 * first_requests  # robots.txt, tree pages, a little slack


@pytest.fixture(scope="module")
def epoch1_crawl(
    unchanged_recrawl: object, portal: PortalServer, base_urls: dict[str, str], data_dir: Path
) -> PortalManifest:
    portal.set_epoch(1)
    result = run_crawl(data_dir, base_urls)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    return portal.manifest()


def test_second_epoch_new_changed_withdrawn_as_manifest_says(
    epoch1_crawl: PortalManifest, data_dir: Path
) -> None:
    manifest = epoch1_crawl
    outcome: Counter[tuple[str, str | None, bool]] = Counter()
    with Catalog(data_dir / "catalog.sqlite3") as catalog:
        for doc in manifest.documents:
            if doc.robots_disallowed or doc.not_found:
                continue
            state = catalog.get_state(record_id(doc.url))
            got = state.status.value if state else None
            outcome[(doc.status, got, state is not None and state.version == doc.version)] += 1
            if state is None:
                continue
            if doc.status == "changed":
                versions = catalog.versions(state.id)
                assert [v.version for v in versions] == [1, 2], doc.url
                assert all(v.warc is not None for v in versions), "every version keeps its archived copy"
                assert state.first_seen_at < state.last_seen_at
            if doc.status == "withdrawn":
                assert state.withdrawn_at is not None
        by_status = Counter(
            doc.status for doc in manifest.documents if not doc.robots_disallowed and not doc.not_found
        )
    print("\n(manifest status, catalogue status, version matches):", dict(outcome))
    assert by_status["changed"] and by_status["withdrawn"]
    mismatches = {key: n for key, n in outcome.items() if key[0] != key[1] or not key[2]}
    assert not mismatches


def test_second_epoch_archive_and_index_hold_every_version(
    epoch1_crawl: PortalManifest, data_dir: Path
) -> None:
    records = archived_records(data_dir)
    backend = open_backend(Settings(data_dir=data_dir))
    try:
        stats = backend.stats()
    finally:
        backend.close()
    with Catalog(data_dir / "catalog.sqlite3") as catalog:
        assert stats.total == catalog.record_count()
    withdrawn = [d for d in epoch1_crawl.documents if d.status == "withdrawn" and not d.robots_disallowed]
    assert all(records[d.url].status is RecordStatus.withdrawn for d in withdrawn)
    changed = [d for d in epoch1_crawl.documents if d.status == "changed" and not d.robots_disallowed]
    assert all(records[d.url].title == d.title and records[d.url].version == 2 for d in changed)
    last_runs = archived_run_reports(data_dir)[-9:]
    summary = {r["site"]: r["records"] for r in last_runs}
    print(json.dumps(summary, ensure_ascii=False))


def test_second_epoch_column_tree_follows_churn(epoch1_crawl: PortalManifest, data_dir: Path) -> None:
    with Catalog(data_dir / "catalog.sqlite3") as catalog:
        seen = {(c.site, tuple(c.path)): c.item_count for c in catalog.columns()}
    wanted = {(c.site, tuple(c.path)): c.item_count for c in epoch1_crawl.columns}
    assert seen == wanted
    assert ("jinan-zjj", ("优化营商环境",)) in seen and ("jinan-zjj", ("政府信息公开指南",)) not in seen
