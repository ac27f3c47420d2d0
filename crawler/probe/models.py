"""What a probe reports (pydantic: this is what `--json` prints)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field


class Fingerprint(BaseModel):
    """One clue that a page was published by a known platform."""

    platform: str
    clue: str
    url: str


class Detection(BaseModel):
    platform: str = Field(description="govcn | trs | hanweb | gkmlpt | generic (or a forced plugin platform)")
    evidence: list[Fingerprint] = Field(default_factory=list)
    pages_checked: list[str] = Field(default_factory=list)
    forced: bool = False
    fallback_from: str | None = Field(
        default=None,
        description="the platform the fingerprints named, when its adapter listed no document and generic was used",
    )


class SampleDocument(BaseModel):
    """The first document of a column, read by the crawler's extraction."""

    url: str
    fields: dict[str, Any] = Field(default_factory=dict, description="extracted fields that have a value")
    missing: list[str] = Field(default_factory=list, description="metadata fields extraction did not find")
    attachments: int = 0
    body_chars: int = 0
    error: str | None = None


class ProbedColumn(BaseModel):
    id: str
    name: str
    path: list[str]
    url: str | None = None
    listable: bool = True
    is_leaf: bool = True
    item_count: int = Field(description="items listed (subtree total for parents)")
    count_exact: bool = Field(description="false when the budget ran out before the count was known")
    pages_read: int = 0
    newest_item_date: date | None = None
    kind: str = Field(description="audit kind: news | notice_policy | personnel_planning | other")
    kind_rule: str = Field(default="", description="which classification rule gave the kind, and where")
    status: str = Field(description="what the audit would say: ok | blank | stale (unknown: not read)")
    reason: str
    sample: SampleDocument | None = None
    problems: list[str] = Field(default_factory=list)


class ProbeReport(BaseModel):
    url: str
    site: dict[str, Any] = Field(description="the site file `--write` saves (SiteConfig fields)")
    detection: Detection
    as_of: date
    budget: int
    requests_used: int
    budget_exhausted: bool
    columns: list[ProbedColumn] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)
