"""Values that pages hide in JavaScript: `var fileNum='…'; document.write(fileNum)` and gkmlpt's
`window._CONFIG = {…, DETAIL: {…}}` holding \\u-escaped HTML."""

from __future__ import annotations

import json
import re
from typing import Any

_JS_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|%u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\(.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "", "f": "", "v": "", "0": ""}
# `name = '…'` (var / let / const / property assignment) or `name: "…"` inside an object literal
_STRING_ASSIGNMENT = re.compile(
    r"""(?P<key>[A-Za-z_$][\w$]*|"[A-Za-z_][\w]*"|'[A-Za-z_][\w]*')\s*[:=]\s*"""
    r"""(?:(?P<q>["'])(?P<value>(?:\\.|(?!(?P=q)).){0,2000}?)(?P=q)|(?P<number>-?\d{8,13})\b)""",
    re.DOTALL,
)
_DETAIL_START = re.compile(r"""\bDETAIL["']?\s*[:=]\s*(?=\{)""")
_MAX_SCRIPT_CHARS = 2_000_000


def js_unescape(text: str) -> str:
    """Undo JavaScript string escapes and the legacy `%uXXXX` form of `escape()`."""
    if "\\" not in text and "%u" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        hex4 = match.group(1) or match.group(2)
        if hex4:
            return chr(int(hex4, 16))
        if match.group(3):
            return chr(int(match.group(3), 16))
        char = match.group(4)
        return _SIMPLE_ESCAPES.get(char, char)

    return _JS_ESCAPE.sub(replace, text)


def script_assignments(script: str) -> list[tuple[str, str]]:
    """(key, unescaped value) for every string or long-number assignment in a script."""
    if len(script) > _MAX_SCRIPT_CHARS:
        script = script[:_MAX_SCRIPT_CHARS]
    found: list[tuple[str, str]] = []
    for match in _STRING_ASSIGNMENT.finditer(script):
        key = match.group("key").strip("\"'")
        value = match.group("value")
        found.append((key, js_unescape(value) if value is not None else match.group("number")))
    return found


def detail_payload(script: str) -> dict[str, Any] | None:
    """The object assigned to `DETAIL` in a gkmlpt `_CONFIG` script, when it is valid JSON."""
    match = _DETAIL_START.search(script)
    if not match:
        return None
    try:
        payload, _ = json.JSONDecoder().raw_decode(script, match.end())
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None
