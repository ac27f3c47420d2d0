"""The way into a site's disclosure catalogue (政府信息公开目录): links named like one, best first. A catalogue
name (信息公开目录, 法定主动公开内容, 主动公开目录) outranks a gateway name (政务公开, 信息公开), which often
leads to a page that links on to the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.discovery.page import Link

CATALOGUE_WORDS = ("信息公开目录", "公开目录", "主动公开内容", "主动公开信息", "主动公开")
GATEWAY_WORDS = ("政府信息公开", "信息公开", "政务公开", "政务信息")
NOT_CATALOGUE_WORDS = ("依申请", "申请", "指南", "年报", "年度报告", "制度", "规定", "意见", "监督", "举报",
                       "咨询", "留言", "平台", "网站")  # fmt: skip
MAX_CATALOGUE_TEXT = 14


@dataclass(frozen=True)
class CatalogueLink:
    url: str
    text: str
    strength: int  # 2: names a catalogue, 1: names a disclosure gateway


def link_strength(text: str) -> int:
    compact = text.replace(" ", "")
    if not compact or len(compact) > MAX_CATALOGUE_TEXT or any(w in compact for w in NOT_CATALOGUE_WORDS):
        return 0
    # the name must be mostly the word: 重点领域信息公开专栏 is a column about one field, not the catalogue
    for words, strength, other_chars in ((CATALOGUE_WORDS, 2, 4), (GATEWAY_WORDS, 1, 2)):
        word = next((w for w in words if w in compact), None)
        if word is not None and len(compact) - len(word) <= other_chars:
            return strength
    return 0


def catalogue_links(links: list[Link], exclude: set[str]) -> list[CatalogueLink]:
    """Links that may lead to the catalogue, strongest first (document order within a strength)."""
    found: dict[str, CatalogueLink] = {}
    for link in links:
        strength = link_strength(link.label)
        if strength and link.url not in exclude:
            known = found.get(link.url)
            if known is None or known.strength < strength:
                found[link.url] = CatalogueLink(link.url, link.label, strength)
    return sorted(found.values(), key=lambda c: -c.strength)
