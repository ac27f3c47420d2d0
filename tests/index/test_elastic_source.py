"""The bulk body the Elasticsearch backend sends is the document `to_source` describes."""

from __future__ import annotations

import json

from indexer.backends.document import to_index_document
from indexer.backends.elastic import source_bytes, to_source
from tests.index.corpus import build_corpus, edge_records


def test_serialised_sources_equal_the_documents() -> None:
    for record in build_corpus(40, seed=5) + edge_records():
        document = to_index_document(record)
        assert json.loads(source_bytes(document)) == to_source(document)
