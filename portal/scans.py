"""Scanned documents: text rendered to page images with a CJK font, in the ways real scans differ.

Variants (`ScanVariant`): ``clean`` (a crisp 150 dpi scan), ``noisy`` (speckle, grey background, a slight
rotation and blur, as from a photocopy or a phone photo) and ``lowres`` (about 100 dpi, JPEG-compressed).
Every function is a pure function of its arguments (randomness is seeded), so digests in the manifest match
the served bytes. Also builds OFD packages (GB/T 33190) with a text layer or a scanned page.

The font comes from fontconfig (Debian's fonts-noto-cjk, which scripts/test.sh installs).
"""

from __future__ import annotations

import io
import random
import subprocess
import zipfile
from functools import lru_cache
from typing import Literal
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ScanVariant = Literal["clean", "noisy", "lowres"]
SCAN_VARIANTS: tuple[ScanVariant, ...] = ("clean", "noisy", "lowres")
ImageFormat = Literal["png", "jpg", "tiff", "gif"]

PAGE_WIDTH = 1240  # A4 at 150 dpi
MARGIN = 90
FONT_SIZE = 30
LINE_GAP = 22
CHARS_PER_LINE = 34
_FONT_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "AR PL UMing CN")


class NoCjkFont(RuntimeError):
    """No font with Chinese glyphs is installed (install Debian's fonts-noto-cjk)."""


