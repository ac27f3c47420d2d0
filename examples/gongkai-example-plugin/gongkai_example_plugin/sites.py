"""The sites this plugin ships (entry point group `gongkai.sites`)."""

from __future__ import annotations

from typing import Any


def sites() -> list[dict[str, Any]]:
    return [
        {
            "id": "example-scjgj",
            "name": "济南市市场监督管理局 (example plugin)",
            "department": "济南市市场监督管理局",
            "platform": "example-newslist",
            "base_url": "http://127.0.0.1:18109/",
            "download_delay": 0.5,
        }
    ]
