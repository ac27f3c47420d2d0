"""Discovery (crawler.discovery) on randomised department sites (portal.generated), rendered in process: every
tree shape, list container, date shape and pager of the generator, against the site's own ground truth. The
seed comes from the run (GONGKAI_GENERALITY_SEED replays one); the sites are not the five fixed styles."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest
from parsel import Selector

from crawler.discovery.catalogue import catalogue_links, link_strength
from crawler.discovery.dates import find_date, month_day
from crawler.discovery.lists import candidate_lists, choose_list, empty_marker
from crawler.discovery.page import normalise_url, script_texts, site_links
from crawler.discovery.pagination import next_page_url
from crawler.discovery.tree import TreeNode, markup_tree, script_tree
from portal.generated.render import SiteRenderer
from portal.generated.site import LIST_KINDS, PAGER_KINDS, TREE_KINDS, GenColumn, GenSite, generate_site
from tests.crawler.generality import chosen_seed

SITES = 48
BASE = "http://127.0.0.1:8000"
NETLOC = "127.0.0.1:8000"
TODAY = date.today()


@pytest.fixture(scope="module")
def seed() -> int:
    value = chosen_seed()
    print(f"generated sites seed {value} (GONGKAI_GENERALITY_SEED={value} replays it)")
    return value


@pytest.fixture(scope="module")
def sites(seed: int) -> list[tuple[GenSite, SiteRenderer]]:
    made = [generate_site(seed, number, TODAY) for number in range(1, SITES + 1)]
    return [(site, SiteRenderer(site, BASE)) for site in made]


def page(renderer: SiteRenderer, path: str) -> tuple[Selector, str]:
    parts = urlsplit(path)
    rendered = renderer.handle(parts.path, parts.query)
    assert rendered.status == 200, path
    return Selector(text=rendered.body), BASE + path


def expected_tree(site: GenSite) -> set[tuple[tuple[str, ...], str | None]]:
    def url(column: GenColumn) -> str | None:
        linked = column.linked or column.is_leaf
        return normalise_url(BASE + site.column_url_path(column)) if linked else None

    return {(column.path, url(column)) for column in site.columns}


def found_tree(nodes: list[TreeNode]) -> set[tuple[tuple[str, ...], str | None]]:
    return {(path, node.url) for root in nodes for path, node in root.walk()}


def test_the_sites_cover_every_tree_list_and_pager_shape(sites: list[tuple[GenSite, SiteRenderer]]) -> None:
    styles = [site.style for site, _ in sites]
    assert {s.tree_kind for s in styles} == set(TREE_KINDS)
    assert {s.list_kind for s in styles} == set(LIST_KINDS)
    assert {s.pager_kind for s in styles} == set(PAGER_KINDS)


def test_catalogue_link_is_found_on_the_home_page(sites: list[tuple[GenSite, SiteRenderer]]) -> None:
    for site, renderer in sites:
        root, url = page(renderer, "/")
        text, path = renderer.catalogue_entry
        found = catalogue_links(site_links(root.root, url, NETLOC), {normalise_url(url)})
        assert found and found[0].url == normalise_url(BASE + path), (site.id, text, found)


def test_column_tree_read_from_the_catalogue_page(sites: list[tuple[GenSite, SiteRenderer]]) -> None:
    for site, renderer in sites:
        home, home_url = page(renderer, "/")
        root, url = page(renderer, site.style.catalogue_path)
        chrome = {link.key for link in site_links(home.root, home_url, NETLOC)}
        links = site_links(root.root, url, NETLOC)
        markup = markup_tree(root.root, links, chrome, {normalise_url(url), normalise_url(home_url)})
        scripted = script_tree(script_texts(root.root), url)
        found = found_tree(scripted if site.style.tree_kind == "script" else markup)
        assert found == expected_tree(site), (site.id, site.style.tree_kind, sorted(found))


def _list_page(site: GenSite, renderer: SiteRenderer, column: GenColumn, number: int) -> tuple[Selector, str]:
    return page(renderer, site.column_url_path(column, number))


def test_every_list_page_yields_its_documents_and_dates(sites: list[tuple[GenSite, SiteRenderer]]) -> None:
    checked = 0
    for site, renderer in sites:
        owner: dict[frozenset[str], int] = {}
        for column in (c for c in site.columns if c.is_leaf):
            for number in range(1, site.page_count(column) + 1):
                root, url = _list_page(site, renderer, column, number)
                candidates = candidate_lists(root.root, url, NETLOC, TODAY)
                chosen = choose_list(
                    candidates,
                    column.name,
                    lambda urls, key=column.key, seen=owner: seen.get(urls, key) != key,
                )
                for candidate in candidates:
                    owner.setdefault(candidate.urls, column.key)
                per = site.style.per_page
                docs = [site.docs[i] for i in column.docs[(number - 1) * per : number * per]]
                if not docs:
                    assert chosen is None, (site.id, column.name, "a blank column shows a list")
                    continue
                assert chosen is not None, (site.id, column.name, number, [c.rejected for c in candidates])
                assert [(i.url, i.day) for i in chosen.items] == [
                    (normalise_url(BASE + d.path), d.published_date) for d in docs
                ], (site.id, site.style.summary(), column.name, number)
                checked += 1
    assert checked >= SITES


def test_pagination_reaches_every_page_and_stops(sites: list[tuple[GenSite, SiteRenderer]]) -> None:
    for site, renderer in sites:
        for column in (c for c in site.columns if c.is_leaf and c.docs):
            pages = site.page_count(column)
            for number in range(1, pages + 1):
                root, url = _list_page(site, renderer, column, number)
                found = next_page_url(root.root, url, number, script_texts(root.root))
                wanted = (
                    normalise_url(BASE + site.column_url_path(column, number + 1)) if number < pages else None
                )
                assert found == wanted, (site.id, site.style.pager_kind, site.style.next_text, number, pages)


def test_blank_columns_show_no_list(sites: list[tuple[GenSite, SiteRenderer]]) -> None:
    blank = [(s, r, c) for s, r in sites for c in s.columns if c.is_leaf and c.state == "blank"]
    assert blank
    for site, renderer, column in blank:
        root, url = _list_page(site, renderer, column, 1)
        candidates = candidate_lists(root.root, url, NETLOC, TODAY)
        assert choose_list(candidates, column.name, lambda _urls: False) is None, (site.id, column.name)
        if column.empty_marker:
            assert empty_marker(root.root) == column.empty_marker


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", date(2026, 11, 20)),
        ("[2026/1/5]", date(2026, 1, 5)),
        ("2026年11月2日", date(2026, 11, 2)),
        ("发布时间：2026.03.09 10:20", date(2026, 3, 9)),
        ("第1/5页", None),
        ("共12条", None),
    ],
)
def test_full_dates_and_what_is_not_a_date(text: str, expected: date | None) -> None:
    assert find_date(text, date(2026, 12, 4)) == expected


def test_month_day_takes_the_latest_year_not_in_the_future() -> None:
    today = date(2026, 3, 1)
    assert month_day("(02-27)", today) == date(2026, 2, 27)
    assert month_day("12-30", today) == date(2025, 12, 30)
    assert month_day("11月3日", today) == date(2025, 11, 3)
    assert month_day("02-30", today) is None


@pytest.mark.parametrize(
    ("text", "strength"),
    [
        ("政府信息公开目录", 2),
        ("法定主动公开内容", 2),
        ("主动公开目录导航", 2),
        ("政务公开", 1),
        ("信息公开", 1),
        ("依申请公开", 0),
        ("政府信息公开指南", 0),
        ("重点领域信息公开专栏", 0),
        ("互动交流", 0),
    ],
)
def test_catalogue_link_strength(text: str, strength: int) -> None:
    assert link_strength(text) == strength
