"""Odd requests and tiny corpora give clean answers (404/403/empty), never a server error."""

from __future__ import annotations

import pytest

from portal.config import PortalConfig
from portal.manifest import build_manifest
from portal.platforms.base import RequestInfo
from portal.platforms.common import Page
from portal.routing import route
from portal.server import PortalServer
from portal.sites import SITE_IDS

ODD_PATHS = (
    "/gkmlpt/api/all/abc",
    "/gkmlpt/api/all/7101",
    "/module/web/jpage/dataproxy.jsp",
    "/col/col99999/index.html",
    "/zwgk/yw/index_99.htm",
    "/xxgk/tzgg/index_0.html",
    "/tzgg/list_1.html",
    "/tzgg/list_0.html",
    "/module/download/downfile.jsp",
    "/attachment/0/1/2/3.pdf",
    "/calendar/2020-13-45.html",
    "/redirect/0/a.html",
    "/art/2026/1/1/art_1_1.html",
    "/gkmlpt/content/0/1/post_1.html",
    "/中文/list.html",
)
ODD_PARAMS = (
    {},
    {
        "page": "x",
        "sid": "y",
        "startrecord": "-5",
        "endrecord": "abc",
        "columnid": "zz",
        "filename": "zz.pdf",
    },
    {"page": "-3", "startrecord": "10", "endrecord": "2", "perpage": "0", "columnid": "5100"},
)


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_odd_requests_never_fail(site_id: str) -> None:
    config = PortalConfig(seed=1, docs=60)
    for path in ODD_PATHS:
        for params in ODD_PARAMS:
            result = route(config, site_id, RequestInfo("GET", path, dict(params), dict(params)))
            if isinstance(result, Page):
                assert result.status < 500, (path, params)


@pytest.mark.parametrize("docs", [0, 1, 7])
def test_tiny_portals_are_consistent(docs: int) -> None:
    for epoch in (0, 1):
        manifest = build_manifest(PortalConfig(seed=2, docs=docs, epoch=epoch))
        assert len(manifest.documents) >= docs
        assert sum(c.item_count for c in manifest.columns if c.leaf) == sum(
            d.status != "withdrawn" for d in manifest.documents
        )


def test_set_epoch_rejects_unknown_epochs() -> None:
    server = PortalServer(PortalConfig(base_port=0))
    with pytest.raises(ValueError):
        server.set_epoch(2)
    assert server.config.epoch == 0
