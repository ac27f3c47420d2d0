"""GONGKAI_ELASTICSEARCH_* settings: a node list, and the index settings the backend creates indices with."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from indexer.backends import open_backend
from indexer.backends.elastic import ElasticsearchBackend, IndexSettings, index_template
from indexer.config import Settings


def test_url_list_and_index_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_BACKEND", "elasticsearch")
    monkeypatch.setenv("GONGKAI_ELASTICSEARCH_URL", " http://127.0.0.1:9316/, http://127.0.0.1:9416,,")
    monkeypatch.setenv("GONGKAI_ELASTICSEARCH_SHARDS", "3")
    monkeypatch.setenv("GONGKAI_ELASTICSEARCH_REPLICAS", "2")
    monkeypatch.setenv("GONGKAI_ELASTICSEARCH_REFRESH_INTERVAL", "30s")
    settings = Settings()
    assert settings.elasticsearch_hosts == ["http://127.0.0.1:9316", "http://127.0.0.1:9416"]
    backend = open_backend(settings)  # opening contacts nothing
    assert isinstance(backend, ElasticsearchBackend)
    assert backend.hosts == settings.elasticsearch_hosts
    index = index_template("x", backend.index_settings)["template"]["settings"]
    assert index["number_of_shards"] == 3
    assert index["number_of_replicas"] == 2 and index["auto_expand_replicas"] == "false"
    assert index["refresh_interval"] == "30s"
    backend.close()


def test_replicas_default_to_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_ELASTICSEARCH_REPLICAS", "auto")
    assert Settings().elasticsearch_replicas is None
    index = index_template("x", IndexSettings())["template"]["settings"]
    assert index["auto_expand_replicas"] == "0-1" and "number_of_replicas" not in index


@pytest.mark.parametrize(
    ("name", "value"), [("SHARDS", "0"), ("REPLICAS", "-1"), ("REFRESH_INTERVAL", "soon")]
)
def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(f"GONGKAI_ELASTICSEARCH_{name}", value)
    with pytest.raises(ValidationError):
        Settings()
