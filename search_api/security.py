"""Response headers that keep harvested content inert: a strict CSP on pages, nosniff everywhere."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The UI has no JavaScript at all: scripts are simply not allowed.
UI_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
COMMON_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
    b"x-frame-options": b"DENY",
}
# the interactive API docs load their own scripts; they show no harvested content
_CSP_EXEMPT_PREFIXES = ("/docs", "/redoc")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        exempt = scope.get("path", "").startswith(_CSP_EXEMPT_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in COMMON_HEADERS.items():
                    if name not in present:
                        headers.append((name, value))
                if not exempt and b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", UI_CSP.encode("ascii")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class DropEmptyFormFieldsMiddleware:
    """HTML forms send every field, empty ones too (`has_doc_number=`); on UI pages an empty field means unset."""

    def __init__(
        self, app: ASGIApp, prefixes: tuple[str, ...] = ("/ui/",), exact: tuple[str, ...] = ("/",)
    ) -> None:
        self.app = app
        self.prefixes = prefixes
        self.exact = exact

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope.get("path", "")
            if path in self.exact or path.startswith(self.prefixes):
                pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
                kept = [(k, v) for k, v in pairs if v.strip()]
                if len(kept) != len(pairs):
                    scope = dict(scope)
                    scope["query_string"] = urlencode(kept).encode("latin-1")
        await self.app(scope, receive, send)
