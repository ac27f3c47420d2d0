"""Code plugins: the example package in examples/ is installed (into a folder put on the path, as a fresh
machine would) and registers its adapter and site through entry points; the crawler then harvests a portal
site with it, and `site probe --platform` uses it, without any edit of crawler/adapters/."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.adapters import BUILTIN_ADAPTERS, adapter_class, platform_names
from crawler.adapters.base import PlatformAdapter
from crawler.probe import ProbeOptions, probe_site
from crawler.sites import SiteConfig, discover_sites
from portal.config import PortalConfig
from portal.server import PortalServer
from tests.crawler.harness import REPO, archived_records, crawl_env, run_crawl

PLUGIN = REPO / "examples" / "gongkai-example-plugin"
PORTAL_SITE = "jinan-scjgj"


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    target = tmp_path_factory.mktemp("plugin-site-packages")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(PLUGIN),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(target))
    try:
        yield target
    finally:
        sys.path.remove(str(target))
        for name in [m for m in sys.modules if m.startswith("gongkai_example_plugin")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def portal() -> Iterator[PortalServer]:
    with PortalServer(PortalConfig(seed=5, docs=300, base_port=0)) as server:
        yield server


def test_entry_points_register_the_plugin_adapter_and_site(plugin_path: Path) -> None:
    assert "example-newslist" in platform_names()
    adapter = adapter_class("example-newslist")
    assert issubclass(adapter, PlatformAdapter) and adapter.__module__.startswith("gongkai_example_plugin")
    assert not adapter.__module__.startswith("crawler.")
    sites = discover_sites()
    assert sites["example-scjgj"].platform == "example-newslist"
    assert set(BUILTIN_ADAPTERS) <= set(platform_names())


def test_unknown_platform_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown platform 'no-such-cms'; known: govcn"):
        SiteConfig(id="x", name="x", department="x", platform="no-such-cms", base_url="http://example.org/")


def test_probe_with_a_plugin_platform(plugin_path: Path, portal: PortalServer) -> None:
    manifest = portal.manifest()
    report = probe_site(
        ProbeOptions(
            url=portal.base_url(PORTAL_SITE),
            budget=400,
            delay=0,
            platform="example-newslist",
            as_of=manifest.today,
        )
    )
    expected = {tuple(c.path): c.item_count for c in manifest.columns if c.site == PORTAL_SITE}
    assert {tuple(c.path): c.item_count for c in report.columns} == expected


def test_crawl_a_portal_site_with_the_plugin(
    plugin_path: Path, portal: PortalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO), str(plugin_path)]))
    original_env = crawl_env

    def env_with_plugin() -> dict[str, str]:
        env = original_env()
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(plugin_path)])
        return env

    monkeypatch.setattr("tests.crawler.harness.crawl_env", env_with_plugin)
    data_dir = tmp_path / "data"
    result = run_crawl(
        data_dir, {"example-scjgj": portal.base_url(PORTAL_SITE)}, sites=["example-scjgj"], index=False
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert ": OK in" in result.stdout
    expected = {
        d.url: d
        for d in portal.manifest().documents
        if d.site == PORTAL_SITE and not d.robots_disallowed and not d.not_found
    }
    records = archived_records(data_dir)
    assert set(records) == set(expected)
    assert all(r.site == "example-scjgj" for r in records.values())
    titles = sum(records[url].title == doc.title for url, doc in expected.items())
    assert titles >= 0.98 * len(expected)
