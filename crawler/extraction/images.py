"""Opening untrusted raster images (scans: JPG, PNG, TIFF, GIF, BMP, WebP) without letting them exhaust memory.

Pillow reads only the header on `Image.open`, so the declared size is checked before a single pixel is
decoded: a decompression bomb (a few KB declaring 30,000 × 30,000 pixels) is refused right there. Pillow's own
bomb guard (`MAX_IMAGE_PIXELS`) is set to the same bound as a second line. Large but sane scans are
downscaled to what OCR reads anyway.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator

from PIL import Image

MAX_IMAGE_PIXELS = 40_000_000
"""Pixels an image (or one frame of it) may declare; a 300 dpi A3 scan has ~17.4 million."""
MAX_IMAGE_SIDE = 12_000
OCR_LONG_SIDE = 2_400
"""Scans are shrunk to at most this many pixels on their long side before OCR (~200 dpi for A4)."""

Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


class ImageRefused(ValueError):
    """The image is corrupt, truncated, or too large to decode safely."""


def _check_size(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise ImageRefused(f"image has no pixels ({width}×{height})")
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise ImageRefused(
            f"image too large: {width}×{height} pixels (at most {MAX_IMAGE_PIXELS:,} pixels, "
            f"{MAX_IMAGE_SIDE} on a side)"
        )


def prepare_for_ocr(image: Image.Image) -> Image.Image:
    """A decoded image as 8-bit RGB, no larger than OCR needs."""
    if image.mode not in ("RGB", "L"):
        if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
            background = Image.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        else:
            image = image.convert("RGB")
    if image.mode == "L":
        image = image.convert("RGB")
    long_side = max(image.size)
    if long_side > OCR_LONG_SIDE:
        scale = OCR_LONG_SIDE / long_side
        image = image.resize(
            (max(1, round(image.width * scale)), max(1, round(image.height * scale))),
            Image.Resampling.LANCZOS,
        )
    return image


def image_frames(data: bytes, max_frames: int) -> Iterator[Image.Image]:
    """The first `max_frames` frames (pages of a multi-page TIFF, or the one frame of other formats), decoded
    and prepared for OCR. Raises ImageRefused on a corrupt, truncated or oversized image."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            # a multi-page TIFF is a scanned document; the frames of a GIF are an animation
            frames = (getattr(image, "n_frames", 1) or 1) if image.format == "TIFF" else 1
            for number in range(min(frames, max_frames)):
                if number:
                    image.seek(number)
                _check_size(*image.size)
                image.load()
                yield prepare_for_ocr(image)
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRefused(f"image too large (decompression bomb suspected): {error}") from error
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as error:
        # Pillow reports truncated and malformed files as OSError / SyntaxError / ValueError
        raise ImageRefused(f"unreadable image: {type(error).__name__}: {error}") from error
