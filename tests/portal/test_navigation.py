"""What the portal serves agrees with its manifest: reachability, titles, raw numbers, encodings."""

from __future__ import annotations

import re
from datetime import date

import httpx
import pytest

from portal.manifest import PortalManifest
from portal.server import PortalServer
from portal.sites import SITE_IDS
from tests.portal.walker import SiteWalker, decode

STRIP_TAGS = re.compile(r"<[^>]+>")


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_navigation_reaches_every_listed_document(
    portal: PortalServer, manifest: PortalManifest, client: httpx.Client, site_id: str
) -> None:
    site = next(s for s in manifest.sites if s.id == site_id)
    walker = SiteWalker(client, site.base_url, site.platform, site.robots_disallow)
    found = walker.walk()
    expected = {d.url for d in manifest.documents if d.site == site_id and d.status != "withdrawn"}
    assert expected, "every site has documents"
    assert found == expected


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_detail_pages_show_manifest_title_and_raw_number(
    manifest: PortalManifest, client: httpx.Client, site_id: str
) -> None:
    documents = [d for d in manifest.documents if d.site == site_id and not d.robots_disallowed]
    for doc in documents:
        response = client.get(doc.url)
        assert response.status_code == 200, doc.url
        text = decode(response)
        assert doc.title in text
        if doc.doc_number_raw:
            assert doc.doc_number_raw in text, (doc.url, doc.doc_number_raw)
        for cited in doc.cites:
            assert cited != doc.doc_number
        body = STRIP_TAGS.sub("", text)
        assert doc.issuer in body
        if doc.index_number:
            assert doc.index_number in body
        assert any(shape in body for shape in date_shapes(doc.published_date))
        if doc.written_date:
            assert any(shape in body for shape in date_shapes(doc.written_date))
        if doc.topic:
            assert doc.topic in body
        if doc.validity:
            assert doc.validity in body
        assert all(keyword in text for keyword in doc.keywords)


def date_shapes(day: date) -> list[str]:
    return [
        day.isoformat(),
        f"{day.year}年{day.month:02d}月{day.day:02d}日",
        f"{day.year} 年 {day.month:02d} 月 {day.day:02d} 日",
        f"{day.year}年{day.month}月{day.day}日",
    ]


def test_gbk_sites_declare_and_use_gbk(manifest: PortalManifest, client: httpx.Client) -> None:
    for site_id, label in (("jinan-jyj", "gbk"), ("jinan-wjw", "gb2312")):
        doc = next(d for d in manifest.documents if d.site == site_id)
        response = client.get(doc.url)
        assert response.headers["content-type"] == f"text/html; charset={label}"
        assert f'<meta charset="{label}">'.encode() in response.content
        with pytest.raises(UnicodeDecodeError):
            response.content.decode("utf-8")
        assert doc.title in response.content.decode("gbk")


def test_robots_txt_forbids_private_documents(manifest: PortalManifest, client: httpx.Client) -> None:
    private = [d for d in manifest.documents if d.robots_disallowed]
    assert private and {d.site for d in private} == {"jinan-fgw"}
    fgw = next(s for s in manifest.sites if s.id == "jinan-fgw")
    robots = client.get(fgw.base_url + "robots.txt").text
    assert "Disallow: /private/" in robots
    assert all("/private/" in d.url for d in private)


def test_sitemap_lists_documents(manifest: PortalManifest, client: httpx.Client) -> None:
    site = next(s for s in manifest.sites if s.has_sitemap)
    sitemap = client.get(site.base_url + "sitemap.xml").text
    urls = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    documents = {d.url for d in manifest.documents if d.site == site.id and not d.robots_disallowed}
    assert urls & documents
    assert not any("/private/" in url for url in urls)


def test_unknown_urls_are_404(manifest: PortalManifest, client: httpx.Client) -> None:
    for site in manifest.sites:
        assert client.get(site.base_url + "no/such/page.html").status_code == 404
    doc = manifest.documents[0]
    assert client.get(doc.url.replace("content_", "content_9")).status_code == 404


def test_trs_detail_supports_if_modified_since(manifest: PortalManifest, client: httpx.Client) -> None:
    doc = next(d for d in manifest.documents if d.site == "jinan-jyj")
    first = client.get(doc.url)
    modified = first.headers["last-modified"]
    again = client.get(doc.url, headers={"If-Modified-Since": modified})
    assert again.status_code == 304
    older = client.get(doc.url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert older.status_code == 200


def test_gkmlpt_quirks(portal: PortalServer, client: httpx.Client) -> None:
    yjj = portal.base_url("jinan-yjj")
    page = client.get(yjj + "gkmlpt/index").text
    sid = re.search(r'"SID": "(\w+)"', page).group(1)
    column = re.search(r'"id": (\d+)', page).group(1)
    assert client.get(f"{yjj}gkmlpt/api/all/{column}", params={"page": 2, "sid": sid}).status_code == 404
    assert client.get(f"{yjj}gkmlpt/api/all/{column}", params={"page": 1}).status_code == 403
