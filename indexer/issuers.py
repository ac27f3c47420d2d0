"""Issuing agencies (发布机构 / 发文机关): clean the printed value and split joint issuers (联合发文).

Joint issuers are kept in their printed order (the first is the lead agency, 主办机关) and joined by
``、``. Separators: ``、 ， , ; ； / ｜ |`` and line breaks, and a plain space between two organisation
names — a space splits only when the text before it ends like an organisation (…厅, …局, …政府), so
letter-spaced names (``国 务 院``, ``济南市 人民政府``) are closed up instead.
"""

from __future__ import annotations

import re

__all__ = ["clean_issuer", "split_issuers"]

_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")
_HARD_SEPARATORS = re.compile(r"[、，,;；/／|｜\n\r\t]+")
_SPACES = re.compile(r"\s+")
_LABEL = re.compile(r"^(?:发布机构|发文机关|发文机构|发文单位|发布单位|来源|信息来源|发布者|机构)\s*[:：]\s*")
# characters stripped from both ends of each issuer (brackets only when unbalanced, see _strip_edges)
_EDGE_PUNCTUATION = "\"'“”‘’「」『』《》<>·•.。:：!！?？*＊#＃_－—-~～ "
_BRACKET_PAIRS = {"(": ")", "（": "）", "[": "]", "【": "】", "〔": "〕", "［": "］"}
# last characters that end an organisation name; a space after one separates two issuers
_ORG_ENDINGS = frozenset("府厅局委会部院室署办心处司所站队社团馆行校组协联盟")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]$|^[A-Za-z0-9]")


_MAX_WRAPPING_LAYERS = 8
_ALL_BRACKETS = "".join(_BRACKET_PAIRS) + "".join(_BRACKET_PAIRS.values())


def _strip_edges(part: str) -> str:
    for _ in range(_MAX_WRAPPING_LAYERS):
        previous = part
        part = part.strip(_EDGE_PUNCTUATION)
        for opening, closing in _BRACKET_PAIRS.items():
            if part.startswith(opening) and part.endswith(closing):
                part = part[1:-1]
            if part.startswith(opening) and closing not in part:
                part = part[1:]
            if part.endswith(closing) and opening not in part:
                part = part[:-1]
            if part.endswith(opening):
                part = part[:-1]
            if part.startswith(closing):
                part = part[1:]
        if part == previous:
            return part
    # deeper nesting than any real value: drop every bracket left on the edges
    return part.strip(_EDGE_PUNCTUATION + _ALL_BRACKETS)


def _split_on_spaces(chunk: str) -> list[str]:
    words = [word for word in _SPACES.split(chunk) if word]
    issuers: list[str] = []
    current = ""
    for word in words:
        if not current:
            current = word
        elif current[-1] in _ORG_ENDINGS and len(word) >= 2 and len(current) >= 2:
            issuers.append(current)
            current = word
        elif _ASCII_WORD.search(current[-1]) and _ASCII_WORD.search(word[0]):
            current = f"{current} {word}"
        else:
            current += word
    if current:
        issuers.append(current)
    return issuers


def split_issuers(text: str | None) -> list[str]:
    """The issuers named in `text`, cleaned, in printed order, without duplicates."""
    if not isinstance(text, str):
        return []
    text = _INVISIBLE.sub("", text)
    text = _LABEL.sub("", text.strip())
    issuers: list[str] = []
    for chunk in _HARD_SEPARATORS.split(text):
        for part in _split_on_spaces(chunk):
            cleaned = _strip_edges(part)
            if cleaned and cleaned not in issuers:
                issuers.append(cleaned)
    return issuers


def clean_issuer(text: str | None) -> str | None:
    """The cleaned issuer value, joint issuers joined by '、'; None when nothing is left."""
    issuers = split_issuers(text)
    return "、".join(issuers) if issuers else None
