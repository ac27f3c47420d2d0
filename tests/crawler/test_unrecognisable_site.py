"""A site nothing can be read from: the run fails (exit status 1), its report says what discovery tried, and
nothing is half-written (no record, no column, no document in the archive)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from indexer.catalog import Catalog
from tests.crawler.harness import archived_records, run_crawl

PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>系统维护</title></head><body>"
    "<div><p>网站正在升级维护，请稍后访问。给您带来不便，敬请谅解。</p><a href='/login.html'>用户登录</a></div>"
    "</body></html>"
).encode()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = 404 if self.path == "/robots.txt" else 200
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def site_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    thread.join(timeout=10)


def test_a_site_with_no_recognisable_structure_fails_with_a_report(site_url: str, tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "odd.yaml").write_text(
        yaml.safe_dump(
            {
                "id": "odd",
                "name": "某某局",
                "department": "某某局",
                "platform": "generic",
                "base_url": site_url,
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    data = tmp_path / "data"
    result = run_crawl(data, {}, timeout=300, env={"GONGKAI_SITES_DIR": str(sites)}, index=False)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    print(output)
    assert "FAILED" in output and "discovery tried:" in output, output
    assert f"home page {site_url}" in output, output  # the pages it read are named
    assert "no column tree found" in output, output
    assert "/login.html" in output, output  # the candidate page it also tried
    with Catalog(data / "catalog.sqlite3") as catalog:
        assert catalog.columns() == []
    assert archived_records(data) == {}
