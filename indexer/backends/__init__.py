"""Index backends behind one interface; `open_backend` picks one from the settings."""

from __future__ import annotations

from indexer.backends.base import BackendUnavailable, QuerySyntaxError, SearchBackend, WriteRejected
from indexer.config import Settings, get_settings

__all__ = ["BackendUnavailable", "QuerySyntaxError", "SearchBackend", "WriteRejected", "open_backend"]


def open_backend(settings: Settings | None = None, *, rebuild_outdated: bool = False) -> SearchBackend:
    """The configured backend: embedded tantivy in `index_dir` (default) or Elasticsearch.

    Opening never contacts Elasticsearch (a crawl must be able to start, and spool, while it is down); the first
    operation raises BackendUnavailable with a clear message when the engine cannot be reached.
    `rebuild_outdated` (for a rebuild only) empties an embedded index of an older schema instead of refusing it.
    """
    settings = settings or get_settings()
    if settings.backend == "elasticsearch":
        from indexer.backends.elastic import ElasticsearchBackend, IndexSettings

        return ElasticsearchBackend(
            settings.elasticsearch_hosts,
            settings.elasticsearch_index,
            index_settings=IndexSettings(
                shards=settings.elasticsearch_shards,
                replicas=settings.elasticsearch_replicas,
                refresh_interval=settings.elasticsearch_refresh_interval,
            ),
        )
    from indexer.backends.embedded import EmbeddedBackend

    return EmbeddedBackend(settings.index_dir, rebuild_outdated=rebuild_outdated)
