"""The next page of a list, whatever the pager looks like: a next link by its text (下一页, 下页, 后页, 后一页, >,
›, », Next, …) or `rel=next`; numbered links (the one after the current page); TRS `createPageHTML(count,
current, "index", "html")` with literal numbers or variables (`var countPage = 5`); or "共N页" with a script
that builds page URLs (`function goPage(n){ location.href = "list_" + n + ".html"; }`), including next links
that call such a function. A next link back to the same page is the last page, not a loop to follow."""

from __future__ import annotations

import re
from typing import Any

from crawler.discovery.page import compact, normalise_url, resolve, text_of

NEXT_TEXTS = frozenset(
    {
        "下一页",
        "下页",
        "后页",
        "后一页",
        "下一頁",
        "下壹页",
        ">",
        "›",
        "»",
        ">>",
        "next",
        "next>",
        "next»",
        "nextpage",
    }
)
_DECORATION = re.compile(r"^[\[【(（<《\s]+|[\]】)）>》»›\s]+$")
_CREATE_PAGE = re.compile(
    r"createPage(?:HTML)?\s*\(\s*([\w$.]+)\s*,\s*([\w$.]+)\s*,\s*[\"']([^\"']+)[\"']\s*,\s*[\"']([^\"']+)[\"']"
)
_VAR_NUMBER = re.compile(r"(?:var|let|const)?\s*([A-Za-z_$][\w$]*)\s*=\s*(\d+)\s*[;,\n]")
_TOTAL_PAGES = re.compile(r"共\s*(\d+)\s*页")
_FUNCTION = re.compile(r"function\s+([A-Za-z_$][\w$]*)\s*\(\s*([\w$\s,]*)\)\s*\{")
_LOCATION = re.compile(r"(?:window\.|document\.|self\.)?location(?:\.href)?\s*=\s*([^;}\n]+)")
_CALL = re.compile(r"^\s*(?:javascript:)?\s*([A-Za-z_$][\w$]*)\s*\(([^)]*)\)")
_TOKEN = re.compile(r"\s*(?:\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)'|(\d+)|([A-Za-z_$][\w$]*)|([-+()]))")


def _is_next_text(text: str) -> bool:
    value = compact(text).lower().replace(" ", "")
    if value in NEXT_TEXTS:
        return True
    stripped = _DECORATION.sub("", value)
    return stripped in NEXT_TEXTS and stripped != ""


def _evaluate(expression: str, names: dict[str, int]) -> str | None:
    """A JavaScript concatenation of string literals, numbers and the named integers (`"list_" + (n - 1) +
    ".html"`); None for anything else."""
    tokens: list[tuple[str, Any]] = []
    position = 0
    expression = expression.strip()
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if not match or match.end() == position:
            return None
        position = match.end()
        double, single, number, name, operator = match.groups()
        if double is not None or single is not None:
            tokens.append(("str", (double if double is not None else single).replace("\\/", "/")))
        elif number is not None:
            tokens.append(("num", int(number)))
        elif name is not None:
            if name not in names:
                return None
            tokens.append(("num", names[name]))
        else:
            tokens.append(("op", operator))
    index = 0

    def term() -> Any:
        nonlocal index
        if index >= len(tokens):
            raise ValueError("expression ends early")
        kind, value = tokens[index]
        index += 1
        if kind == "op" and value == "(":
            result = expr()
            if index >= len(tokens) or tokens[index] != ("op", ")"):
                raise ValueError("unbalanced parenthesis")
            index += 1
            return result
        if kind == "op":
            raise ValueError(f"unexpected {value}")
        return value

    def expr() -> Any:
        nonlocal index
        result = term()
        while index < len(tokens) and tokens[index][0] == "op" and tokens[index][1] in "+-":
            operator = tokens[index][1]
            index += 1
            right = term()
            if operator == "-":
                if not (isinstance(result, int) and isinstance(right, int)):
                    raise ValueError("minus on text")
                result -= right
            elif isinstance(result, int) and isinstance(right, int):
                result += right
            else:
                result = f"{result}{right}"
        return result

    try:
        value = expr()
    except ValueError:
        return None
    return value if isinstance(value, str) and index == len(tokens) else None


