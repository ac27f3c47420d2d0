"""Sites on a publishing system no other adapter knows. Nothing about the markup is assumed; everything is inferred
(crawler.discovery):

1. the home page names the way into the disclosure catalogue (信息公开目录, 政务公开, …; or the site file's
   `start_paths`); a gateway page that only links on to the catalogue is followed (three hops at most);
2. the catalogue page's column tree: the block of links that are neither the page template's (links the home page
   has too) nor documents, read as a nested tree, or a tree held as JSON by a script. A site whose catalogue is
   its home page is read against a second page of the site, which tells the template's links apart;
3. a column page's list: the dated list that is the column's own (not 热点/排行 furniture, not a list other
   columns' pages repeat); no such list is a blank column; the next page from whatever pager the page has.

What was tried is noted in the run report, so a site nothing could be read from says why.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any, ClassVar

from scrapy.http import Response

from crawler.adapters.base import (
    FURNITURE_SELECTORS,
    ColumnRef,
    ListEntry,
    ListResult,
    PlatformAdapter,
    TreeResult,
)
from crawler.discovery.catalogue import CatalogueLink, catalogue_links
from crawler.discovery.lists import CandidateList, candidate_lists, choose_list, empty_marker
from crawler.discovery.page import Link, normalise_url, page_root, script_texts, site_links
from crawler.discovery.pagination import next_page_url
from crawler.discovery.tree import TreeNode, count_nodes, is_column_name, markup_tree, script_tree
from crawler.sites import HintsConfig

MAX_CATALOGUE_HOPS = 3
MAX_NOTES = 40


class GenericAdapter(PlatformAdapter):
    platform: ClassVar[str] = "generic"
    default_hints: ClassVar[HintsConfig] = HintsConfig(drop_selectors=FURNITURE_SELECTORS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = date.today()
        self.home_url = normalise_url(self.site.base_url)
        self.home_links: list[Link] = []
        self.home_root: Any = None  # kept until the tree is read (a reference page may be needed)
        self.queue: list[tuple[CatalogueLink, int]] = []
        self.tried: set[str] = set()
        self.known_urls: set[str] = set()  # column pages already in the tree
        self.fallback: list[TreeNode] = []
        self.home_read_as_catalogue = False
        self.tree_done = False
        self.list_owner: dict[
            frozenset[str], str
        ] = {}  # a list's links -> the column whose page showed it first
        self.notes: list[str] = []

    # notes for the run report ------------------------------------------------------------------------------
    def note(self, text: str) -> None:
        if len(self.notes) < MAX_NOTES:
            self.notes.append(text)
            report = getattr(getattr(self.spider, "context", None), "report", None)
            if report is not None and hasattr(report, "discovery"):
                report.discovery.append(text)

    # column tree ---------------------------------------------------------------------------------------------
    def tree_requests(self) -> Any:
        yield self.tree_request(self.site.base_url, role="home")

    def parse_tree(self, response: Response) -> TreeResult:
        role = response.meta.get("role", "home")
        root = page_root(response)
        if root is None:
            self.note(f"{response.url}: not an HTML page")
            return self._next_attempt()
        links = site_links(root, response.url, self.site.netloc)
        if role == "home":
            return self._read_home(response, root, links)
        if role == "reference":
            chrome = {link.key for link in self.home_links} & {link.key for link in links}
            self.note(
                f"reference page {response.url}: {len(chrome)} links shared with the home page (template)"
            )
            return self._tree_result(
                self._tree(self.home_root, self.home_links, chrome, self.home_url), "home page"
            )
        return self._read_catalogue(response, root, links, int(response.meta.get("hops", 1)))

    def _read_home(self, response: Response, root: Any, links: list[Link]) -> TreeResult:
        self.home_url = normalise_url(response.url)
        self.home_links, self.home_root = links, root
        self.tried.update({self.home_url, normalise_url(self.site.base_url)})
        if self.site.start_paths:
            entries = [CatalogueLink(normalise_url(self.absolute(p)), p, 3) for p in self.site.start_paths]
        else:
            entries = catalogue_links(links, self.tried)
        self.queue = [(entry, 1) for entry in entries]
        self.note(
            f"home page {response.url}: {len(links)} site links; catalogue candidates: "
            + (", ".join(f"{e.text!r}" for e in entries[:6]) or "none")
        )
        return self._next_attempt()

    def _next_attempt(self) -> TreeResult:
        while self.queue:
            entry, hops = self.queue.pop(0)
            if entry.url in self.tried:
                continue
            self.tried.add(entry.url)
            request = self.tree_request(entry.url, role="catalogue", hops=hops, strength=entry.strength)
            return TreeResult(requests=[request])
        if self.fallback:
            return self._tree_result(self.fallback, "a gateway page")
        if self.home_root is not None and not self.home_read_as_catalogue:
            self.home_read_as_catalogue = True
            reference = self._reference_url()
            if reference is not None:
                self.tried.add(reference)
                self.note(f"no catalogue page found; reading the home page's own tree against {reference}")
                return TreeResult(requests=[self.tree_request(reference, role="reference")])
            return self._tree_result(
                self._tree(self.home_root, self.home_links, set(), self.home_url), "home page"
            )
        self._give_up()
        return TreeResult()

    def _reference_url(self) -> str | None:
        """A second page of the site to tell its template's links apart: the link the home page repeats most
        (a column in the nav bar and in a block), else its first named link."""
        named = [
            link.url for link in self.home_links if link.url != self.home_url and is_column_name(link.label)
        ]
        if not named:
            return None
        counts = Counter(named)
        return max(named, key=lambda url: counts[url])

    def _read_catalogue(self, response: Response, root: Any, links: list[Link], hops: int) -> TreeResult:
        nodes = self._tree(root, links, {link.key for link in self.home_links}, normalise_url(response.url))
        onward = [
            entry
            for entry in catalogue_links(links, self.tried | {link.url for link in self.home_links})
            if entry.strength >= 2
        ]
        self.note(f"catalogue candidate {response.url}: {count_nodes(nodes)} columns found")
        linked = sum(1 for root in nodes for _path, node in root.walk() if node.url)
        nested = any(child.children for root in nodes for child in root.children)
        if (
            onward
            and (linked <= 3 or not nested)
            and hops < MAX_CATALOGUE_HOPS
            and int(response.meta.get("strength", 1)) < 2
        ):
            # a gateway (政务公开: a few links, or a flat menu) linking on to the catalogue proper: follow it, keep
            # this page's links in reserve; a nested tree is the catalogue itself, whatever its columns are called
            if count_nodes(nodes) > count_nodes(self.fallback):
                self.fallback = nodes
            self.queue[:0] = [(entry, hops + 1) for entry in onward]
            return self._next_attempt()
        if not nodes:
            return self._next_attempt()
        return self._tree_result(nodes, response.url)

    def _tree(self, root: Any, links: list[Link], chrome: set[Any], page_url: str) -> list[TreeNode]:
        documents = {
            item.url
            for c in candidate_lists(root, page_url, self.site.netloc, self.today)
            for item in c.items
        }
        excluded = documents | {page_url, self.home_url, normalise_url(self.site.base_url)}
        markup = markup_tree(root, links, chrome, excluded)
        scripted = _on_site(script_tree(script_texts(root), page_url), self.site.netloc)
        return scripted if count_nodes(scripted) > count_nodes(markup) else markup

    def _tree_result(self, nodes: list[TreeNode], where: str) -> TreeResult:
        if not nodes:
            self._give_up()
            return TreeResult()
        self.tree_done = True
        self.home_root = None
        result = TreeResult()
        seen: set[tuple[str, ...]] = set()
        for root in nodes:
            for path, node in root.walk():
                if path in seen:
                    continue
                seen.add(path)
                if node.url:
                    self.known_urls.add(node.url)
                listable = bool(node.url) and not node.children
                result.columns.append(self.make_column(list(path), node.url, listable=listable))
        self.note(f"column tree read from {where}: {len(result.columns)} columns")
        return result

    def _give_up(self) -> None:
        if self.tree_done:
            return
        context = getattr(self.spider, "context", None)
        if context is not None:
            context.tree_failed = True
            collector = getattr(context, "collector", None)
            if collector is not None:
                collector.error(
                    "discovery", f"no column tree found; pages tried: {', '.join(sorted(self.tried))}"
                )
        self.note("no column tree found on any page tried: " + (", ".join(sorted(self.tried)) or "none"))

    # lists -----------------------------------------------------------------------------------------------
    def parse_list(self, response: Response, column: ColumnRef, page: int) -> ListResult:
        root = page_root(response)
        if root is None:
            raise ValueError("a column page that is not HTML")
        candidates = candidate_lists(root, response.url, self.site.netloc, self.today)
        chosen = choose_list(candidates, column.name, lambda urls: self._repeated(urls, column.id))
        for candidate in candidates:
            if len(candidate.urls) >= 2:
                self.list_owner.setdefault(candidate.urls, column.id)
        if chosen is None:
            if page != 1:
                return ListResult()
            documents = {item.url for candidate in candidates for item in candidate.items}
            children = self._sub_columns(root, response.url, column, documents)
            if children:
                return ListResult(children=children)
            self._note_blank(response.url, column, root, candidates)
            return ListResult()
        result = ListResult(
            entries=[ListEntry(url=item.url, title=item.title, day=item.day) for item in chosen.items]
        )
        next_url = next_page_url(root, response.url, page, script_texts(root))
        if next_url is not None:
            result.next_url, result.next_page = next_url, page + 1
        return result

    def _sub_columns(
        self, root: Any, page_url: str, column: ColumnRef, documents: set[str]
    ) -> list[ColumnRef]:
        """A column page without a list of its own that links to columns the tree did not show: a parent.
        `documents` (links in dated rows, furniture lists included) are never columns."""
        links = site_links(root, page_url, self.site.netloc)
        excluded = self.known_urls | self.tried | documents | {normalise_url(page_url), self.home_url}
        nodes = markup_tree(root, links, {link.key for link in self.home_links}, excluded)
        # the page's heading (the column's own name) heads the list of its children
        nodes = [
            child
            for node in nodes
            for child in (node.children if node.name == column.name and not node.url else [node])
        ]
        children = []
        for top in nodes:
            for path, node in top.walk():
                children.append(
                    self.make_column(
                        [*column.path, *path], node.url, listable=bool(node.url) and not node.children
                    )
                )
                if node.url:
                    self.known_urls.add(node.url)
        if children:
            self.note(f"{'/'.join(column.path)} lists {len(children)} sub-columns instead of documents")
        return children

    def _repeated(self, urls: frozenset[str], column_id: str) -> bool:
        owner = self.list_owner.get(urls)
        return owner is not None and owner != column_id

    def _note_blank(self, url: str, column: ColumnRef, root: Any, candidates: list[CandidateList]) -> None:
        marker = empty_marker(root)
        rejected = "; ".join(f"{c.describe()}: {c.rejected}" for c in candidates if c.rejected)
        why = f"says {marker!r}" if marker else "no dated list"
        self.note(
            f"blank column {'/'.join(column.path)} ({url}): {why}"
            + (f"; rejected {rejected}" if rejected else "")
        )


def _on_site(nodes: list[TreeNode], netloc: str) -> list[TreeNode]:
    """Script trees may link anywhere; links off the site become unlinked labels."""
    from urllib.parse import urlsplit

    for root in nodes:
        for _path, node in root.walk():
            if node.url and urlsplit(node.url).netloc != netloc:
                node.url = None
    return nodes
