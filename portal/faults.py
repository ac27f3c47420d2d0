"""Deterministic fault decisions: a fault hits a URL by a seeded hash of (seed, site, url), and transient
faults only hit the first attempts of that URL, so a retried request eventually succeeds."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from portal.config import SiteFaults
from portal.layout import unit_hash

MAX_TRACKED_URLS = 200_000


@dataclass(frozen=True, slots=True)
class FaultDecision:
    status_503: bool = False
    reset: bool = False
    truncate: bool = False
    delay: float = 0.0
    wrong_charset: bool = False


class AttemptCounter:
    """Counts requests per (site, url) so that transient faults can recover on retry."""

    def __init__(self, limit: int = MAX_TRACKED_URLS) -> None:
        self._counts: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def next(self, site: str, url_key: str) -> int:
        key = (site, url_key)
        with self._lock:
            count = self._counts.pop(key, 0) + 1
            self._counts[key] = count
            while len(self._counts) > self._limit:
                self._counts.popitem(last=False)
            return count

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


def decide(
    seed: int, site: str, url_key: str, attempt: int, faults: SiteFaults, gbk_site: bool
) -> FaultDecision:
    def hit(name: str, rate: float) -> bool:
        return rate > 0 and unit_hash(seed, site, url_key, name) < rate

    failing_attempts = 1 + int(unit_hash(seed, site, url_key, "5xx-len") * 3)
    return FaultDecision(
        status_503=hit("5xx", faults.server_error) and attempt <= failing_attempts,
        # HTTP clients silently retry once when a reused keep-alive connection drops before any answer
        # (Twisted does), so a reset on the first attempt alone could pass unnoticed; reset the second too.
        reset=hit("reset", faults.reset) and attempt <= 2,
        truncate=hit("truncate", faults.truncate) and attempt == 1,
        delay=faults.delay if hit("slow", faults.slow) else 0.0,
        wrong_charset=gbk_site and hit("charset", faults.wrong_charset),
    )


def redirect_target(path: str, loops: int) -> str | None:
    """/redirect/N/a.html -> b.html -> a.html ... (a cycle), for N < loops."""
    parts = path.strip("/").split("/")
    if len(parts) != 3 or parts[0] != "redirect" or not parts[1].isdigit() or int(parts[1]) >= loops:
        return None
    if parts[2] == "a.html":
        return f"/redirect/{parts[1]}/b.html"
    if parts[2] == "b.html":
        return f"/redirect/{parts[1]}/a.html"
    return None


def calendar_page(path: str) -> str | None:
    """An endless calendar: every day links to the next and previous day (a crawler trap)."""
    name = path.removeprefix("/calendar/").removesuffix(".html")
    try:
        day = date.fromisoformat(name)
    except ValueError:
        return None
    following = day + timedelta(days=1)
    previous = day - timedelta(days=1)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>活动日历</title></head><body>'
        f"<h1>活动日历 {escape(day.isoformat())}</h1><p>当日暂无活动安排。</p>"
        f'<a href="/calendar/{previous.isoformat()}.html">前一天</a> '
        f'<a href="/calendar/{following.isoformat()}.html">后一天</a>'
        "</body></html>"
    )
