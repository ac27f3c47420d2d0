from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from portal.config import PortalConfig
from portal.manifest import PortalManifest
from portal.server import PortalServer

DOCS = 300


@pytest.fixture(scope="module")
def portal() -> Iterator[PortalServer]:
    with PortalServer(PortalConfig(seed=7, docs=DOCS, base_port=0)) as server:
        yield server


@pytest.fixture(scope="module")
def manifest(portal: PortalServer) -> PortalManifest:
    return portal.manifest()


@pytest.fixture()
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as http:
        yield http
