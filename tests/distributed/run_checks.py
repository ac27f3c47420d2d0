"""Shared checks of a distributed crawl: who crawled which site when (from the portal's request log) and what
the queue's event log says about a killed worker's site."""

from __future__ import annotations

import itertools
from collections import defaultdict

from portal.server import LoggedRequest


def worker_spans(requests: list[LoggedRequest]) -> dict[str, dict[str, list[float]]]:
    """site -> worker -> [first, last] request time, the worker read from the User-Agent's `worker/ID`."""
    spans: dict[str, dict[str, list[float]]] = defaultdict(dict)
    for request in requests:
        who = request.user_agent.rsplit("worker/", 1)[-1]
        first_last = spans[request.site].setdefault(who, [request.at, request.at])
        first_last[1] = request.at
    return spans


def assert_one_worker_per_site_at_a_time(requests: list[LoggedRequest]) -> dict[str, dict[str, list[float]]]:
    spans = worker_spans(requests)
    for site, by_worker in spans.items():
        ordered = sorted(by_worker.values())
        for earlier, later in itertools.pairwise(ordered):
            assert earlier[1] < later[0], f"{site}: two workers at once {by_worker}"
    return spans


def assert_resumed_by_another(events: list[dict], site: str, killed: str) -> None:
    assert any(e["event"] == "expired" and e["site"] == site for e in events), events
    finishers = [e["worker"] for e in events if e["event"] == "completed" and e["site"] == site]
    assert finishers and killed not in finishers
    assert all(e["ok"] and e["released"] for e in events if e["event"] == "completed")
