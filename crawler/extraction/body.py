"""The body text of a detail page, without site furniture, one paragraph per line.

The container is a known one (`#UCAP-CONTENT`, `.TRS_Editor`, `#zoom`, …) when present, otherwise
the block with the most non-link text (a small readability-style score). Inside it, furniture is
dropped by tag, by class/id, and by the marker words that open it (点击排行, 分享到, 【打印】, …).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction.tree import BLOCK_TAGS, block_lines, class_tokens, glued_text

# (rank, element) for the known containers; lower rank wins
_ID_CONTAINERS = {
    "UCAP-CONTENT": 0,
    "zoom": 3,
    "ivs_content": 5,
    "Article_content": 6,
    "article_content": 6,
    "articleContent": 6,
    "content": 9,
}
_CLASS_CONTAINERS = {
    "TRS_Editor": 1,
    "trs_editor_view": 2,
    "TRS_PreAppend": 2,
    "article-content": 4,
    "article_content": 4,
    "Article_content": 6,
    "pages_content": 7,
    "content": 10,
}
_GENERIC_RANK = 9  # `.content` / `#content` are weak hints: only used when they hold real text
_MIN_CONTAINER_CHARS = 1  # an empty container is one a script fills (gkmlpt): look elsewhere

_FURNITURE_TAGS = frozenset(
    {"nav", "header", "footer", "aside", "form", "button", "select", "input", "iframe", "object", "embed",
     "script", "style", "noscript", "template", "textarea", "svg", "map"}
)  # fmt: skip
_FURNITURE_TOKEN_PARTS = re.compile(
    # nav and menu only as a word of the name (subnav, nav_list, navbar), never inside one (canvas, navo)
    r"nav(?=$|[-_\d]|bar|igation|list|item|box|s$)|menu(?=$|[-_\d]|bar|list|item|box|s$)|"
    r"breadcrumb|crumb|share|footer|copyright|sidebar|rank|tuijian|recommend|related|relevant|"
    r"xglj|xgwz|dqwz|toolbar|fontsize|print|bdshare|position|location|banner|pager|pagination|comment",
    re.IGNORECASE,
)
_FURNITURE_TOKENS = frozenset({"foot", "bottom", "top", "head", "header", "side", "hot", "hots", "tools", "close", "left", "right", "zihao"})  # fmt: skip

# A block whose text starts with one of these is furniture (when short).
_FURNITURE_START = re.compile(
    r"^[\s【\[（(]*(?:当前位置|您当前的位置|您现在的位置|您的位置|现在位置|所在位置|点击排行|排行榜|推荐阅读|"
    r"相关链接|相关文章|相关阅读|相关新闻|相关信息|相关文件|上一篇|下一篇|打印本页|关闭窗口|网站标识码|"
    r"版权所有|主办单位|承办单位|技术支持|联系我们|网站地图|浏览次数|访问量|阅读次数|扫一扫|返回顶部|"
    r"(?:分享到|分享|字体|字号|主办)\s*[:：]|[【\[](?:打印|关闭|收藏|字体|分享))"
)
_FURNITURE_ANYWHERE = re.compile(r"网站标识码|ICP备|版权所有|Copyright|©|京公网安备|公网安备|政府网站标识码")
_FURNITURE_BLOCK_MAX_CHARS = 160
# Section headings after which every following sibling list/link block is furniture.
_SECTION_HEADINGS = re.compile(
    r"^(?:点击排行|推荐阅读|相关链接|相关文章|相关阅读|相关新闻|热点新闻|热门文章|猜你喜欢)\s*[:：]?$"
)

_LINE_FURNITURE = re.compile(
    r"^(?:[（(]\s*责任编辑\s*[:：][^）)]*[）)]|责任编辑\s*[:：].{0,20}|"
    r"(?:【\s*(?:打印|关闭|字体|大|中|小|收藏|返回顶部|打印本页|关闭窗口)[^】]*】\s*)+|"
    r"(?:\[\s*(?:打印|关闭)\s*\]\s*)+|分享到\s*[:：]?.{0,40}|字[体号]\s*[:：]\s*[大中小\s]+|"
    r"(?:打印本页|关闭窗口|打印|关闭)(?:\s+(?:打印本页|关闭窗口|打印|关闭))*)$"
)
_LINK_DENSITY_LIMIT = 0.5


def is_furniture_element(element: HtmlElement, page_chars: int | None = None) -> bool:
    """Whether the element is site furniture by its tag or class/id (nav, footer, sidebar, …). Given the
    page's text length, a block holding most of the page is never furniture, whatever its class says (a main
    wrapper of a random template may well be called `navo`)."""
    if element.tag in _FURNITURE_TAGS:
        return True
    tokens = class_tokens(element)
    element_id = element.get("id")
    if element_id:
        tokens.append(element_id)
    if not any(
        token.lower() in _FURNITURE_TOKENS or _FURNITURE_TOKEN_PARTS.search(token) for token in tokens
    ):
        return False
    return page_chars is None or text_chars(element) * 2 <= page_chars


def text_chars(element: HtmlElement) -> int:
    return len("".join(glued_text(element).split()))


def known_container(candidates: Iterable[tuple[int, HtmlElement]]) -> HtmlElement | None:
    """The best known container holding text: lowest rank, then the most text."""
    best: tuple[int, int, HtmlElement] | None = None
    for rank, element in candidates:
        length = len("".join(glued_text(element).split()))
        if length < _MIN_CONTAINER_CHARS:
            continue
        if best is None or (rank, -length) < (best[0], -best[1]):
            best = (rank, length, element)
    return best[2] if best else None


def container_rank(element: HtmlElement) -> int | None:
    """The rank of a known container, or None when the element is not one."""
    rank: int | None = None
    element_id = element.get("id")
    if element_id is not None and element_id in _ID_CONTAINERS:
        rank = _ID_CONTAINERS[element_id]
    for token in class_tokens(element):
        token_rank = _CLASS_CONTAINERS.get(token)
        if token_rank is not None and (rank is None or token_rank < rank):
            rank = token_rank
    return rank


def _own_text_length(element: HtmlElement) -> int:
    length = len((element.text or "").strip()) if element.tag != "a" else 0
    for child in element:
        if child.tail:
            length += len(child.tail.strip())
    return length


# elements with a direct text node of 10+ characters (a child's tail counts: it is the parent's text)
_TEXT_HOLDERS = etree.XPath("//*[not(self::a)][text()[string-length(normalize-space()) >= 10]]")


def densest_block(root: HtmlElement) -> HtmlElement | None:
    """The block element with the most paragraph text below it, penalised by link density."""
    scores: dict[HtmlElement, float] = {}
    for element in _TEXT_HOLDERS(root):
        if element.tag in _FURNITURE_TAGS:
            continue
        length = _own_text_length(element)
        if length < 10:
            continue
        target = (
            element if element.tag in {"div", "td", "article", "section", "main"} else element.getparent()
        )
        if target is None:
            continue
        scores[target] = scores.get(target, 0.0) + length
        grandparent = target.getparent()
        if grandparent is not None:
            scores[grandparent] = scores.get(grandparent, 0.0) + length / 2
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:5]
    best: tuple[float, HtmlElement] | None = None
    for element, score in ranked:
        text_length = len(glued_text(element)) or 1
        link_length = sum(len(glued_text(a)) for a in element.iter("a"))
        adjusted = score * (1 - min(link_length / text_length, 1.0))
        if best is None or adjusted > best[0]:
            best = (adjusted, element)
    return best[1] if best else None


def _furniture_by_text(element: HtmlElement) -> bool:
    if element.tag not in BLOCK_TAGS or element.tag in {"br", "hr"}:
        return False
    text = glued_text(element).strip()
    if len(text) > _FURNITURE_BLOCK_MAX_CHARS:
        return False
    return bool(_FURNITURE_START.match(text) or _FURNITURE_ANYWHERE.search(text))


def _link_density(element: HtmlElement) -> float:
    text_length = len("".join(glued_text(element).split())) or 1
    link_length = sum(len("".join(glued_text(a).split())) for a in element.iter("a"))
    return link_length / text_length


def furniture_inside(container: HtmlElement) -> set[HtmlElement]:
    """Elements below the container that are furniture, to be skipped when reading its text."""
    skipped: set[HtmlElement] = set()
    page_chars = text_chars(container)
    for element in container.iterdescendants():
        if not isinstance(element.tag, str) or element in skipped:
            continue
        if any(ancestor in skipped for ancestor in element.iterancestors()):
            continue
        if is_furniture_element(element, page_chars) or _furniture_by_text(element):
            skipped.add(element)
            text = glued_text(element).strip()
            if _SECTION_HEADINGS.match(text):
                _skip_following_link_blocks(element, skipped)
    return skipped


def _skip_following_link_blocks(heading: HtmlElement, skipped: set[HtmlElement]) -> None:
    sibling = heading.getnext()
    while sibling is not None:
        if sibling.tag in {"ul", "ol", "dl", "table"} or _link_density(sibling) > _LINK_DENSITY_LIMIT:
            skipped.add(sibling)
            sibling = sibling.getnext()
        else:
            break


def body_lines(container: HtmlElement, exclude: set[HtmlElement]) -> list[str]:
    skipped = furniture_inside(container) | exclude
    return [line for line in block_lines(container, skipped) if not _LINE_FURNITURE.match(line)]
