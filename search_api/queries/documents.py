"""One document with its versions, provenance and citations both ways."""

from __future__ import annotations

from indexer.backends.base import SearchBackend
from indexer.catalog import Catalog
from search_api.models import CitationOut, DocumentDetail
from search_api.queries.records import doc_number_link, provenance, record_out

MAX_CITATIONS = 100


def document_detail(backend: SearchBackend, catalog: Catalog, record_id: str) -> DocumentDetail | None:
    record = backend.get(record_id)
    if record is None:
        return None
    cites = [
        CitationOut(
            canonical=canonical,
            held_by=[r.id for r in backend.lookup_doc_number(canonical)],
            link=doc_number_link(canonical),
        )
        for canonical in list(dict.fromkeys(record.cites))[:MAX_CITATIONS]
    ]
    cited_by = []
    if record.doc_number:
        cited_by = [r for r in backend.citing(record.doc_number, limit=MAX_CITATIONS) if r.id != record.id]
    return DocumentDetail(
        record=record,
        provenance=provenance(record),
        versions=catalog.versions(record.id),
        cites=cites,
        cited_by=[record_out(r) for r in cited_by],
    )
