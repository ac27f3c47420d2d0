"""CPU cost of the extraction layer per detail page and per attachment; prints markdown tables.

Times are thread CPU time (`time.thread_time`), so other processes on a busy machine do not inflate them.

    .venv/bin/python bench/bench_extraction.py [--docs 300] [--rounds 3] [--giant 2]

Pages are fetched once from an in-process portal (`--docs` documents over all nine sites), then
`decode_html` + `extract_page` run `--rounds` times over every page with nothing else in the loop; the
hand-written fixtures of tests/extraction/fixtures are timed the same way. `--giant` pages padded to ~4 MB
(the portal's `giant` fault) show the worst case. Attachments (PDF, DOCX, XLSX) are timed once each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import machine_line
from crawler.extraction.attachments import extract_attachment_text
from crawler.extraction.encoding import decode_html
from crawler.extraction.page import extract_page
from portal.config import PortalConfig
from portal.server import PortalServer

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "extraction" / "fixtures"


def _time_pages(pages: list[tuple[str, bytes, str | None, str]], rounds: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = defaultdict(list)
    for _ in range(rounds):
        for group, body, content_type, url in pages:
            started = time.thread_time()
            extract_page(decode_html(body, content_type).text, url)
            timings[group].append((time.thread_time() - started) * 1000)
    return timings


def _table(title: str, timings: dict[str, list[float]], sizes: dict[str, float]) -> str:
    lines = [f"### {title}", "", "| group | pages | KiB/page | mean ms | median ms | p95 ms | max ms |", "|---|---|---|---|---|---|---|"]  # fmt: skip
    everything: list[float] = []
    for group in sorted(timings):
        values = sorted(timings[group])
        everything.extend(values)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        lines.append(
            f"| {group} | {len(values)} | {sizes[group]:.1f} | {statistics.fmean(values):.2f} | "
            f"{statistics.median(values):.2f} | {p95:.2f} | {values[-1]:.2f} |"
        )
    if len(timings) > 1:
        everything.sort()
        lines.append(
            f"| **all** | {len(everything)} | | {statistics.fmean(everything):.2f} | "
            f"{statistics.median(everything):.2f} | {everything[min(len(everything) - 1, int(len(everything) * 0.95))]:.2f} | "
            f"{everything[-1]:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300, help="portal corpus size (all sites)")
    parser.add_argument("--rounds", type=int, default=3, help="extraction passes over the fetched pages")
    parser.add_argument("--giant", type=int, default=2, help="giant (~4 MB) pages to time")
    args = parser.parse_args()
    print(machine_line())

    config = PortalConfig(seed=7, docs=args.docs, base_port=0, faults="jinan-gov:giant=0.3")
    pages: list[tuple[str, bytes, str | None, str]] = []
    giants: list[tuple[str, bytes, str | None, str]] = []
    attachments: list[tuple[str, bytes, str, str | None]] = []
    with PortalServer(config) as portal, httpx.Client(timeout=60) as client:
        platform_of = {site.id: site.platform for site in portal.sites}
        for document in portal.manifest().documents:
            if document.status == "withdrawn" or document.not_found:
                continue
            if document.giant and len(giants) >= args.giant:
                continue
            response = client.get(document.url)
            if response.status_code != 200:
                continue
            entry = (
                platform_of[document.site],
                response.content,
                response.headers.get("content-type"),
                document.url,
            )
            (giants if document.giant else pages).append(entry)
            for attachment in document.attachments:
                if (
                    attachment.kind in {"pdf", "docx", "xlsx"}
                    and sum(a[0] == attachment.kind for a in attachments) < 5
                ):
                    data = client.get(attachment.url).content
                    attachments.append((attachment.kind, data, attachment.name, attachment.media_type))

    def sizes_of(entries: list[tuple[str, bytes, str | None, str]]) -> dict[str, float]:
        grouped: dict[str, list[int]] = defaultdict(list)
        for group, body, _, _ in entries:
            grouped[group].append(len(body))
        return {group: statistics.fmean(values) / 1024 for group, values in grouped.items()}

    fixtures = [(path.name, path.read_bytes(), None, "http://www.example.gov.cn/a/b.html") for path in sorted(FIXTURES.glob("*.html"))]  # fmt: skip
    print(f"## extraction cost (decode_html + extract_page), {args.rounds} rounds\n")
    print(_table("portal detail pages by platform", _time_pages(pages, args.rounds), sizes_of(pages)), "\n")
    print(_table("hand-written fixtures", _time_pages(fixtures, args.rounds), sizes_of(fixtures)), "\n")
    if giants:
        print(_table("giant pages (~4 MB of furniture)", _time_pages(giants, 1), sizes_of(giants)), "\n")
    if attachments:
        timings: dict[str, list[float]] = defaultdict(list)
        sizes: dict[str, list[int]] = defaultdict(list)
        for kind, data, name, media_type in attachments:
            started = time.thread_time()
            extract_attachment_text(data, filename=name, declared_type=media_type)
            timings[kind].append((time.thread_time() - started) * 1000)
            sizes[kind].append(len(data))
        print(_table("attachments (extract_attachment_text)", timings, {k: statistics.fmean(v) / 1024 for k, v in sizes.items()}))  # fmt: skip


if __name__ == "__main__":
    main()
