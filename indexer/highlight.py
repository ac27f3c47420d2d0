"""Snippets with <mark> around the query terms, computed in Python on the stored text (same for every backend).

Matching follows `indexer.analysis.term_pattern`, i.e. exactly what the index matched, so a highlighted
window always shows a real hit.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import lru_cache

from indexer.analysis import normalize_for_scan, term_pattern

SNIPPET_CHARS = 80
MAX_SNIPPETS = 3


@lru_cache(maxsize=512)
def _pattern(term: str) -> re.Pattern[str]:
    return term_pattern(term)


def find_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of every match of any term in text."""
    if not text or not terms:
        return []
    scan = normalize_for_scan(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term.strip():
            continue
        spans.extend(match.span() for match in _pattern(term).finditer(scan) if match.end() > match.start())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """HTML-escape text and wrap each span in <mark>."""
    parts: list[str] = []
    cursor = 0
    for start, end in spans:
        parts.append(html.escape(text[cursor:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    parts.append(html.escape(text[cursor:]))
    return "".join(parts)


def _clean(text: str) -> str:
    return " ".join(text.split())


def snippets(
    text: str,
    terms: Sequence[str],
    *,
    width: int = SNIPPET_CHARS,
    max_snippets: int = MAX_SNIPPETS,
) -> list[str]:
    """Up to `max_snippets` windows of about `width` characters around hits, escaped, with <mark>.

    Returns [] when no term occurs in text.
    """
    text = _clean(text)
    spans = find_spans(text, terms)
    if not spans:
        return []
    windows: list[tuple[int, int]] = []
    for start, end in spans:
        if windows and start < windows[-1][1]:
            continue  # already shown in the previous window
        if len(windows) == max_snippets:
            break
        centre = (start + end) // 2
        window_start = max(0, min(centre - width // 2, len(text) - width))
        window_end = min(len(text), max(window_start + width, end))
        if windows and window_start < windows[-1][1]:
            window_start = windows[-1][1]
        # never cut a hit in half at the window's end
        window_end = max([window_end, *(e for s, e in spans if s < window_end < e)])
        windows.append((window_start, window_end))
    result: list[str] = []
    for window_start, window_end in windows:
        inside = [
            (max(start, window_start) - window_start, min(end, window_end) - window_start)
            for start, end in spans
            if start < window_end and end > window_start
        ]
        piece = mark(text[window_start:window_end], inside)
        prefix = "…" if window_start > 0 else ""
        suffix = "…" if window_end < len(text) else ""
        result.append(f"{prefix}{piece}{suffix}")
    return result


def highlight_title(title: str, terms: Sequence[str]) -> str:
    """The whole title, escaped, with <mark> around hits."""
    title = _clean(title)
    return mark(title, find_spans(title, terms))


def record_snippets(body: str, attachment_texts: Sequence[str], terms: Sequence[str]) -> list[str]:
    """Snippets from the body, falling back to attachment text, then to the body's opening."""
    found = snippets(body, terms)
    if found:
        return found
    for attachment_text in attachment_texts:
        found = snippets(attachment_text, terms)
        if found:
            return found
    opening = _clean(body)[:SNIPPET_CHARS]
    if not opening:
        return []
    return [html.escape(opening) + ("…" if len(_clean(body)) > SNIPPET_CHARS else "")]
