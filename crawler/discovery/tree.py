"""The column tree (栏目) of a catalogue page, from its own markup, whatever the tags: nested `ul`/`li`, `dl` with
`dt`/`dd`, `div` menus, parents that are a `span`/`em` without a link, or a tree a script builds from embedded
JSON. Columns are named by the text of the link that leads to them, never by the page title.

How a label finds its parent: walk up from the label; at each level, look at the siblings before the current
element, nearest first. A sibling shaped like the current element (same tag and class, its first text as deep)
is a peer (a previous item of the same list) and is passed over; the first other sibling with one short label
is the head of the group the current element belongs to: its label is the parent. This reads ul/li trees
(`<a>` before the nested `<ul>`), dl trees (`<dt>` before the `<dd>`s) and div menus alike.

Which links are the tree: links to the site's pages with a short name, not the page's own navigation (links
also present on a reference page of the same site, e.g. the home page: header, nav bar, footer), and not
documents (links that sit in dated rows). The tree is the block holding (nearly) all of those links.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from crawler.discovery.page import (
    CJK,
    NAVIGATION_WORDS,
    URLISH,
    Link,
    compact,
    is_element,
    json_arrays,
    resolve,
    text_of,
)

MAX_NAME_CHARS = 20
MAX_HEAD_CHARS = 24


@dataclass
class TreeNode:
    name: str
    url: str | None
    children: list[TreeNode] = field(default_factory=list)

    def walk(self, parent: tuple[str, ...] = ()) -> Iterable[tuple[tuple[str, ...], TreeNode]]:
        path = (*parent, self.name)
        yield path, self
        for child in self.children:
            yield from child.walk(path)


def count_nodes(nodes: list[TreeNode]) -> int:
    return sum(1 for node in nodes for _ in node.walk())


def is_column_name(text: str) -> bool:
    return 2 <= len(text) <= MAX_NAME_CHARS and text not in NAVIGATION_WORDS and "。" not in text


# ---- markup trees ------------------------------------------------------------------------------------
def _own_text(element: Any) -> str:
    return compact(element.text or "")


def _first_text_depth(element: Any, limit: int = 6) -> int | None:
    """How deep below `element` its first text sits (0: its own text): peers of a list share this depth."""
    frontier = [(element, 0)]
    while frontier:
        node, level = frontier.pop(0)
        if _own_text(node):
            return level
        if level < limit:
            frontier.extend((child, level + 1) for child in node if is_element(child))
    return None


def _shape(element: Any) -> tuple[str, str, int | None]:
    return element.tag, " ".join(sorted((element.get("class") or "").split())), _first_text_depth(element)


class _TreeReader:
    def __init__(self, container: Any, labels: dict[Any, Link]) -> None:
        self.container = container
        self.labels = labels  # anchor element -> link
        self.heads: dict[Any, str] = {}  # unlinked head element -> name
        self.parent: dict[Any, Any | None] = {}

    def head_of(self, sibling: Any) -> Any | None:
        """The label heading a group when `sibling` is its head; None when it is not one."""
        if sibling in self.labels:
            return sibling
        inner = [a for a in sibling.iter("a") if a in self.labels]
        text = text_of(sibling)
        if len(inner) == 1 and len(text) <= MAX_HEAD_CHARS:
            return inner[0]
        no_links = not inner and not any(True for _ in sibling.iter("a"))
        if no_links and is_column_name(text) and len(text) <= MAX_HEAD_CHARS and CJK.search(text):
            self.heads[sibling] = text
            return sibling
        return None

    def find_parent(self, label: Any) -> Any | None:
        if label in self.parent:
            return self.parent[label]
        self.parent[label] = None  # a guard against cycles while this one is worked out
        current = label
        found = None
        while current is not self.container and current.getparent() is not None:
            shape = None
            for sibling in current.itersiblings(preceding=True):
                if not is_element(sibling) or sibling.tag in ("script", "style"):
                    continue
                if shape is None:
                    shape = _shape(current)
                if _shape(sibling) == shape:
                    continue
                head = self.head_of(sibling)
                if head is not None and head is not label:
                    found = head
                    break
            if found is not None:
                break
            current = current.getparent()
        self.parent[label] = found
        if found is not None and found not in self.parent:
            self.find_parent(found)
        return found

    def nodes(self) -> list[TreeNode]:
        for anchor in list(self.labels):
            self.find_parent(anchor)
        made: dict[Any, TreeNode] = {}

        def node(element: Any) -> TreeNode:
            if element not in made:
                link = self.labels.get(element)
                made[element] = (
                    TreeNode(link.label, link.url) if link else TreeNode(self.heads.get(element, ""), None)
                )
            return made[element]

        roots: list[TreeNode] = []
        ordered = sorted(self.parent, key=_document_order(self.container))
        for element in ordered:
            parent = self.parent[element]
            if parent is None:
                roots.append(node(element))
            else:
                node(parent).children.append(node(element))
        return [root for root in roots if root.url or root.children]


def _document_order(container: Any) -> Any:
    order = {element: index for index, element in enumerate(container.iter())}
    return lambda element: order.get(element, 0)


def _tree_block(links: list[Link]) -> Any:
    """The innermost element holding all the links."""
    common: list[Any] | None = None
    for link in links:
        chain = [link.element, *link.element.iterancestors()][::-1]  # root first
        if common is None:
            common = chain
            continue
        shared = 0
        while shared < min(len(common), len(chain)) and common[shared] is chain[shared]:
            shared += 1
        common = common[:shared]
    assert common
    return common[-1]


def markup_tree(root: Any, links: list[Link], chrome: set[Any], excluded: set[str]) -> list[TreeNode]:
    """The column tree among `links` (a page's site links): `chrome` are the keys (`Link.key`) of the page
    template's links, `excluded` URLs never are columns (the page itself, the home page, documents)."""
    own = [
        link
        for link in links
        if link.url not in excluded and is_column_name(link.label) and link.key not in chrome
    ]
    if not own:
        return []
    block = _tree_block(own)
    # widen to the enclosing blocks that add no other link: a tree's unlinked top label may sit just outside
    while (parent := block.getparent()) is not None and not any(
        _inside(link.element, parent) and not _inside(link.element, block)
        for link in links
        if is_column_name(link.label)
    ):
        block = parent
    labels: dict[Any, Link] = {}
    seen: set[str] = set()
    for link in own:
        if link.url not in seen:
            seen.add(link.url)
            labels[link.element] = link
    return _TreeReader(block, labels).nodes()


def _inside(element: Any, block: Any) -> bool:
    return element is block or any(ancestor is block for ancestor in element.iterancestors())


# ---- trees built by scripts ------------------------------------------------------------------------------
def _script_node(value: Any, page_url: str, depth: int = 0) -> TreeNode | None:
    if not isinstance(value, dict) or depth > 6:
        return None
    name = url = None
    children: list[TreeNode] = []
    for item in value.values():
        if isinstance(item, str):
            text = item.strip()
            if url is None and (URLISH.search(text) or text == "") and not CJK.search(text):
                url = resolve(text, page_url) if text else ""
            elif name is None and CJK.search(text) and is_column_name(compact(text)):
                name = compact(text)
        elif isinstance(item, list):
            children.extend(n for n in (_script_node(v, page_url, depth + 1) for v in item) if n is not None)
    if not name:
        return None
    return TreeNode(name, url or None, children)


def script_tree(scripts: list[str], page_url: str) -> list[TreeNode]:
    """The largest column tree held as JSON in a script (`var nodes = [{"name": …, "url": …, "children": […]}]`)."""
    best: list[TreeNode] = []
    for script in scripts:
        for value in json_arrays(script):
            nodes = [n for n in (_script_node(v, page_url) for v in value) if n is not None]
            linked = sum(1 for n in nodes for _path, node in n.walk() if node.url)
            if linked >= 2 and count_nodes(nodes) > count_nodes(best):
                best = nodes
    return best
