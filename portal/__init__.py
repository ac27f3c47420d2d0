"""The simulated government web: department sites on 127.0.0.1 plus their ground-truth manifest.

Entry points: `portal.config.PortalConfig`, `portal.server.PortalServer`, `portal.manifest` (see README.md).
This package imports nothing of the product (indexer, crawler, search_api).
"""
