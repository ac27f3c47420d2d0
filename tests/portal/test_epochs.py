"""Epoch 1 on the same running server: new, changed and withdrawn documents, column churn."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest

from portal.config import PortalConfig
from portal.manifest import ManifestDocument
from portal.server import PortalServer
from tests.portal.walker import SiteWalker, decode


@pytest.fixture(scope="module")
def churning_portal() -> Iterator[PortalServer]:
    with PortalServer(PortalConfig(seed=9, docs=400, base_port=0, faults="jinan-zjj:churn=1")) as server:
        yield server


def test_epoch_one_news_changes_and_withdrawals(churning_portal: PortalServer, client: httpx.Client) -> None:
    portal = churning_portal
    portal.set_epoch(0)
    before = {d.url: d for d in portal.manifest().documents}
    portal.set_epoch(1)
    try:
        later = portal.manifest()
        after = {d.url: d for d in later.documents}
        assert later.epoch == 1 and later.today == PortalConfig().today + timedelta(days=30)
        new = [d for url, d in after.items() if url not in before]
        changed = [d for d in after.values() if d.status == "changed"]
        withdrawn = [d for d in after.values() if d.status == "withdrawn"]
        assert new and changed and withdrawn
        assert set(before) <= set(after), "withdrawn documents stay in the manifest, marked"
        assert all(d.version == 2 for d in changed)
        assert all(d.published_date > before_max(before, d.site) for d in new)

        for doc in changed[:5]:
            page = client.get(doc.url)
            assert page.status_code == 200
            assert doc.title in decode(page) and doc.title != before[doc.url].title
            old_modified = before_last_modified(client, portal, doc.url)
            assert page.headers["last-modified"] != old_modified
        for doc in withdrawn[:5]:
            assert client.get(doc.url).status_code == 404

        site = next(s for s in later.sites if s.id == "jinan-gov")
        listed = SiteWalker(client, site.base_url, site.platform, site.robots_disallow).walk()
        expected = {d.url for d in later.documents if d.site == "jinan-gov" and d.status != "withdrawn"}
        assert listed == expected
        assert not listed & {d.url for d in withdrawn}
    finally:
        portal.set_epoch(0)


def test_new_documents_top_the_lists(churning_portal: PortalServer, client: httpx.Client) -> None:
    portal = churning_portal
    portal.set_epoch(1)
    try:
        manifest = portal.manifest()
        column = next(c for c in manifest.columns if c.site == "jinan-gov" and c.leaf and c.name == "要闻")
        page = client.get(column.url).text
        first_link = page.split('<ul class="list-ul">', 1)[1].split('href="', 1)[1].split('"', 1)[0]
        newest = max(
            (d for d in manifest.documents if d.column_path == column.path and d.status != "withdrawn"),
            key=lambda d: d.published_date,
        )
        assert first_link in newest.url
        assert newest.published_date > PortalConfig().today
    finally:
        portal.set_epoch(0)


def test_column_churn(churning_portal: PortalServer, client: httpx.Client) -> None:
    portal = churning_portal
    names0 = {c.name for c in portal.manifest().columns if c.site == "jinan-zjj"}
    removed_url = next(
        c.url for c in portal.manifest().columns if c.site == "jinan-zjj" and c.name == "政府信息公开指南"
    )
    portal.set_epoch(1)
    try:
        manifest = portal.manifest()
        names1 = {c.name for c in manifest.columns if c.site == "jinan-zjj"}
        assert names0 - names1 == {"政府信息公开指南"}
        assert names1 - names0 == {"优化营商环境"}
        assert client.get(removed_url).status_code == 404
        gone = [
            d for d in manifest.documents if d.column_path == ["政府信息公开指南"] and d.site == "jinan-zjj"
        ]
        assert gone and all(d.status == "withdrawn" for d in gone)
        added = next(c for c in manifest.columns if c.site == "jinan-zjj" and c.name == "优化营商环境")
        assert added.item_count == 3 and added.expected_status == "ok"
    finally:
        portal.set_epoch(0)


def before_max(before: dict[str, ManifestDocument], site: str) -> date:
    return max(d.published_date for d in before.values() if d.site == site)


def before_last_modified(client: httpx.Client, portal: PortalServer, url: str) -> str:
    portal.set_epoch(0)
    try:
        return client.get(url).headers["last-modified"]
    finally:
        portal.set_epoch(1)
