"""Turning stored records into API shapes."""

from __future__ import annotations

from urllib.parse import quote

import nh3

from indexer.schema import DisclosureRecord
from search_api.models import Provenance, RecordOut


def document_link(record_id: str) -> str:
    return f"/documents/{quote(record_id, safe='')}"


def doc_number_link(canonical: str) -> str:
    return f"/doc-numbers/{quote(canonical, safe='')}"


def record_out(record: DisclosureRecord, *, body: bool = False, attachments_text: bool = False) -> RecordOut:
    data = record.model_dump()
    if not body:
        data["body_text"] = None
    if not attachments_text:
        for attachment in data["attachments"]:
            attachment["text"] = None
    return RecordOut(**data, link=document_link(record.id))


def provenance(record: DisclosureRecord) -> Provenance:
    return Provenance(
        url=record.url,
        fetched_at=record.fetched_at,
        warc=record.warc,
        original_link=f"{document_link(record.id)}/original" if record.warc else None,
    )


def clean_snippet(snippet: str) -> str:
    """Keep only <mark> as markup; everything else stays escaped text (defence in depth over the backend)."""
    return nh3.clean(snippet, tags={"mark"}, attributes={}, strip_comments=True)
