"""The probe report as a readable tree (the default output of `gongkai site probe`)."""

from __future__ import annotations

from crawler.probe.models import ProbeReport

_FIELD_NAMES = {
    "title": "标题",
    "doc_number": "文号",
    "index_number": "索引号",
    "issuer": "发布机构",
    "written_date": "成文日期",
    "published_date": "发布日期",
    "topic": "主题分类",
}


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def render_report(report: ProbeReport) -> str:
    detection = report.detection
    clues = ", ".join(dict.fromkeys(f.clue for f in detection.evidence)) or "no platform fingerprint"
    how = "forced" if detection.forced else clues
    if detection.fallback_from:
        how += f"; the {detection.fallback_from} adapter listed no document, so generic read the site"
    lines = [
        f"{report.site.get('name', '')}  {report.site.get('base_url', report.url)}",
        f"platform: {detection.platform} ({how})",
        f"as of {report.as_of.isoformat()}; {report.requests_used} of {report.budget} requests"
        + (" (budget spent: counts marked ≥ are lower bounds)" if report.budget_exhausted else ""),
        "",
    ]
    name_width = max((_width("  " * (len(c.path) - 1) + c.name) for c in report.columns), default=10) + 2
    for column in report.columns:
        indent = "  " * (len(column.path) - 1)
        count = f"{'' if column.count_exact else '≥'}{column.item_count}"
        newest = column.newest_item_date.isoformat() if column.newest_item_date else "-"
        lines.append(
            f"{_pad(indent + column.name, name_width)}{count:>7} items  newest {newest:<10}  "
            f"{column.status:<7} {column.kind}" + (f"  ({column.kind_rule})" if column.kind_rule else "")
        )
        if column.sample is not None:
            sample = column.sample
            found = "; ".join(f"{_FIELD_NAMES.get(k, k)}: {v}" for k, v in sample.fields.items())
            lines.append(f"{indent}    sample {sample.url}")
            if found:
                lines.append(f"{indent}      {found}")
            extra = [f"body {sample.body_chars} chars", f"{sample.attachments} attachments"]
            if sample.missing:
                extra.append("not found: " + ", ".join(_FIELD_NAMES.get(k, k) for k in sample.missing))
            if sample.error:
                extra.append(f"problem: {sample.error}")
            lines.append(f"{indent}      " + "; ".join(extra))
        for problem in column.problems:
            lines.append(f"{indent}    ! {problem}")
    if not report.columns:
        lines.append("no columns found")
    leaves = [c for c in report.columns if c.is_leaf]
    counts = {
        status: sum(1 for c in leaves if c.status == status) for status in ("ok", "stale", "blank", "unknown")
    }
    lines += ["", "leaf columns: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n)]
    lines += [f"! {problem}" for problem in report.problems]
    return "\n".join(lines)
