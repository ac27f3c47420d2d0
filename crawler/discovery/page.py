"""What discovery reads from a page: its element tree, its links (absolute, on the site's own host) and its
scripts. Every structure guess in this package starts from these."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from lxml import etree

from crawler.extraction.links import absolute_url, is_attachment_url

_SPACE = re.compile(r"\s+")
_ARRAY_START = re.compile(r"[=:(]\s*\[\s*\{")
CJK = re.compile(r"[\u4e00-\u9fff]")
URLISH = re.compile(r"^(?:https?://|/|\./|\.\./)|\.(?:s?html?|jsp|php|aspx?)(?:[?#]|$)|[?&]\w+=|/$", re.I)
"""A string that looks like a link target (a path, a page name, a query) rather than a name or a date."""
NAVIGATION_WORDS = frozenset(
    {"首页", "网站首页", "返回首页", "返回", "更多", "更多>>", "more", "more>>", "查看更多", ">>", "详细", "详情",
     "上一页", "下一页", "上页", "下页", "尾页", "末页", "前页", "后页", "打印", "关闭", "收藏", "顶部"}
)  # fmt: skip


def compact(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def text_of(element: Any) -> str:
    """All text below an element on one line."""
    return compact(" ".join(element.itertext())) if element is not None else ""


def is_element(node: Any) -> bool:
    return isinstance(node.tag, str)


def normalise_url(url: str) -> str:
    """The URL without its fragment (two links differing only there lead to the same page)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


@dataclass(frozen=True)
class Link:
    element: Any
    url: str
    text: str
    title: str

    @property
    def key(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """The link and where the page template puts it: the same key on two pages is template (chrome)."""
        return self.url, tuple(
            (str(ancestor.tag), " ".join(sorted((ancestor.get("class") or "").split())))
            for ancestor in self.element.iterancestors()
        )

    @property
    def label(self) -> str:
        """The link's name: its text, or its title attribute when the text is cut or empty."""
        if self.title and (
            not self.text or self.text.endswith(("...", "…", "..")) or len(self.title) > len(self.text)
        ):
            return self.title
        return self.text


def page_root(response: Any) -> Any | None:
    """The parsed page of a Scrapy text response (None for anything that is not HTML text)."""
    if not hasattr(response, "text"):
        return None
    try:
        return response.selector.root
    except (AttributeError, ValueError, etree.ParserError):
        return None


def resolve(href: str | None, page_url: str) -> str | None:
    """The absolute http(s) URL a link leads to (fragment dropped), or None for javascript:, mailto:, #…"""
    url = absolute_url(href, page_url) if href else None
    return normalise_url(url) if url else None


def site_links(root: Any, page_url: str, netloc: str) -> list[Link]:
    """Every anchor of the page leading to a page of the site (attachments excluded), in document order."""
    found: list[Link] = []
    for anchor in root.iter("a"):
        url = resolve(anchor.get("href"), page_url)
        if url is None or urlsplit(url).netloc != netloc or is_attachment_url(url):
            continue
        found.append(Link(anchor, url, text_of(anchor), compact(anchor.get("title") or "")))
    return found


def script_texts(root: Any) -> list[str]:
    return [script.text for script in root.iter("script") if script.text and script.text.strip()]


def depth(element: Any) -> int:
    count = 0
    while (element := element.getparent()) is not None:
        count += 1
    return count


def json_arrays(script: str) -> Iterator[list[object]]:
    """Arrays of objects a script holds as JSON literals (`var nodes = [{…}, …];`, `render([{…}])`)."""
    decoder = json.JSONDecoder()
    for match in _ARRAY_START.finditer(script):
        start = script.index("[", match.start())
        try:
            value, _end = decoder.raw_decode(script, start)
        except ValueError:
            continue
        if isinstance(value, list):
            yield value
