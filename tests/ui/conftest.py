"""A live server (uvicorn in a thread, ephemeral port) over the test data set, and headless Chromium."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from indexer.backends.embedded import EmbeddedBackend
from indexer.catalog import Catalog
from indexer.config import Settings
from search_api.app import create_app
from tests.api.dataset import Dataset, build_dataset

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("GONGKAI_REQUIRE_BROWSER") == "1":
        return  # the browser fixture fails loudly instead
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium); UI tests skipped")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


class LiveServer:
    def __init__(self, app: object) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the UI test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


@pytest.fixture(scope="session")
def ui_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Dataset]]:
    data_dir = tmp_path_factory.mktemp("ui")
    settings = Settings(data_dir=data_dir, api_key=None)
    backend = EmbeddedBackend(settings.index_dir)
    catalog = Catalog(settings.catalog_path)
    dataset = build_dataset(backend, catalog, settings.warc_dir)
    with LiveServer(create_app(settings, backend=backend, catalog=catalog)) as server:
        yield server, dataset
    catalog.close()
    backend.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"GONGKAI_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()
