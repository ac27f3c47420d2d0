"""The generated department sites: deterministic per seed, manifest consistent with the served pages, and
really varied across sites."""

from __future__ import annotations

import html
import re
import urllib.request
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urljoin

import pytest

from portal.config import DEFAULT_TODAY
from portal.generated.manifest import GeneratedManifest
from portal.generated.render import SiteRenderer
from portal.generated.server import GeneratedPortal
from portal.generated.site import FIXED_STYLE_NAMES, generate_site
from tests.crawler.generality import SEED_ENV, chosen_seed
from tests.distributed.run_checks import assert_one_worker_per_site_at_a_time

SITES = 30
SEED = chosen_seed()


@pytest.fixture(scope="module")
def portal() -> Iterator[GeneratedPortal]:
    print(f"\ngenerated portal seed {SEED} ({SEED_ENV}={SEED} replays it)")
    with GeneratedPortal(SEED, SITES) as server:
        yield server


@pytest.fixture(scope="module")
def manifest(portal: GeneratedPortal) -> GeneratedManifest:
    return portal.manifest()


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


def declared_charset(body: bytes, content_type: str) -> str:
    found = re.search(r"charset=([\w-]+)", content_type) or re.search(rb"charset=([\w-]+)", body[:1024])
    assert found, "a page must declare its charset in the header or a <meta>"
    value = found.group(1)
    return value.decode() if isinstance(value, bytes) else value


def page_text(url: str) -> str:
    status, body, content_type = fetch(url)
    assert status == 200, url
    return body.decode(declared_charset(body, content_type))


def flat(text: str) -> str:
    return "".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def test_generation_is_deterministic_per_seed() -> None:
    first = generate_site.__wrapped__(SEED, 3, DEFAULT_TODAY)
    again = generate_site.__wrapped__(SEED, 3, DEFAULT_TODAY)
    other = generate_site.__wrapped__(SEED + 1, 3, DEFAULT_TODAY)
    assert first == again
    assert first != other
    pages = ["/", first.style.catalogue_path, *(d.path for d in first.docs[:5])]
    pages += [first.column_url_path(c) for c in first.columns]
    one, two = SiteRenderer(first, "http://127.0.0.1:1/"), SiteRenderer(again, "http://127.0.0.1:1/")
    for page in pages:
        path, _, query = page.partition("?")
        assert one.handle(path, query) == two.handle(path, query), page


def test_class_names_are_never_the_fixed_styles(portal: GeneratedPortal) -> None:
    for site in portal.generated:
        assert not FIXED_STYLE_NAMES & set(site.style.tokens.values())


def test_every_document_is_listed_reachable_and_shows_its_fields(
    portal: GeneratedPortal, manifest: GeneratedManifest
) -> None:
    sample = {site.id for site in manifest.sites}
    listed: set[str] = set()
    for column in manifest.columns:
        if column.site not in sample or not column.leaf:
            continue
        site = next(s for s in portal.generated if s.id == column.site)
        gen = site.columns[column.number]
        for page in range(1, site.page_count(gen) + 1):
            url = urljoin(column.url, site.column_url_path(gen, page))
            text = page_text(url)
            title = re.search(r"<title>(.*?)</title>", text)
            assert title and column.name in title.group(1) and title.group(1) != column.name  # naming by
            # title is detectably wrong
            for href in re.findall(r'(?:href=|"(?:url|u|link)":\s*)"([^"]+)"', text):
                listed.add(urljoin(url, html.unescape(href)))
    docs = [d for d in manifest.documents if d.site in sample]
    assert docs
    for doc in docs:
        assert doc.url in listed, doc.url
        text = flat(page_text(doc.url))
        assert flat(doc.title) in text
        assert flat(doc.issuer) in text
        if doc.doc_number_raw:
            assert flat(doc.doc_number_raw) in text
        if doc.index_number:
            assert doc.index_number in text
        day = doc.published_date
        assert any(
            f in text
            for f in (f"{day:%Y-%m-%d}", f"{day:%Y/%m/%d}", f"{day.year}年{day.month:02d}月{day.day:02d}日")
        )


def _links(page: str) -> dict[str, str]:
    return {
        html.unescape(text): html.unescape(href)
        for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', page)
    }


