"""Per-site run report: what was fetched, what became of each record, which errors occurred, and whether
the run counts as failed (no records, or under 90 % valid records)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from pydantic import BaseModel, Field

MIN_VALID_SHARE = 0.9
MAX_SAMPLES_PER_KIND = 20

ERROR_KINDS = (
    "http_5xx",
    "http_4xx",
    "timeout",
    "connection_reset",
    "truncated",
    "redirect_loop",
    "trap_cut",
    "decode",
    "attachment",
    "validation",
    "list_page",
    "discovery",
    "other",
)


class RecordCounts(BaseModel):
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    invalid: int = Field(default=0, description="seen records failing validation (stored all the same)")

    @property
    def seen(self) -> int:
        return self.new + self.changed + self.unchanged


class RunReport(BaseModel):
    site: str
    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    duration_seconds: float = 0.0
    resumed: bool = False
    requests: int = 0
    responses_by_status: dict[str, int] = Field(default_factory=dict)
    retries: int = 0
    list_pages: int = 0
    detail_pages: int = 0
    not_modified: int = 0
    attachments: int = 0
    ocr_pages: int = Field(default=0, description="scanned pages read by OCR in this run")
    ocr_cached_pages: int = Field(default=0, description="scanned pages whose OCR text came from the cache")
    ocr_skipped_pages: int = Field(default=0, description="scanned pages over the per-file page budget")
    ocr_seconds: float = Field(default=0.0, description="time spent in OCR (worker wall time)")
    records: RecordCounts = Field(default_factory=RecordCounts)
    failed_attempts: dict[str, int] = Field(
        default_factory=dict, description="every failed attempt by kind, including those a retry repaired"
    )
    large_responses: int = Field(default=0, description="responses over 1 MiB (padded or giant pages)")
    errors: dict[str, int] = Field(default_factory=dict)
    error_samples: dict[str, list[str]] = Field(default_factory=dict)
    skipped: dict[str, int] = Field(
        default_factory=dict, description="robots-disallowed, offsite, denied URLs"
    )
    columns_found: int = 0
    columns_blank: int = 0
    columns_incomplete: list[str] = Field(default_factory=list)
    withdrawals_suppressed: bool = False
    discovery: list[str] = Field(
        default_factory=list,
        description="what the generic adapter tried: pages read, catalogue candidates, lists rejected and why",
    )
    ok: bool = False
    failure_reasons: list[str] = Field(default_factory=list)

    def count_ocr(self, stats: dict[str, float] | None) -> None:
        """Add what OCR did for one file (`OcrStats.as_dict`); cached pages are not OCR'd pages."""
        if not stats:
            return
        cached = int(stats.get("cached_pages", 0))
        self.ocr_pages += int(stats.get("pages", 0)) - cached
        self.ocr_cached_pages += cached
        self.ocr_skipped_pages += int(stats.get("skipped_pages", 0))
        self.ocr_seconds = round(self.ocr_seconds + float(stats.get("seconds", 0.0)), 3)

    @property
    def valid_share(self) -> float:
        """Share of the records seen in this run that passed validation (invalid ones are stored too)."""
        seen = self.records.seen
        return max(seen - self.records.invalid, 0) / seen if seen else 0.0

    def judge(self) -> None:
        """Decide whether the run succeeded; a failed run says why."""
        reasons: list[str] = []
        if self.records.seen == 0:
            reasons.append("no records harvested")
        elif self.valid_share < MIN_VALID_SHARE:
            reasons.append(f"only {self.valid_share:.1%} of records valid (minimum {MIN_VALID_SHARE:.0%})")
        self.failure_reasons = reasons
        self.ok = not reasons


class ReportCollector:
    """Counts events during a run; bounded memory whatever the site size."""

    def __init__(self, report: RunReport) -> None:
        self.report = report
        self._errors: Counter[str] = Counter()
        self._skipped: Counter[str] = Counter()

    def error(self, kind: str, detail: str = "") -> None:
        if kind not in ERROR_KINDS:
            kind = "other"
        self._errors[kind] += 1
        samples = self.report.error_samples.setdefault(kind, [])
        if detail and len(samples) < MAX_SAMPLES_PER_KIND:
            samples.append(detail)

    def skip(self, kind: str) -> None:
        self._skipped[kind] += 1

    def finish(self) -> RunReport:
        self.report.errors = dict(sorted(self._errors.items()))
        self.report.skipped = dict(sorted(self._skipped.items()))
        self.report.judge()
        return self.report


def render_report(report: RunReport) -> str:
    r = report.records
    lines = [
        f"== {report.site} run {report.run_id}{' (resumed)' if report.resumed else ''}: "
        f"{'OK' if report.ok else 'FAILED'} in {report.duration_seconds:.1f}s",
        f"   requests {report.requests}; responses {dict(sorted(report.responses_by_status.items()))};"
        f" retries {report.retries}",
        f"   pages: list {report.list_pages}, detail {report.detail_pages}, not-modified {report.not_modified},"
        f" attachments {report.attachments}",
        f"   records: new {r.new}, changed {r.changed}, unchanged {r.unchanged}, withdrawn {r.withdrawn},"
        f" invalid {r.invalid} (valid {report.valid_share:.1%})",
        f"   columns: {report.columns_found} found, {report.columns_blank} blank"
        + (f", incomplete: {', '.join(report.columns_incomplete)}" if report.columns_incomplete else ""),
        f"   failed attempts (retried): {report.failed_attempts or 'none'}; large responses: {report.large_responses}",
        f"   errors: {report.errors or 'none'}; skipped: {report.skipped or 'none'}",
    ]
    if report.ocr_pages or report.ocr_cached_pages or report.ocr_skipped_pages:
        lines.append(
            f"   OCR: {report.ocr_pages} pages read in {report.ocr_seconds:.1f}s, {report.ocr_cached_pages} from"
            f" the cache, {report.ocr_skipped_pages} over the page budget"
        )
    if report.withdrawals_suppressed:
        lines.append("   withdrawals suppressed: a list page failed, absent documents kept as they were")
    lines.extend(f"   FAILURE: {reason}" for reason in report.failure_reasons)
    if not report.ok and report.discovery:
        lines.append("   discovery tried:")
        lines.extend(f"     - {note}" for note in report.discovery)
    return "\n".join(lines)
