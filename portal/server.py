"""The aiohttp server: one event loop, one TCPSite per department site, faults applied per request."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from types import TracebackType

from aiohttp import web
from pydantic import BaseModel

from portal.attachments import AttachmentStore
from portal.config import PortalConfig
from portal.faults import AttemptCounter, FaultDecision, decide
from portal.manifest import PortalManifest, build_manifest, write_manifest
from portal.platforms.base import RequestInfo
from portal.platforms.common import Page
from portal.routing import AttachmentResponse, attachment_store, content_disposition, route
from portal.sites import SITES, site_spec

CHINA_TZ = timezone(timedelta(hours=8))
SITE_KEY = web.AppKey("site_id", str)


class SiteInfo(BaseModel):
    id: str
    name: str
    department: str
    platform: str
    base_url: str


class LoggedRequest(BaseModel):
    """One request as the portal saw it: when (monotonic seconds), which site, and who asked (User-Agent)."""

    at: float
    site: str
    path: str
    user_agent: str


class PortalServer:
    """Serves every site of the portal. Use as a context manager (background thread) or `run_forever`."""

    def __init__(self, config: PortalConfig | None = None) -> None:
        self._config = config or PortalConfig()
        self._store: AttachmentStore = attachment_store(self._config)
        self._attempts = AttemptCounter()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runners: list[web.AppRunner] = []
        self._ready = threading.Event()
        self._stopped: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._request_log: list[LoggedRequest] | None = None

    # ---- public API -------------------------------------------------------------------------------
    @property
    def config(self) -> PortalConfig:
        return self._config

    @property
    def sites(self) -> list[SiteInfo]:
        return [
            SiteInfo(
                id=s.id,
                name=s.name,
                department=s.department,
                platform=s.platform,
                base_url=self._config.base_url(s.id),
            )
            for s in SITES
        ]

    def base_url(self, site_id: str) -> str:
        site_spec(site_id)
        return self._config.base_url(site_id)

    def set_epoch(self, epoch: int) -> None:
        """Move the portal's clock: pages served from now on show the given epoch."""
        if not 0 <= epoch <= 1:
            raise ValueError(f"epoch must be 0 or 1, not {epoch}")
        self._config = self._config.model_copy(update={"epoch": epoch})
        self._attempts.clear()

    def record_requests(self) -> None:
        """Keep a log of every request from now on (tests check who crawled which site when)."""
        self._request_log = []

    def request_log(self) -> list[LoggedRequest]:
        return list(self._request_log or [])

    def manifest(self) -> PortalManifest:
        return build_manifest(self._config, self._store)

    def write_manifest(self, path: Path) -> int:
        return write_manifest(self._config, path)

    def start(self) -> PortalServer:
        self._thread = threading.Thread(target=self._thread_main, name="gongkai-portal", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=30)
        if self._error is not None:
            raise RuntimeError(f"portal failed to start: {self._error}") from self._error
        if not self._ready.is_set():
            raise RuntimeError("portal did not start within 30 s")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stopped is not None:
            self._loop.call_soon_threadsafe(self._stopped.set)
        if self._thread is not None:
            self._thread.join(timeout=30)
        self._thread = None

    def __enter__(self) -> PortalServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def run_forever(self) -> None:
        """Serve in the foreground until interrupted."""
        asyncio.run(self._serve(on_ready=None))

    async def serve(self, on_ready: threading.Event | None = None) -> None:
        await self._serve(on_ready)

    # ---- internals --------------------------------------------------------------------------------
    def _thread_main(self) -> None:
        try:
            asyncio.run(self._serve(on_ready=self._ready))
        except BaseException as error:  # surfaced to start()
            self._error = error
            self._ready.set()

    async def _serve(self, on_ready: threading.Event | None) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        ports: dict[str, int] = {}
        try:
            for site in SITES:
                app = web.Application(client_max_size=1024 * 1024)
                app[SITE_KEY] = site.id
                app.router.add_route("*", "/{tail:.*}", self._handle)
                runner = web.AppRunner(app, access_log=None, handle_signals=False)
                await runner.setup()
                self._runners.append(runner)
                port = 0 if self._config.base_port == 0 else self._config.base_port + site.number
                tcp = web.TCPSite(runner, self._config.host, port, reuse_address=True)
                await tcp.start()
                server = tcp._server
                assert server is not None and server.sockets
                ports[site.id] = server.sockets[0].getsockname()[1]
            self._config = self._config.model_copy(update={"site_ports": ports})
            if on_ready is not None:
                on_ready.set()
            await self._stopped.wait()
        finally:
            for runner in self._runners:
                await runner.cleanup()
            self._runners.clear()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        site_id = request.app[SITE_KEY]
        config = self._config
        if self._request_log is not None:
            self._request_log.append(
                LoggedRequest(
                    at=time.monotonic(),
                    site=site_id,
                    path=request.path_qs,
                    user_agent=request.headers.get("User-Agent", ""),
                )
            )
        form: dict[str, str] = {}
        if request.method == "POST":
            with contextlib.suppress(ValueError, UnicodeDecodeError):
                form = {k: str(v) for k, v in (await request.post()).items()}
        info = RequestInfo(request.method, request.path, dict(request.query), form)
        faults = config.faults_for(site_id)
        decision = FaultDecision()
        if faults is not None and request.path not in ("/robots.txt", "/sitemap.xml"):
            url_key = request.path_qs + (
                "?" + "&".join(f"{k}={form[k]}" for k in sorted(form)) if form else ""
            )
            attempt = self._attempts.next(site_id, url_key)
            decision = decide(
                config.seed, site_id, url_key, attempt, faults, site_spec(site_id).encoding != "utf-8"
            )
        if decision.delay:
            await asyncio.sleep(decision.delay)
        if decision.reset:
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError
        if decision.status_503:
            return web.Response(
                status=503,
                text="<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
                content_type="text/html",
                headers={"Retry-After": "1"},
            )
        try:
            result = route(config, site_id, info)
        except Exception as error:  # a bug must show as a 500, never kill the server
            return web.Response(status=500, text=f"internal error: {type(error).__name__}: {error}")
        if isinstance(result, AttachmentResponse):
            return await self._send_attachment(request, site_id, result, decision)
        return await self._send_page(request, site_id, result, decision)

    async def _send_page(
        self, request: web.Request, site_id: str, page: Page, decision: FaultDecision
    ) -> web.StreamResponse:
        site = site_spec(site_id)
        headers = dict(page.headers)
        if isinstance(page.body, bytes):
            body = page.body
            charset = None
        elif page.encode_as_site and page.content_type == "text/html":
            body = page.body.encode(site.encoding, errors="xmlcharrefreplace")
            charset = "utf-8" if decision.wrong_charset else site.charset_label
        else:
            body = page.body.encode("utf-8")
            charset = "utf-8"
        if page.last_modified is not None:
            modified = page.last_modified.replace(microsecond=0)
            headers["Last-Modified"] = format_datetime(_as_utc(modified), usegmt=True)
            since = request.headers.get("If-Modified-Since")
            if site.platform == "trs" and since and page.status == 200 and _not_modified(since, modified):
                return web.Response(status=304, headers=headers)
        content_type = page.content_type + (f"; charset={charset}" if charset else "")
        headers["Content-Type"] = content_type
        if page.status in (301, 302):
            return web.Response(status=page.status, headers=headers)
        if decision.truncate and len(body) > 2:
            return await _truncated(request, page.status, headers, body)
        return web.Response(status=page.status, body=body, headers=headers)

    async def _send_attachment(
        self, request: web.Request, site_id: str, result: AttachmentResponse, decision: FaultDecision
    ) -> web.StreamResponse:
        spec, doc = result.spec, result.doc
        size = await asyncio.to_thread(self._store.size, site_id, doc.docid, spec)
        headers = {
            "Content-Type": spec.media_type,
            "Content-Disposition": content_disposition(spec),
            "Last-Modified": format_datetime(_as_utc(doc.published_at.replace(microsecond=0)), usegmt=True),
        }
        if spec.kind != "oversized":
            data = await asyncio.to_thread(self._store.content, site_id, doc.docid, spec)
            if decision.truncate:
                return await _truncated(request, 200, headers, data)
            return web.Response(body=data, headers=headers)
        response = web.StreamResponse(status=200, headers=headers)
        response.content_length = size
        await response.prepare(request)
        try:
            if request.method != "HEAD":
                for chunk in self._store.chunks(site_id, doc.docid, spec):
                    await response.write(chunk)
            await response.write_eof()
        except ConnectionError:
            # Crawlers abort oversized downloads at their size limit; that is expected, not a server error.
            pass
        return response


async def _truncated(
    request: web.Request, status: int, headers: dict[str, str], body: bytes
) -> web.StreamResponse:
    """Announce the full length, send about half, then drop the connection."""
    response = web.StreamResponse(status=status, headers=headers)
    response.content_length = len(body)
    await response.prepare(request)
    await response.write(body[: len(body) // 2])
    if request.transport is not None:
        request.transport.abort()
    raise asyncio.CancelledError


def _as_utc(moment: datetime) -> datetime:
    """Portal times are Beijing local times; HTTP dates are GMT."""
    return moment.replace(tzinfo=CHINA_TZ).astimezone(UTC)


def _not_modified(since: str, modified: datetime) -> bool:
    try:
        parsed = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if parsed.tzinfo is None:
        return False
    return _as_utc(modified) <= parsed
