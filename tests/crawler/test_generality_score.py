"""The generality scorer itself: a harvest equal to the manifest scores 100 % everywhere, and each kind of
mistake (a missed or foreign record, a wrong field, a column named by its page title, a blank column missing,
a wrong kind) lowers exactly the figure it should."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from indexer.schema import Column
from portal.config import DEFAULT_TODAY
from portal.generated.manifest import GeneratedManifest, build_manifest
from portal.generated.site import generate_site
from tests.crawler.generality import score_harvest
from tests.crawler.harness import FIELDS


@pytest.fixture(scope="module")
def manifest() -> GeneratedManifest:
    sites = [(generate_site(5, n, DEFAULT_TODAY), f"http://127.0.0.1:{9000 + n}/") for n in range(1, 7)]
    return build_manifest(5, DEFAULT_TODAY, sites)


def perfect(manifest: GeneratedManifest) -> tuple[dict[str, Any], list[Column]]:
    records = {
        d.url: SimpleNamespace(url=d.url, site=d.site, **{f: getattr(d, f) for f in FIELDS})
        for d in manifest.documents
    }
    columns = []
    for c in manifest.columns:
        own = c.item_count if c.leaf else 0  # the catalogue holds leaves' counts; parents sum their subtree
        newest = c.newest_item_date if c.leaf else None
        columns.append(Column(id=f"{c.site}{c.id}", site=c.site, name=c.name, path=c.path, item_count=own,
                              newest_item_date=newest))  # fmt: skip
    return records, columns


def test_a_perfect_harvest_scores_full_marks(manifest: GeneratedManifest) -> None:
    records, columns = perfect(manifest)
    scored = score_harvest(manifest, records, columns, 5)
    assert scored.figures() == {name: 1.0 for name in scored.figures()}
    assert all(site.perfect() for site in scored.sites)
    assert not scored.below_thresholds()


def test_each_mistake_lowers_its_own_figure(manifest: GeneratedManifest) -> None:
    records, columns = perfect(manifest)
    lost = manifest.documents[0].url
    del records[lost]
    foreign = manifest.documents[1]
    records["http://elsewhere/"] = SimpleNamespace(
        url="http://elsewhere/", site=foreign.site, title="联系我们"
    )
    records[manifest.documents[2].url].title = "保障性住房 - 某某局"
    blank_leaf = next(c for c in manifest.columns if c.leaf and c.expected_status == "blank")
    columns = [c for c in columns if not (c.site == blank_leaf.site and c.path == blank_leaf.path)]
    renamed = next(c for c in columns if c.site != blank_leaf.site and len(c.path) == 1)
    renamed.path = ["其他", f"{renamed.name} - 某某局"]
    scored = score_harvest(manifest, records, columns, 5)
    documents = len(manifest.documents)
    assert scored.recall == pytest.approx((documents - 1) / documents)
    assert scored.precision == pytest.approx((documents - 1) / documents)  # one foreign record among N
    assert scored.fields == pytest.approx(1 - 1 / ((documents - 1) * len(FIELDS)))
    assert scored.names < 1.0 and scored.statuses < 1.0
    failing = {s.site for s in scored.sites if not s.perfect()}
    assert blank_leaf.site in failing and renamed.site in failing
    rows = scored.site_rows()
    assert blank_leaf.name in rows and "title:1" in rows
    assert "| list=" in scored.by_style() and "| encoding=gbk |" in scored.by_style()


def test_a_tree_hung_under_its_entry_link_still_counts(manifest: GeneratedManifest) -> None:
    records, columns = perfect(manifest)
    site = manifest.sites[0].id
    entry = manifest.styles[site]["catalogue"].split(">")
    hung = [c.model_copy(update={"path": [*entry, *c.path]}) if c.site == site else c for c in columns]
    hung.append(Column(id="entry", site=site, name=entry[-1], path=entry))
    assert score_harvest(manifest, records, hung, 5).names == 1.0
    partly = [
        c.model_copy(update={"path": ["信息公开X", *c.path]}) if c is columns[0] else c for c in columns
    ]
    assert score_harvest(manifest, records, partly, 5).names < 1.0
