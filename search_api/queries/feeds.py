"""Atom (RFC 4287) feed of a search, newest publication first."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, time
from xml.etree import ElementTree as ET

from indexer.schema import DisclosureRecord

ATOM_NS = "http://www.w3.org/2005/Atom"
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SUMMARY_CHARS = 300


def _text(value: str) -> str:
    """XML 1.0 cannot carry control characters; harvested text sometimes does."""
    return _CONTROL_CHARS.sub("", value)


def _entry_updated(record: DisclosureRecord) -> datetime:
    if record.published_date:
        return datetime.combine(record.published_date, time(), tzinfo=UTC)
    return record.fetched_at if record.fetched_at.tzinfo else record.fetched_at.replace(tzinfo=UTC)


def atom_feed(
    records: Iterable[DisclosureRecord], *, feed_url: str, base_url: str, title: str, now: datetime
) -> bytes:
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = _text(text)
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", feed_url)
    sub(feed, "title", title)
    sub(feed, "link", rel="self", href=feed_url)
    sub(feed, "generator", "gongkai")
    feed_author = sub(feed, "author")  # Atom needs an author on the feed when entries may lack one
    sub(feed_author, "name", "gongkai")
    updated_at = sub(feed, "updated")
    newest: datetime | None = None
    for record in records:
        updated = _entry_updated(record)
        newest = max(newest, updated) if newest else updated
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:gongkai:record:{record.id}")
        sub(entry, "title", record.title or record.id)
        sub(entry, "updated", updated.isoformat())
        sub(entry, "link", rel="alternate", href=f"{base_url}/ui/documents/{record.id}")
        sub(entry, "link", rel="via", href=record.url)
        if record.issuer:
            author = sub(entry, "author")
            sub(author, "name", record.issuer)
        summary_parts = [p for p in (record.doc_number, record.issuer, record.body_text[:SUMMARY_CHARS]) if p]
        sub(entry, "summary", " | ".join(summary_parts) or record.title, type="text")
    updated_at.text = (newest or now).isoformat()
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
