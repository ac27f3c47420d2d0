"""Serve generated department sites on 127.0.0.1, one ephemeral port per site, from a background thread."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from datetime import date
from types import TracebackType

from aiohttp import web

from portal.generated.manifest import GeneratedManifest, build_manifest
from portal.generated.render import SiteRenderer
from portal.generated.site import GenSite, generate_site
from portal.server import LoggedRequest

RENDERER_KEY = web.AppKey("renderer", SiteRenderer)
SITE_KEY = web.AppKey("site_id", str)


class GeneratedPortal:
    """`with GeneratedPortal(seed=3, sites=30) as portal:` — `portal.base_urls`, `portal.manifest()`.

    `sites` is a count (sites 1..N) or the site numbers to serve (to replay one site of a larger run).
    `today` defaults to the real date: lists that print only MM-DD leave the year to be inferred from the
    reader's today, and a crawler reads the wall clock. The same (seed, today) always gives the same sites."""

    def __init__(
        self, seed: int, sites: int | Sequence[int], *, today: date | None = None, host: str = "127.0.0.1"
    ) -> None:
        numbers = range(1, sites + 1) if isinstance(sites, int) else sites
        self.seed = seed
        self.today = today or date.today()
        self.host = host
        self.generated: list[GenSite] = [generate_site(seed, n, self.today) for n in numbers]
        self.base_urls: dict[str, str] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._request_log: list[LoggedRequest] | None = None

    def record_requests(self) -> None:
        """Keep a log of every request from now on, as `PortalServer` does (who crawled which site when)."""
        self._request_log = []

    def request_log(self) -> list[LoggedRequest]:
        return list(self._request_log or [])

    def manifest(self) -> GeneratedManifest:
        return build_manifest(self.seed, self.today, [(s, self.base_urls[s.id]) for s in self.generated])

    def start(self) -> GeneratedPortal:
        self._thread = threading.Thread(target=self._main, name="gongkai-generated-portal", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=60)
        if self._error is not None:
            raise RuntimeError(f"generated portal failed to start: {self._error}") from self._error
        if not self._ready.is_set():
            raise RuntimeError("generated portal did not start within 60 s")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stopped is not None:
            self._loop.call_soon_threadsafe(self._stopped.set)
        if self._thread is not None:
            self._thread.join(timeout=30)
        self._thread = None

    def __enter__(self) -> GeneratedPortal:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as error:  # surfaced to start()
            self._error = error
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        runners: list[web.AppRunner] = []
        try:
            for site in self.generated:
                renderer = SiteRenderer(site, f"http://{self.host}/")
                app = web.Application()
                app[RENDERER_KEY] = renderer
                app[SITE_KEY] = site.id
                app.router.add_route("GET", "/{tail:.*}", self._handle)
                runner = web.AppRunner(app, access_log=None, handle_signals=False)
                await runner.setup()
                runners.append(runner)
                tcp = web.TCPSite(runner, self.host, 0, reuse_address=True)
                await tcp.start()
                server = tcp._server
                assert server is not None and server.sockets
                port = server.sockets[0].getsockname()[1]
                base_url = f"http://{self.host}:{port}/"
                self.base_urls[site.id] = base_url
                renderer.base_url = base_url.rstrip("/")  # known only once the port is bound
            self._ready.set()
            await self._stopped.wait()
        finally:
            for runner in runners:
                await runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        if self._request_log is not None:
            self._request_log.append(
                LoggedRequest(
                    at=time.monotonic(),
                    site=request.app[SITE_KEY],
                    path=request.path_qs,
                    user_agent=request.headers.get("User-Agent", ""),
                )
            )
        return _respond(request)


def _respond(request: web.Request) -> web.Response:
    renderer = request.app[RENDERER_KEY]
    try:
        page = renderer.handle(request.path, request.query_string)
    except Exception as error:  # a bug must show as a 500, never kill the server
        return web.Response(status=500, text=f"internal error: {type(error).__name__}: {error}")
    style = renderer.style
    if page.content_type != "text/html":
        return web.Response(
            status=page.status, body=page.body.encode("utf-8"), content_type=page.content_type
        )
    body = page.body.encode(style.encoding, errors="xmlcharrefreplace")
    content_type = "text/html" + (f"; charset={style.encoding}" if style.header_charset else "")
    return web.Response(status=page.status, body=body, headers={"Content-Type": content_type})
