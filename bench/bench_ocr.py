"""OCR engines side by side on the portal's scans: character error rate, 文号 recovery, pages per second.

    .venv/bin/python bench/bench_ocr.py [--pages 24] [--docs 6000] [--engines rapidocr,tesseract]

The pages are the scans the simulated portal serves (scanned attachments and image bodies of the first
`--pages` scanned documents of a `--docs` portal; the manifest knows their text), each rendered in the
portal's three variants: clean (150 dpi), noisy (speckle, grey, ±1.5° rotation, blur) and lowres (~100 dpi,
JPEG). Every engine reads the same images, one inference thread each:

* rapidocr — what the crawler uses (`crawler.extraction.ocr.read_image`): PP-OCR models inside the wheel.
* tesseract — Debian's `tesseract-ocr` with `tesseract-ocr-chi-sim` (`apt-get install tesseract-ocr
  tesseract-ocr-chi-sim`), `--psm 6`, run as a subprocess; left out with a note when not installed.

CER = edit distance / characters of the truth, both compared without whitespace after NFKC (OCR engines
print ASCII punctuation for full-width). 文号 recovered = `crawler.extraction.scanned.fields_from_scan` reads
the page's canonical number. CPU s/page counts the engine's own process (tesseract's children included).
Targets: CER ≤ 3 % clean and ≤ 8 % noisy, 文号 ≥ 90 % (over all variants), for the engine the crawler uses.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import subprocess
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

from bench.machine import machine_line
from crawler.extraction.ocr import read_image
from crawler.extraction.scanned import fields_from_scan
from portal import scans
from portal.config import PortalConfig
from portal.manifest import build_manifest

TARGET_CER = {"clean": 0.03, "noisy": 0.08}
TARGET_DOCNO = 0.90


@dataclass
class Sample:
    key: str
    lines: list[str]
    doc_number: str | None


def _samples(docs: int, pages: int) -> list[Sample]:
    manifest = build_manifest(PortalConfig(docs=docs))
    found: list[Sample] = []
    for document in manifest.documents:
        scanned = [a for a in document.attachments if a.kind == "scan" and a.text]
        if document.body_scan is not None and document.body_scan.text:
            scanned.append(document.body_scan)
        for attachment in scanned:
            found.append(Sample(attachment.url, (attachment.text or "").split("\n"), document.doc_number))
        if len(found) >= pages:
            break
    return found[:pages]


def _normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def edit_distance(truth: str, read: str) -> int:
    previous = list(range(len(read) + 1))
    for i, expected in enumerate(truth, start=1):
        current = [i]
        for j, got in enumerate(read, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (expected != got)))
        previous = current
    return previous[-1]


def _rapidocr(image: Image.Image) -> str:
    return read_image(image, threads=1).text


def _tesseract(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    result = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "chi_sim", "--psm", "6"],
        input=buffer.getvalue(),
        capture_output=True,
        check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    return result.stdout.decode("utf-8", "replace")


def _tesseract_missing() -> str | None:
    if shutil.which("tesseract") is None:
        return "tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
    languages = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
    return (
        None if "chi_sim" in languages else "tesseract has no chi_sim (apt-get install tesseract-ocr-chi-sim)"
    )


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=24, help="scanned pages (each read in 3 variants)")
    parser.add_argument("--docs", type=int, default=6000, help="documents of the portal the scans come from")
    parser.add_argument("--engines", default="rapidocr,tesseract")
    args = parser.parse_args()

    engines: dict[str, Callable[[Image.Image], str]] = {}
    notes: list[str] = []
    for name in args.engines.split(","):
        if name == "rapidocr":
            engines[name] = _rapidocr
        elif name == "tesseract":
            missing = _tesseract_missing()
            if missing:
                notes.append(missing)
            else:
                engines[name] = _tesseract
    samples = _samples(args.docs, args.pages)
    images = {
        (sample.key, variant): scans.render_page(sample.lines, variant, sample.key).convert("RGB")
        for sample in samples
        for variant in scans.SCAN_VARIANTS
    }
    _rapidocr(next(iter(images.values())))  # load the models outside the timing

    print(machine_line())
    print()
    print(f"### OCR on the portal's scans: {len(samples)} pages × {len(scans.SCAN_VARIANTS)} variants")
    print()
    print("| engine | variant | pages | CER | 文号 recovered | CPU s/page | pages/s (wall) |")
    print("|---|---|---|---|---|---|---|")
    verdicts: list[str] = []
    for name, engine in engines.items():
        numbers_found = numbers_total = 0
        per_variant: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for variant in scans.SCAN_VARIANTS:
            stats = per_variant[variant]
            for sample in samples:
                image = images[(sample.key, variant)]
                cpu, wall = _cpu(), time.perf_counter()
                text = engine(image)
                stats["cpu"] += _cpu() - cpu
                stats["wall"] += time.perf_counter() - wall
                truth = _normalise("".join(sample.lines))
                stats["errors"] += edit_distance(truth, _normalise(text))
                stats["chars"] += len(truth)
                stats["pages"] += 1
                if sample.doc_number:
                    stats["numbers"] += 1
                    stats["found"] += fields_from_scan(text).doc_number == sample.doc_number
            cer = stats["errors"] / max(stats["chars"], 1)
            numbers_found += int(stats["found"])
            numbers_total += int(stats["numbers"])
            print(
                f"| {name} | {variant} | {int(stats['pages'])} | {cer:.2%} | {int(stats['found'])}/{int(stats['numbers'])} | "
                f"{stats['cpu'] / stats['pages']:.2f} | {stats['pages'] / stats['wall']:.2f} |"
            )
            if name == "rapidocr" and variant in TARGET_CER:
                ok = cer <= TARGET_CER[variant]
                verdicts.append(
                    f"CER {variant} {cer:.2%} ≤ {TARGET_CER[variant]:.0%}: {'PASS' if ok else 'FAIL'}"
                )
        if name == "rapidocr":
            share = numbers_found / max(numbers_total, 1)
            verdicts.append(
                f"文号 {numbers_found}/{numbers_total} = {share:.0%} ≥ {TARGET_DOCNO:.0%}: "
                f"{'PASS' if share >= TARGET_DOCNO else 'FAIL'}"
            )
    print()
    for note in notes:
        print(f"note: {note}")
    print("targets (rapidocr, the crawler's engine): " + "; ".join(verdicts))


if __name__ == "__main__":
    main()
