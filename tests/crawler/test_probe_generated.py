"""`gongkai site probe` on randomised department sites (portal.generated): whatever the platform fingerprints say
(a TRS pager or URL shape on an unknown template), the probe ends on an adapter that reads the site, and the
tree it prints (paths, counts, newest dates, audit statuses) is the manifest's; `--write` gives a site file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from crawler.probe import ProbeOptions, ProbeReport, probe_site
from crawler.probe.render import render_report
from crawler.probe.sitefile import write_site_file
from crawler.sites import load_site_dir
from portal.generated.manifest import GeneratedManifest
from portal.generated.server import GeneratedPortal
from portal.generated.site import generate_site
from tests.crawler.generality import chosen_seed

SITES = 8


@pytest.fixture(scope="module")
def probed() -> Iterator[tuple[GeneratedManifest, dict[str, ProbeReport]]]:
    seed = chosen_seed()
    print(f"generated sites seed {seed} (GONGKAI_GENERALITY_SEED={seed} replays it)")
    with GeneratedPortal(seed, [*range(1, SITES), _fingerprinted(seed)]) as portal:
        manifest = portal.manifest()
        reports = {
            site.id: probe_site(
                ProbeOptions(url=site.base_url, budget=600, delay=0, site_id=site.id, as_of=manifest.today)
            )
            for site in manifest.sites
        }
        yield manifest, reports


def _fingerprinted(seed: int) -> int:
    """A site whose home page links its newest documents at TRS-shaped URLs (/202611/t20261120_1.html)."""
    return next(
        n
        for n in range(SITES, SITES + 400)
        if (style := generate_site(seed, n, date.today()).style).home_latest
        and style.detail_url_kind == "ym_id"
    )


def test_probe_prints_the_manifest_tree_of_every_generated_site(
    probed: tuple[GeneratedManifest, dict[str, ProbeReport]],
) -> None:
    manifest, reports = probed
    for site in manifest.sites:
        report = reports[site.id]
        style = manifest.styles[site.id]
        assert report.detection.platform == "generic", (site.id, report.detection)
        assert not report.budget_exhausted, site.id
        expected = {tuple(c.path): c for c in manifest.columns if c.site == site.id}
        probed_columns = {tuple(c.path): c for c in report.columns}
        assert set(probed_columns) == set(expected), (site.id, style, render_report(report))
        for path, column in expected.items():
            found = probed_columns[path]
            assert (found.item_count, found.newest_item_date) == (
                column.item_count,
                column.newest_item_date,
            ), (
                site.id,
                path,
            )
            assert found.status == column.expected_status, (site.id, path, found.reason)
        sampled = [c.sample for c in report.columns if c.sample is not None]
        assert sampled and all(s.error is None and s.fields.get("title") for s in sampled), site.id


def test_fingerprints_of_a_known_platform_on_an_unknown_template_fall_back_to_generic(
    probed: tuple[GeneratedManifest, dict[str, ProbeReport]],
) -> None:
    manifest, reports = probed
    fingerprinted = reports[manifest.sites[-1].id]
    assert fingerprinted.detection.fallback_from == "trs", fingerprinted.detection
    for report in (r for r in reports.values() if r.detection.fallback_from):
        assert report.detection.evidence  # it did see the other platform's clues
        assert "so generic read the site" in render_report(report)


def test_written_site_file_loads_as_generic(
    probed: tuple[GeneratedManifest, dict[str, ProbeReport]], tmp_path: Path
) -> None:
    manifest, reports = probed
    site = manifest.sites[0]
    path = write_site_file(reports[site.id], tmp_path / f"{site.id}.yml")
    loaded = load_site_dir(tmp_path)
    assert [(s.id, s.platform, s.base_url) for s in loaded] == [(site.id, "generic", site.base_url)], path