@lru_cache(maxsize=1)
def _font_file() -> tuple[str, int]:
    for family in _FONT_FAMILIES:
        try:
            found = subprocess.run(
                ["fc-match", "-f", "%{file}\t%{index}\t%{family}", f"{family}:lang=zh-cn"],
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            break
        path, _, rest = found.partition("\t")
        index, _, families = rest.partition("\t")
        if path and family.split()[0].lower() in families.lower():
            return path, int(index or 0)
    raise NoCjkFont("no CJK font found by fontconfig; install fonts-noto-cjk to render scanned documents")


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    path, index = _font_file()
    return ImageFont.truetype(path, size, index=index)


def wrap(lines: tuple[str, ...] | list[str], width: int = CHARS_PER_LINE) -> list[str]:
    """The printed lines of a text: each line cut every `width` characters."""
    printed: list[str] = []
    for line in lines:
        printed.extend(line[n : n + width] for n in range(0, len(line), width))
    return printed


def render_page(lines: tuple[str, ...] | list[str], variant: ScanVariant, seed: str) -> Image.Image:
    """One scanned page holding `lines` (a title line first, centred), as a greyscale image."""
    printed = wrap(lines)
    font = _font(FONT_SIZE)
    height = 2 * MARGIN + len(printed) * (FONT_SIZE + LINE_GAP)
    page = Image.new("L", (PAGE_WIDTH, height), 255)
    draw = ImageDraw.Draw(page)
    y = MARGIN
    for number, line in enumerate(printed):
        width = draw.textlength(line, font=font)
        x = (PAGE_WIDTH - width) / 2 if number == 0 else MARGIN
        draw.text((x, y), line, font=font, fill=0)
        y += FONT_SIZE + LINE_GAP
    rng = random.Random(f"{seed}:{variant}")
    if variant == "noisy":
        return _noisy(page, rng)
    if variant == "lowres":
        small = page.resize((PAGE_WIDTH * 2 // 3, height * 2 // 3), Image.Resampling.BILINEAR)
        buffer = io.BytesIO()
        small.save(buffer, "JPEG", quality=55)
        return Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    return page


def _noisy(page: Image.Image, rng: random.Random) -> Image.Image:
    import numpy as np

    angle = rng.uniform(-1.5, 1.5)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    page = page.filter(ImageFilter.GaussianBlur(0.6))
    generator = np.random.default_rng(rng.getrandbits(32))
    pixels = np.asarray(page, dtype=np.float32) * 0.85 + 20  # grey paper, less contrast
    pixels += generator.normal(0, 14, pixels.shape)
    speckle = generator.random(pixels.shape)
    pixels[speckle < 0.004] = 40
    pixels[speckle > 0.996] = 250
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")


def image_bytes(page: Image.Image, image_format: ImageFormat) -> bytes:
    buffer = io.BytesIO()
    if image_format == "jpg":
        page.convert("RGB").save(buffer, "JPEG", quality=80)
    elif image_format == "png":
        page.save(buffer, "PNG", optimize=False)
    elif image_format == "tiff":
        page.save(buffer, "TIFF", compression="tiff_deflate")
    else:
        page.convert("P", palette=Image.Palette.ADAPTIVE, colors=16).save(buffer, "GIF")
    return buffer.getvalue()


def scan_pdf(pages: list[Image.Image]) -> bytes:
    """An image-only PDF (no text layer), one page per image, as a scanner writes it."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    for page in pages:
        width, height = page.width * 72 / 150, page.height * 72 / 150
        pdf.setPageSize((width, height))
        pdf.drawImage(ImageReader(page.convert("RGB")), 0, 0, width, height)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


_OFD_NS = "http://www.ofdspec.org/2016"
_MM_PER_CHAR = 5.0


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


def _ofd_root(title: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{_OFD_NS}" Version="1.0" DocType="OFD">'
        f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID><ofd:Title>{escape(title)}</ofd:Title>"
        "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    ).encode()


def _ofd_document(pages: int, with_media: bool) -> bytes:
    page_list = "".join(
        f'<ofd:Page ID="{n + 10}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(pages)
    )
    res = "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>" if with_media else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{_OFD_NS}"><ofd:CommonData>'
        "<ofd:MaxUnitID>100</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
        f"</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{res}</ofd:CommonData>"
        f"<ofd:Pages>{page_list}</ofd:Pages></ofd:Document>"
    ).encode()


_PUBLIC_RES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{_OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
    '<ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
).encode()


def ofd_document(pages: list[list[str]], title: str = "") -> bytes:
    """An OFD package with a text layer: each page's lines as TextObjects (one per line, split in two runs
    as producers often do)."""
    members = {"OFD.xml": _ofd_root(title), "Doc_0/Document.xml": _ofd_document(len(pages), False)}
    members["Doc_0/PublicRes.xml"] = _PUBLIC_RES
    for number, lines in enumerate(pages):
        objects = []
        for row, line in enumerate(lines):
            y = 30 + row * 8
            half = len(line) // 2
            for part, (start, piece) in enumerate(((0, line[:half]), (half, line[half:]))):
                if not piece:
                    continue
                objects.append(
                    f'<ofd:TextObject ID="{1000 + row * 2 + part}" Boundary="{25 + start * _MM_PER_CHAR:.1f} {y} '
                    f'{len(piece) * _MM_PER_CHAR:.1f} 6" Font="2" Size="4.2"><ofd:TextCode X="0" Y="5">'
                    f"{escape(piece)}</ofd:TextCode></ofd:TextObject>"
                )
        members[f"Doc_0/Pages/Page_{number}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{_OFD_NS}"><ofd:Content>'
            f'<ofd:Layer ID="{900 + number}">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
        ).encode()
    return _zip(members)


def scanned_ofd(page: Image.Image, title: str = "") -> bytes:
    """An OFD package whose one page is a scanned image (no text layer)."""
    members = {"OFD.xml": _ofd_root(title), "Doc_0/Document.xml": _ofd_document(1, True)}
    members["Doc_0/PublicRes.xml"] = _PUBLIC_RES
    members["Doc_0/DocumentRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{_OFD_NS}" BaseLoc="Res"><ofd:MultiMedias>'
        '<ofd:MultiMedia ID="50" Type="Image"><ofd:MediaFile>scan_0.png</ofd:MediaFile></ofd:MultiMedia>'
        "</ofd:MultiMedias></ofd:Res>"
    ).encode()
    members["Doc_0/Res/scan_0.png"] = image_bytes(page, "png")
    members["Doc_0/Pages/Page_0/Content.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{_OFD_NS}"><ofd:Content>'
        '<ofd:Layer ID="900"><ofd:ImageObject ID="60" ResourceID="50" Boundary="0 0 210 100" '
        'CTM="210 0 0 100 0 0"/></ofd:Layer></ofd:Content></ofd:Page>'
    ).encode()
    return _zip(members)
