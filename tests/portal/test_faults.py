"""Every fault kind is observable, deterministic, and transient faults recover on retry."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import pytest

from portal.config import DEMO_PRESET, FaultSpecError, PortalConfig, parse_fault_spec
from portal.manifest import PortalManifest
from portal.server import PortalServer

SPEC = (
    "jinan-gov:5xx=0.5;jinan-fgw:slow=1,delay=0.3;jinan-sthjj:reset=0.5;jinan-zjj:truncate=0.5;"
    "jinan-jyj:charset=1;jinan-scjgj:loop=2,trap=1;jinan-czj:giant=0.25;jinan-yjj:404=0.3"
)


@pytest.fixture(scope="module")
def faulty() -> Iterator[PortalServer]:
    with PortalServer(PortalConfig(seed=4, docs=150, base_port=0, faults=SPEC)) as server:
        yield server


@pytest.fixture(scope="module")
def faulty_manifest(faulty: PortalServer) -> PortalManifest:
    return faulty.manifest()


def _urls(manifest: PortalManifest, site: str) -> list[str]:
    return [
        d.url for d in manifest.documents if d.site == site and not d.robots_disallowed and not d.not_found
    ]


def test_503_bursts_then_recovery(faulty_manifest: PortalManifest, client: httpx.Client) -> None:
    failing = 0
    for url in _urls(faulty_manifest, "jinan-gov")[:20]:
        statuses = [client.get(url).status_code for _ in range(4)]
        if statuses[0] == 503:
            failing += 1
            assert statuses[-1] == 200, statuses
            first_ok = statuses.index(200)
            assert all(s == 503 for s in statuses[:first_ok])
    assert failing >= 3


def test_slow_responses(faulty_manifest: PortalManifest, client: httpx.Client) -> None:
    url = _urls(faulty_manifest, "jinan-fgw")[0]
    started = time.perf_counter()
    assert client.get(url).status_code == 200
    assert time.perf_counter() - started >= 0.3


def _first_attempt_errors(client: httpx.Client, urls: list[str]) -> int:
    errors = 0
    for url in urls:
        try:
            client.get(url)
        except (httpx.RemoteProtocolError, httpx.ReadError):
            errors += 1
            assert _retried(client, url).status_code == 200, "a retry succeeds"
    return errors


def _retried(client: httpx.Client, url: str, tries: int = 2) -> httpx.Response:
    """Transient faults hit at most the first two attempts (a reset also hits the client's silent retry)."""
    for _ in range(tries - 1):
        try:
            return client.get(url)
        except (httpx.RemoteProtocolError, httpx.ReadError):
            continue
    return client.get(url)


def test_connection_resets(faulty_manifest: PortalManifest) -> None:
    with httpx.Client(timeout=10) as client:
        assert _first_attempt_errors(client, _urls(faulty_manifest, "jinan-sthjj")[:16]) >= 3


def test_truncated_bodies(faulty_manifest: PortalManifest) -> None:
    with httpx.Client(timeout=10) as client:
        assert _first_attempt_errors(client, _urls(faulty_manifest, "jinan-zjj")[:16]) >= 3


def test_wrong_charset_declaration(faulty_manifest: PortalManifest, client: httpx.Client) -> None:
    doc = next(d for d in faulty_manifest.documents if d.site == "jinan-jyj")
    response = client.get(doc.url)
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    with pytest.raises(UnicodeDecodeError):
        response.content.decode("utf-8")
    assert doc.title in response.content.decode("gbk")


def test_redirect_loop_and_calendar_trap(faulty: PortalServer, client: httpx.Client) -> None:
    base = faulty.base_url("jinan-scjgj")
    home = client.get(base).text
    assert "/redirect/0/a.html" in home and "/redirect/1/a.html" in home
    with pytest.raises(httpx.TooManyRedirects):
        client.get(base + "redirect/0/a.html", follow_redirects=True)
    link = re.search(r'href="(/calendar/[\d-]+\.html)"', home).group(1)
    seen = set()
    for _ in range(25):
        page = client.get(base + link.lstrip("/"))
        assert page.status_code == 200
        seen.add(link)
        link = re.search(r'href="(/calendar/[\d-]+\.html)">后一天', page.text).group(1)
    assert len(seen) == 25 and link not in seen


def test_giant_pages(faulty_manifest: PortalManifest, client: httpx.Client) -> None:
    giants = [d for d in faulty_manifest.documents if d.giant]
    assert giants and {d.site for d in giants} == {"jinan-czj"}
    response = client.get(giants[0].url)
    assert len(response.content) > 4 * 1024 * 1024
    assert giants[0].title in response.text


def test_listed_documents_that_are_404(faulty: PortalServer, faulty_manifest: PortalManifest) -> None:
    missing = [d for d in faulty_manifest.documents if d.not_found]
    assert missing and {d.site for d in missing} == {"jinan-yjj"}
    from tests.portal.walker import SiteWalker

    with httpx.Client(timeout=10) as client:
        site = next(s for s in faulty_manifest.sites if s.id == "jinan-yjj")
        listed = SiteWalker(client, site.base_url, site.platform, []).walk()
        for doc in missing:
            assert doc.url in listed
            assert client.get(doc.url).status_code == 404


def test_faults_are_deterministic() -> None:
    config = PortalConfig(seed=4, docs=150, base_port=0, faults=SPEC)
    outcomes = []
    for _ in range(2):
        with PortalServer(config) as server, httpx.Client(timeout=10) as client:
            base = server.base_url("jinan-gov")
            outcomes.append(
                [
                    client.get(f"{base}zwgk/{slug}/index.htm").status_code
                    for slug in ("yw", "gzdt", "tzgg", "zcwj", "zcjd", "rsxx", "ghjh", "gkzn", "gknb")
                ]
            )
    assert outcomes[0] == outcomes[1]


def test_fault_spec_parsing() -> None:
    faults = parse_fault_spec("*:slow=0.1;jinan-czj:reset=0.02,truncate=0.03,trap")
    assert len(faults) == 9 and faults["jinan-czj"].reset == 0.02 and faults["jinan-czj"].trap
    assert faults["jinan-gov"].slow == 0.1
    assert parse_fault_spec(None) == {} and parse_fault_spec("") == {}
    assert parse_fault_spec("demo") == parse_fault_spec(DEMO_PRESET)
    for bad in (
        "jinan-nope:5xx=0.1",
        "jinan-gov:explode=1",
        "jinan-gov:5xx=2",
        "5xx=0.1",
        "jinan-gov:5xx=abc",
    ):
        with pytest.raises(FaultSpecError):
            parse_fault_spec(bad)
    with pytest.raises(ValueError):
        PortalConfig(faults="jinan-gov:bogus=1")