def test_catalogue_is_linked_from_home_and_holds_every_column_name(
    portal: GeneratedPortal, manifest: GeneratedManifest
) -> None:
    gateways = 0
    for site in portal.generated:
        base = portal.base_urls[site.id]
        url = base
        if site.style.gateway_text:  # two hops: home -> 政务公开 page -> catalogue
            url = urljoin(url, _links(page_text(url))[site.style.gateway_text])
            gateways += 1
        catalogue_url = urljoin(url, _links(page_text(url))[site.style.catalogue_text])
        catalogue = page_text(catalogue_url)
        for column in site.columns:
            assert column.name in catalogue  # as a link, a span/em, or a JSON string of the script tree
        urls = {
            urljoin(catalogue_url, html.unescape(h))
            for h in re.findall(r'(?:href=|"(?:url|href|link)":\s*)"([^"]+)"', catalogue)
        }
        wanted = [c for c in manifest.columns if c.site == site.id]
        assert all(c.url in urls for c in wanted if c.leaf), site.id  # each leaf is linked from the catalogue
    assert gateways
    assert {c.expected_status for c in manifest.columns} >= {"ok", "blank", "stale"}


def test_gbk_sites_serve_gbk(portal: GeneratedPortal, manifest: GeneratedManifest) -> None:
    gbk = [s for s in manifest.sites if s.encoding == "gbk"]
    assert gbk
    doc = next(d for d in manifest.documents if d.site == gbk[0].id)
    status, body, content_type = fetch(doc.url)
    assert status == 200 and declared_charset(body, content_type) == "gbk"
    assert html.escape(doc.title).encode("gbk") in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_variety_across_thirty_sites(manifest: GeneratedManifest) -> None:
    styles = manifest.styles.values()
    counted = {
        key: Counter(style[key] for style in styles) for key in ("list", "pager", "tree", "date", "metadata")
    }
    print({key: dict(counter) for key, counter in counted.items()})
    assert set(counted["list"]) == {"ul", "ol", "table", "divrows", "dl", "script"}
    assert set(counted["pager"]) == {"next_text", "numbered", "trs_literal", "trs_var", "total_template"}
    assert set(counted["tree"]) == {"ul", "dl", "div", "script"}
    assert len(counted["date"]) >= 4
    assert len(counted["metadata"]) >= 4
    assert {style["encoding"] for style in styles} == {"utf-8", "gbk"}
    extras = Counter(extra for style in styles for extra in style["extras"].split("+"))
    assert all(extras[name] for name in ("gateway", "home-latest", "hot-list", "next-loop", "label-spans"))
    assert len({style["urls"] for style in styles}) >= 4
    statuses = Counter(c.expected_status for c in manifest.columns if c.leaf)
    assert statuses["blank"] >= 3 and statuses["stale"] >= 3
    depths = Counter(len(c.path) for c in manifest.columns)
    assert set(depths) == {1, 2, 3}
    kinds = {c.kind for c in manifest.columns}
    assert kinds == {"news", "notice_policy", "personnel_planning", "other"}


def test_unknown_pages_are_404(portal: GeneratedPortal) -> None:
    base = portal.base_urls[portal.generated[0].id]
    assert fetch(urljoin(base, "/no/such/page.html"))[0] == 404


def get_as(url: str, agent: str) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": agent})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
    except urllib.error.HTTPError:
        pass


def test_request_log_records_site_path_and_user_agent_as_the_fixed_portal_does() -> None:
    with GeneratedPortal(SEED, 2) as portal:
        first, second = (portal.base_urls[s.id] for s in portal.generated)
        get_as(first, "before worker/w0")  # not recorded: logging starts with record_requests()
        assert portal.request_log() == []
        portal.record_requests()
        get_as(first, "gongkai worker/w1")
        get_as(urljoin(first, "/no/such/page.html?x=1"), "gongkai worker/w1")
        get_as(second, "gongkai worker/w2")
        log = portal.request_log()
    ids = [s.id for s in portal.generated]
    assert [(r.site, r.path, r.user_agent) for r in log] == [
        (ids[0], "/", "gongkai worker/w1"),
        (ids[0], "/no/such/page.html?x=1", "gongkai worker/w1"),
        (ids[1], "/", "gongkai worker/w2"),
    ]
    assert [r.at for r in log] == sorted(r.at for r in log)
    # the distributed tests' check reads it like the fixed portal's log: one worker per site passes …
    spans = assert_one_worker_per_site_at_a_time(log)
    assert set(spans) == set(ids) and set(spans[ids[0]]) == {"w1"}
    # … and two workers interleaved on one site fail
    with GeneratedPortal(SEED, 1) as portal:
        portal.record_requests()
        base = portal.base_urls[portal.generated[0].id]
        for agent in ("gongkai worker/w1", "gongkai worker/w2", "gongkai worker/w1"):
            get_as(base, agent)
        overlapping = portal.request_log()
    with pytest.raises(AssertionError, match="two workers at once"):
        assert_one_worker_per_site_at_a_time(overlapping)
