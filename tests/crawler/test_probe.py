"""`gongkai site probe` against the simulated portal's five platform styles: the detected platform, the column
tree with item counts and audit statuses (checked against the portal manifest), the sample documents, clear
errors, and a written site file that crawls."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.probe import ProbeError, ProbeOptions, ProbeReport, probe_site
from crawler.probe.render import render_report
from crawler.probe.sitefile import write_site_file
from crawler.sites import load_site_dir
from portal.config import PortalConfig
from portal.manifest import PortalManifest
from portal.server import PortalServer
from tests.crawler.harness import GONGKAI, REPO, archived_records, crawl_env, run_crawl

DOCS = 400
# one site per style of the portal (its second site of a style differs only in faults and counts)
STYLE_SITES = ["jinan-gov", "jinan-jyj", "jinan-sthjj", "jinan-czj", "jinan-scjgj"]


@pytest.fixture(scope="module")
def portal() -> Iterator[PortalServer]:
    with PortalServer(PortalConfig(seed=23, docs=DOCS, base_port=0)) as server:
        yield server


@pytest.fixture(scope="module")
def manifest(portal: PortalServer) -> PortalManifest:
    return portal.manifest()


@pytest.fixture(scope="module")
def reports(portal: PortalServer, manifest: PortalManifest) -> dict[str, ProbeReport]:
    return {
        site.id: probe_site(
            ProbeOptions(url=site.base_url, budget=1000, delay=0, site_id=site.id, as_of=manifest.today)
        )
        for site in portal.sites
    }


@pytest.mark.parametrize("site_id", [*STYLE_SITES, "jinan-fgw", "jinan-wjw", "jinan-zjj", "jinan-yjj"])
def test_platform_detected_from_fingerprints(
    site_id: str, reports: dict[str, ProbeReport], manifest: PortalManifest
) -> None:
    expected = next(s.platform for s in manifest.sites if s.id == site_id)
    detection = reports[site_id].detection
    assert detection.platform == expected, detection
    if expected != "generic":
        assert detection.evidence, "a known platform is named by its fingerprints"


def test_tree_counts_and_statuses_match_the_manifest(
    reports: dict[str, ProbeReport], manifest: PortalManifest
) -> None:
    for site in manifest.sites:
        report = reports[site.id]
        assert not report.budget_exhausted
        expected = {tuple(c.path): c for c in manifest.columns if c.site == site.id}
        probed = {tuple(c.path): c for c in report.columns}
        assert set(probed) == set(expected), site.id
        for path, column in expected.items():
            found = probed[path]
            assert found.count_exact, (site.id, path)
            assert (found.item_count, found.is_leaf) == (column.item_count, column.leaf), (site.id, path)
            assert found.newest_item_date == column.newest_item_date, (site.id, path)
            assert found.status == column.expected_status, (site.id, path, found.reason)
            assert found.kind == column.kind, (site.id, path, found.kind_rule)


def test_printed_tree_shows_each_column_kind_and_its_rule(reports: dict[str, ProbeReport]) -> None:
    lines = render_report(reports["jinan-gov"]).splitlines()
    interpretation = next(line for line in lines if line.lstrip().startswith("政策解读"))
    assert interpretation.endswith("other  (rule interpretation: ‘解读’ in the name 政策解读 → other)")
    notices = next(line for line in lines if line.lstrip().startswith("通知公告"))
    assert notices.endswith(
        "notice_policy  (rule notice_policy: ‘通知公告’ in the name 通知公告 → notice_policy)"
    )


def test_statuses_include_blank_and_stale_columns(reports: dict[str, ProbeReport]) -> None:
    statuses = {c.status for report in reports.values() for c in report.columns}
    assert {"ok", "blank", "stale"} <= statuses


def test_one_sample_document_per_column_with_extracted_fields(
    reports: dict[str, ProbeReport], manifest: PortalManifest
) -> None:
    documents = {d.url: d for d in manifest.documents}
    for report in reports.values():
        for column in report.columns:
            if not column.is_leaf or column.item_count == 0:
                assert column.sample is None
                continue
            sample = column.sample
            assert sample is not None and sample.error is None, (report.site["id"], column.path)
            truth = documents[sample.url]
            assert truth.column_path == column.path
            assert sample.fields["title"] == truth.title
            assert sample.fields.get("doc_number") == truth.doc_number
            assert sample.fields.get("published_date") == truth.published_date.isoformat()


def test_small_budget_gives_lower_bounds_not_blanks(portal: PortalServer) -> None:
    report = probe_site(ProbeOptions(url=portal.base_url("jinan-jyj"), budget=8, delay=0))
    assert report.budget_exhausted and report.requests_used == 8
    unread = [c for c in report.columns if not c.count_exact]
    assert unread
    assert all(c.status != "blank" for c in unread if c.item_count == 0)


def test_clear_errors(portal: PortalServer, tmp_path: Path) -> None:
    with pytest.raises(ProbeError, match="cannot reach"):
        probe_site(ProbeOptions(url="http://127.0.0.1:9/", budget=5, delay=0, timeout=2))
    with pytest.raises(ProbeError, match="not an HTML page"):
        probe_site(ProbeOptions(url=portal.base_url("jinan-gov") + "robots.txt", budget=5, delay=0))
    result = subprocess.run(
        [str(GONGKAI), "site", "probe", "ftp://example.org/", "--quiet"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=crawl_env(),
        check=False,
    )
    assert result.returncode == 1 and "not an absolute http(s) URL" in result.stderr


def test_cli_json_and_progress(portal: PortalServer, manifest: PortalManifest, tmp_path: Path) -> None:
    target = tmp_path / "sites" / "probed-gkmlpt.yml"
    result = subprocess.run(
        [
            str(GONGKAI),
            "site",
            "probe",
            portal.base_url("jinan-yjj"),
            "--json",
            "--delay",
            "0",
            "--budget",
            "500",
            "--as-of",
            manifest.today.isoformat(),
            "--write",
            str(target),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=crawl_env(),
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = ProbeReport.model_validate_json(result.stdout)
    assert report.detection.platform == "gkmlpt"
    assert "GET " in result.stderr and f"[{report.requests_used}/500]" in result.stderr
    (site,) = load_site_dir(target.parent)
    assert (site.id, site.platform, site.base_url) == (
        "probed-gkmlpt",
        "gkmlpt",
        portal.base_url("jinan-yjj"),
    )


def test_written_site_files_crawl(
    reports: dict[str, ProbeReport], manifest: PortalManifest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sites_dir = tmp_path / "sites"
    for site_id in STYLE_SITES:
        written = write_site_file(reports[site_id], sites_dir / f"probed-{site_id}.yml")
        assert written.platform == reports[site_id].detection.platform
    monkeypatch.setenv("GONGKAI_SITES_DIR", str(sites_dir))
    data_dir = tmp_path / "data"
    result = run_crawl(data_dir, {}, index=False, timeout=400)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert result.stdout.count(": OK in") == len(STYLE_SITES)
    records = archived_records(data_dir)
    for site_id in STYLE_SITES:
        expected = {
            d.url
            for d in manifest.documents
            if d.site == site_id and not d.robots_disallowed and not d.not_found and d.status != "withdrawn"
        }
        found = {url for url, r in records.items() if r.site == f"probed-{site_id}"}
        assert len(found & expected) >= 0.99 * len(expected), site_id
