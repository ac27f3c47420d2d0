"""Optical character recognition of scanned pages, with a cache by content digest.

The engine is RapidOCR (PP-OCR detection and recognition models run by ONNX Runtime; the models ship inside
the `rapidocr` wheel, so nothing is downloaded at run time). It read the portal's Chinese scans far better
than Tesseract `chi_sim` (see `bench/bench_ocr.py` and the README). The engine is loaded once per process,
lazily: only the extraction worker processes that meet a scan pay for it.

Results are cached per page under `<data dir>/ocr-cache/<engine>/` keyed by the sha256 of the scanned bytes
(the attachment file or body image) and the page number, so a recrawl or a second site holding the same file
never OCRs the same bytes twice.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

ENGINE_NAME = "rapidocr"
MIN_LINE_CONFIDENCE = 0.5
"""Recognised lines scoring below this are dropped (RapidOCR's own default text_score)."""


class OcrOptions(BaseModel):
    """What the crawler lets OCR do; crosses into worker processes, so it is a plain model."""

    model_config = ConfigDict(frozen=True)

    enabled: bool = True
    max_pages: int = Field(default=30, ge=0, description="pages OCR'd per attachment at most")
    cache_dir: str | None = Field(default=None, description="page cache folder; None = no cache")
    threads: int = Field(default=1, ge=1, description="inference threads per worker process")


@dataclass
class PageText:
    text: str
    confidence: float | None  # mean of the recognised lines' scores; None when nothing was read


@dataclass
class OcrStats:
    """What OCR did for one file (summed into the run report)."""

    pages: int = 0
    cached_pages: int = 0
    seconds: float = 0.0
    skipped_pages: int = 0
    confidences: list[float] = field(default_factory=list)

    def add(self, page: PageText, *, cached: bool, seconds: float) -> None:
        self.pages += 1
        self.cached_pages += cached
        self.seconds += seconds
        if page.confidence is not None:
            self.confidences.append(page.confidence)

    @property
    def mean_confidence(self) -> float | None:
        return round(sum(self.confidences) / len(self.confidences), 4) if self.confidences else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "cached_pages": self.cached_pages,
            "seconds": round(self.seconds, 3),
            "skipped_pages": self.skipped_pages,
        }


_engine_lock = threading.Lock()
_engines: dict[int, Any] = {}


def _rapidocr(threads: int) -> Any:
    with _engine_lock:
        if threads not in _engines:
            from rapidocr import RapidOCR

            _engines[threads] = RapidOCR(
                params={
                    "Global.log_level": "error",
                    "Global.text_score": MIN_LINE_CONFIDENCE,
                    "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                }
            )
        return _engines[threads]


@dataclass
class _Box:
    text: str
    score: float
    top: float
    bottom: float
    left: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def _lines(boxes: list[_Box]) -> list[list[_Box]]:
    """Recognised boxes grouped into printed lines: a box joins the line its vertical middle falls in."""
    lines: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: b.middle):
        line = lines[-1] if lines else None
        if line and line[0].top <= box.middle <= line[0].bottom:
            line.append(box)
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.left) for line in lines]


def read_image(image: Image.Image, threads: int = 1) -> PageText:
    """The text of one page image, lines top to bottom, boxes of a line left to right."""
    import numpy as np

    result = _rapidocr(threads)(np.asarray(image.convert("RGB")))
    if result.txts is None or result.boxes is None or result.scores is None:
        return PageText("", None)
    boxes = [
        _Box(
            text=str(text),
            score=float(score),
            top=float(min(point[1] for point in box)),
            bottom=float(max(point[1] for point in box)),
            left=float(min(point[0] for point in box)),
        )
        for box, text, score in zip(result.boxes, result.txts, result.scores, strict=True)
        if str(text).strip()
    ]
    if not boxes:
        return PageText("", None)
    text = "\n".join("".join(box.text for box in line) for line in _lines(boxes))
    return PageText(text, round(sum(b.score for b in boxes) / len(boxes), 4))


class PageCache:
    """OCR'd pages on disk, one small JSON file per (content sha256, page)."""

    def __init__(self, folder: str | None) -> None:
        self.folder = Path(folder) / ENGINE_NAME if folder else None

    def _path(self, digest: str, page: int) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / digest[:2] / f"{digest}-{page}.json"

    def get(self, digest: str, page: int) -> PageText | None:
        path = self._path(digest, page)
        if path is None:
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return PageText(str(data["text"]), data.get("confidence"))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, digest: str, page: int, text: PageText) -> None:
        path = self._path(digest, page)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            temporary.write_text(
                json.dumps({"text": text.text, "confidence": text.confidence}, ensure_ascii=False),
                encoding="utf-8",
            )
            os.replace(temporary, path)  # workers may race on the same page: last complete write wins
        except OSError:
            pass  # a full or read-only disk costs a re-OCR later, not the crawl


def ocr_page(
    digest: str, page: int, render: Any, options: OcrOptions, cache: PageCache, stats: OcrStats
) -> PageText:
    """Page `page` of the file with sha256 `digest`: from the cache, else `render()` → image → OCR."""
    started = time.perf_counter()
    cached = cache.get(digest, page)
    if cached is not None:
        stats.add(cached, cached=True, seconds=0.0)
        return cached
    text = read_image(render(), options.threads)
    cache.put(digest, page, text)
    stats.add(text, cached=False, seconds=time.perf_counter() - started)
    return text
