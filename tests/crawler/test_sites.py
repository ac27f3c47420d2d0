"""Site plugins: YAML files in a folder, entry points of installed distributions, and validation errors."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest

from crawler.sites import (
    ENTRY_POINT_GROUP,
    PROJECT_SITES_DIR,
    SiteConfig,
    SiteConfigError,
    discover_sites,
    load_site_dir,
)

PORTAL_SITES = {
    "jinan-gov": "govcn",
    "jinan-fgw": "govcn",
    "jinan-jyj": "trs",
    "jinan-wjw": "trs",
    "jinan-sthjj": "hanweb",
    "jinan-zjj": "hanweb",
    "jinan-czj": "gkmlpt",
    "jinan-yjj": "gkmlpt",
    "jinan-scjgj": "generic",
}

SITE_YAML = """\
id: {id}
name: 测试站点
department: 测试部门
platform: govcn
base_url: http://127.0.0.1:19999
"""


def test_project_ships_one_yaml_per_portal_site() -> None:
    sites = {s.id: s.platform for s in load_site_dir(PROJECT_SITES_DIR)}
    assert sites == PORTAL_SITES


def test_site_config_defaults_and_helpers(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        SITE_YAML.format(id="demo")
        + "skip_columns: [依申请公开, 重大决策/征集意见]\ncategory_map: {要闻: 新闻}\n",
        encoding="utf-8",
    )
    (site,) = load_site_dir(tmp_path)
    assert site.base_url == "http://127.0.0.1:19999/"
    assert site.netloc == "127.0.0.1:19999"
    assert site.skips(["依申请公开"]) and site.skips(["重大决策", "征集意见"])
    assert not site.skips(["重大决策", "专家论证"])
    assert site.category_for(["要闻"]) == "新闻"
    assert site.category_for(["重点领域信息公开专栏", "征地拆迁"]) == "重点领域信息公开专栏"
    assert site.with_base_url("http://127.0.0.1:5/").netloc == "127.0.0.1:5"


def test_bad_site_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("id: x\nplatform: wordpress\n", encoding="utf-8")
    with pytest.raises(SiteConfigError, match=r"bad\.yaml"):
        load_site_dir(tmp_path)


def test_duplicate_site_ids_are_rejected(tmp_path: Path) -> None:
    for name in ("one.yaml", "two.yaml"):
        (tmp_path / name).write_text(SITE_YAML.format(id="same"), encoding="utf-8")
    with pytest.raises(SiteConfigError, match="defined twice"):
        discover_sites(tmp_path, entry_points=False)


def test_sites_dir_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "x.yaml").write_text(SITE_YAML.format(id="only-here"), encoding="utf-8")
    monkeypatch.setenv("GONGKAI_SITES_DIR", str(tmp_path))
    assert list(discover_sites(entry_points=False)) == ["only-here"]


@pytest.fixture
def province_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny installed distribution (dist-info on sys.path) adding sites through `gongkai.sites`."""
    root = tmp_path / "site-packages"
    package = root / "province_sites"
    package.mkdir(parents=True)
    (package / "yaml").mkdir()
    (package / "yaml" / "qingdao.yaml").write_text(SITE_YAML.format(id="qingdao-gov"), encoding="utf-8")
    (package / "__init__.py").write_text(
        textwrap.dedent(
            """
            from pathlib import Path
            YAML_DIR = str(Path(__file__).parent / "yaml")

            def more_sites():
                return [{"id": "yantai-gov", "name": "烟台", "department": "烟台市人民政府",
                         "platform": "trs", "base_url": "http://127.0.0.1:19998/"}]
            """
        ),
        encoding="utf-8",
    )
    dist = root / "province_sites-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: province-sites\nVersion: 1.0\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\nqingdao = province_sites:YAML_DIR\nyantai = province_sites:more_sites\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()
    yield root
    sys.modules.pop("province_sites", None)


def test_entry_points_add_sites(province_package: Path, tmp_path: Path) -> None:
    local = tmp_path / "local"
    local.mkdir()
    (local / "l.yaml").write_text(SITE_YAML.format(id="local-site"), encoding="utf-8")
    sites = discover_sites(local)
    assert {"local-site", "qingdao-gov", "yantai-gov"} <= set(sites)
    assert sites["yantai-gov"].platform == "trs"
    assert sites["qingdao-gov"].source and sites["qingdao-gov"].source.endswith("qingdao.yaml")
    assert isinstance(sites["yantai-gov"], SiteConfig)


def test_entry_point_clash_with_local_site_is_reported(province_package: Path, tmp_path: Path) -> None:
    local = tmp_path / "local"
    local.mkdir()
    (local / "q.yaml").write_text(SITE_YAML.format(id="qingdao-gov"), encoding="utf-8")
    with pytest.raises(SiteConfigError, match="qingdao-gov"):
        discover_sites(local)


def test_scrapy_list_names_every_site() -> None:
    import subprocess
    from pathlib import Path as _Path

    repo = _Path(__file__).resolve().parents[2]
    scrapy = _Path(sys.executable).parent / "scrapy"
    result = subprocess.run([str(scrapy), "list"], cwd=repo, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == sorted(PORTAL_SITES)