def _functions(scripts: list[str]) -> dict[str, tuple[list[str], str]]:
    """name -> (parameters, body) of every function declared in the page's scripts."""
    found: dict[str, tuple[list[str], str]] = {}
    for script in scripts:
        for match in _FUNCTION.finditer(script):
            level, end = 1, match.end()
            while end < len(script) and level:
                level += {"{": 1, "}": -1}.get(script[end], 0)
                end += 1
            params = [p.strip() for p in match.group(2).split(",") if p.strip()]
            found[match.group(1)] = (params, script[match.end() : end - 1])
    return found


def _call_target(call: str, functions: dict[str, tuple[list[str], str]], page_url: str) -> str | None:
    """Where `goPage(3)` sends the browser, read from goPage's own `location.href = …`."""
    match = _CALL.match(call)
    if not match or match.group(1) not in functions:
        return None
    params, body = functions[match.group(1)]
    args = [a.strip().strip("'\"") for a in match.group(2).split(",") if a.strip()]
    try:
        names = {param: int(arg) for param, arg in zip(params, args, strict=False)}
    except ValueError:
        return None
    assignments = _LOCATION.findall(body)
    if not assignments:
        return None
    target = _evaluate(assignments[-1], names)  # the last one is the general case (earlier ones: page 1)
    return resolve(target, page_url) if target else None


def _number(text: str) -> int | None:
    value = compact(text).strip("[]【】()（） ")
    return int(value) if value.isdigit() and len(value) <= 5 else None


def _variables(scripts: list[str]) -> dict[str, int]:
    names: dict[str, int] = {}
    for script in scripts:
        for name, value in _VAR_NUMBER.findall(script):
            names[name] = int(value)
    return names


def next_page_url(root: Any, page_url: str, page: int, scripts: list[str]) -> str | None:
    """URL of the list page after `page` (1-based), or None on the last page."""
    here = normalise_url(page_url)
    functions: dict[str, tuple[list[str], str]] | None = None
    numbered: str | None = None
    text_next: str | None = None
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        label = text_of(anchor) or compact(anchor.get("title") or "")
        is_next = _is_next_text(label) or "next" in (anchor.get("rel") or "").lower().split()
        number = None if is_next else _number(label)
        if not is_next and number != page + 1:
            continue
        target = resolve(href, page_url)
        if target is None:
            call = href if href.lower().startswith("javascript:") else (anchor.get("onclick") or "")
            if functions is None:
                functions = _functions(scripts)
            target = _call_target(call.removeprefix("javascript:"), functions, page_url)
        if target is None or target == here:
            continue
        if is_next and text_next is None:
            text_next = target
        elif number == page + 1 and numbered is None:
            numbered = target
    if text_next or numbered:
        return text_next or numbered
    return _from_scripts(root, page_url, page, scripts, functions)


def _from_scripts(
    root: Any,
    page_url: str,
    page: int,
    scripts: list[str],
    functions: dict[str, tuple[list[str], str]] | None,
) -> str | None:
    variables = _variables(scripts)
    for script in scripts:
        for match in _CREATE_PAGE.finditer(script):
            count, current = (
                int(v) if v.isdigit() else variables.get(v.split(".")[-1]) for v in match.groups()[:2]
            )
            if count is None or current is None:
                continue
            if current + 1 < count:
                target = resolve(f"{match.group(3)}_{current + 1}.{match.group(4)}", page_url)
                return target if target != normalise_url(page_url) else None
            return None
    body = root.find("body")
    total = _TOTAL_PAGES.search(text_of(body if body is not None else root))
    if total is None or page >= int(total.group(1)):
        return None
    functions = functions if functions is not None else _functions(scripts)
    for name, (params, body_text) in functions.items():
        if len(params) == 1 and _LOCATION.search(body_text):
            target = _call_target(f"{name}({page + 1})", functions, page_url)
            if target and target != normalise_url(page_url):
                return target
    return None
