"""What the spider hands to the item pipelines."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from indexer.schema import DisclosureRecord, WarcRef


class Outcome(StrEnum):
    new = "new"
    changed = "changed"
    unchanged = "unchanged"
    reappeared = "reappeared"
    invalid = "invalid"


@dataclass
class RecordItem:
    """A freshly extracted record plus what the pipelines need to version, archive and catalogue it."""

    record: DisclosureRecord
    column_id: str | None
    list_signal: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    response_record_id: str | None = None  # WARC-Record-ID of the archived detail page
    outcome: Outcome | None = None
    resource: WarcRef | None = None
    record_json: str | None = None  # `record` as archived, reused by the index journal (serialised once)
    problems: tuple[str, ...] = ()
