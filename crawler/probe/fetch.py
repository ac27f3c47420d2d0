"""A small synchronous, polite HTTP client for probing: one request at a time, a delay between requests, a
hard request budget, robots.txt honoured like the crawler (ROBOTSTXT_OBEY). It executes the Scrapy requests
adapters build and hands back Scrapy responses, so adapters run unchanged outside the spider."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
from protego import Protego
from scrapy import Request
from scrapy.http import Response
from scrapy.responsetypes import responsetypes

from indexer.config import get_settings


class ProbeError(RuntimeError):
    """The probe cannot go on (site unreachable, not an HTML page, budget spent before the home page)."""


class BudgetExhausted(ProbeError):
    pass


class PoliteFetcher:
    def __init__(
        self,
        *,
        budget: int,
        delay: float = 0.5,
        timeout: float = 20.0,
        obey_robots: bool = True,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.budget = budget
        self.delay = delay
        self.obey_robots = obey_robots
        self.used = 0
        self.progress = progress or (lambda _message: None)
        self.user_agent = get_settings().user_agent
        self._client = httpx.Client(
            timeout=timeout, follow_redirects=True, max_redirects=5, headers={"User-Agent": self.user_agent}
        )
        self._robots: dict[str, Protego | None] = {}
        self._last = 0.0
        self._cache: dict[tuple[str, str, bytes], Response] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PoliteFetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def left(self) -> int:
        return self.budget - self.used

    def allowed(self, url: str) -> bool:
        if not self.obey_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = None
            try:
                answer = self._send("GET", f"{origin}/robots.txt", {}, b"")
                if answer.status_code == 200:
                    self._robots[origin] = Protego.parse(answer.text)
            except httpx.HTTPError:
                pass  # no robots.txt reachable: everything allowed, as Scrapy does
        rules = self._robots[origin]
        return rules is None or rules.can_fetch(url, self.user_agent)

    def fetch(self, request: Request) -> Response:
        """Execute a Scrapy request (GET or form POST); the response carries the request (and its meta)."""
        body = request.body or b""
        key = (request.method, request.url, body)
        if key in self._cache:
            return self._cache[key].replace(request=request)
        if not self.allowed(request.url):
            raise ProbeError(f"robots.txt forbids {request.url}")
        headers = {k.decode("latin-1"): v[0].decode("latin-1") for k, v in request.headers.items() if v}
        try:
            answer = self._send(request.method, request.url, headers, body)
        except httpx.TimeoutException as error:
            raise ProbeError(f"timed out fetching {request.url}: {error}") from error
        except httpx.HTTPError as error:
            raise ProbeError(f"cannot reach {request.url}: {error}") from error
        response_headers = {k: v for k, v in answer.headers.multi_items()}
        response_headers.pop("content-encoding", None)  # httpx already decoded the body
        response_class = responsetypes.from_args(
            headers=response_headers, url=str(answer.url), body=answer.content
        )
        response = response_class(
            url=str(answer.url),
            status=answer.status_code,
            headers=response_headers,
            body=answer.content,
            request=request,
        )
        self._cache[key] = response
        return response

    def _send(self, method: str, url: str, headers: dict[str, str], body: bytes) -> httpx.Response:
        if self.used >= self.budget:
            raise BudgetExhausted(f"request budget of {self.budget} spent")
        wait = self._last + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.used += 1
        self.progress(f"[{self.used}/{self.budget}] {method} {url}")
        try:
            return self._client.request(method, url, headers=headers, content=body or None)
        finally:
            self._last = time.monotonic()
