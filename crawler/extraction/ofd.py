"""Text of OFD files (GB/T 33190-2016, China's fixed-layout document format).

An OFD file is a zip: `OFD.xml` names each document's root (`Doc_0/Document.xml`), which lists its pages
(`Pages/Page_0/Content.xml`); a page's text lives in `TextObject` elements (a `Boundary` placing the object
and `TextCode` runs). No maintained Python library reads OFD text (the PyPI packages are unmaintained or
render via heavy stacks), so the XML is read directly, with defusedxml against entity bombs; the zip itself
is checked for bombs before (see attachments). A page without text but with images (a scanned OFD) is
OCR'd through the caller's `ocr_image` callback.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

MAX_OFD_PAGES = 2_000
MAX_XML_BYTES = 16 * 1024 * 1024


class OfdError(ValueError):
    """The file is not a readable OFD package."""


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element.iter() if _local(child.tag) == name]


def _first_text(element: Element, name: str) -> str | None:
    for child in _children(element, name):
        if child.text and child.text.strip():
            return child.text.strip()
    return None


@dataclass
class _Package:
    archive: zipfile.ZipFile
    names: dict[str, str]  # lower-cased path → real member name

    def xml(self, path: str) -> Element:
        member = self.names.get(posixpath.normpath(path.lstrip("/")).lower())
        if member is None:
            raise OfdError(f"missing part {path}")
        info = self.archive.getinfo(member)
        if info.file_size > MAX_XML_BYTES:
            raise OfdError(f"part {path} too large: {info.file_size} bytes")
        return ElementTree.fromstring(self.archive.read(member))

    def data(self, path: str) -> bytes | None:
        member = self.names.get(posixpath.normpath(path.lstrip("/")).lower())
        return self.archive.read(member) if member is not None else None


def _resolve(base: str, location: str) -> str:
    location = location.strip()
    if location.startswith("/"):
        return location.lstrip("/")
    return posixpath.join(base, location)


def _page_lines(content: Element) -> list[str]:
    """Text runs of a page grouped into lines by their vertical position, each line read left to right."""
    runs: list[tuple[float, float, str]] = []
    for text_object in _children(content, "TextObject"):
        boundary = [float(v) for v in (text_object.get("Boundary") or "0 0 0 0").split()[:4]] + [0.0] * 4
        for code in _children(text_object, "TextCode"):
            if not code.text:
                continue
            x = boundary[0] + float(code.get("X") or 0)
            y = boundary[1] + float(code.get("Y") or 0)
            runs.append((y, x, code.text))
    runs.sort()
    lines: list[list[tuple[float, str]]] = []
    last_y: float | None = None
    for y, x, text in runs:
        if last_y is None or abs(y - last_y) > 1.5:  # mm; runs of one line share a baseline
            lines.append([])
        lines[-1].append((x, text))
        last_y = y
    return ["".join(text for _, text in sorted(line)).strip() for line in lines]


def _media(package: _Package, document: Element, doc_base: str) -> dict[str, str]:
    """Resource id → path of each image in the document's resource files."""
    found: dict[str, str] = {}
    for tag in ("PublicRes", "DocumentRes"):
        for reference in _children(document, tag):
            if not reference.text:
                continue
            res_path = _resolve(doc_base, reference.text)
            try:
                resources = package.xml(res_path)
            except (OfdError, ElementTree.ParseError, KeyError):
                continue
            res_base = posixpath.join(posixpath.dirname(res_path), resources.get("BaseLoc") or "")
            for media in _children(resources, "MultiMedia"):
                location = _first_text(media, "MediaFile")
                if media.get("ID") and location:
                    found[media.get("ID") or ""] = _resolve(res_base, location)
    return found


def ofd_text(
    data: bytes,
    max_chars: int,
    ocr_image: Callable[[bytes], str] | None = None,
) -> str:
    """The text of every page of every document in an OFD package, pages in order. `ocr_image(bytes)`
    reads a scanned page's image (called only for pages holding images and no text)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise OfdError(f"not a zip package: {error}") from error
    with archive:
        package = _Package(archive, {name.lower(): name for name in archive.namelist()})
        root = package.xml("OFD.xml")
        pieces: list[str] = []
        size = 0
        page_number = 0
        for doc_root in _children(root, "DocRoot"):
            if not doc_root.text:
                continue
            doc_path = _resolve("", doc_root.text)
            doc_base = posixpath.dirname(doc_path)
            document = package.xml(doc_path)
            media: dict[str, str] | None = None
            for page in _children(document, "Page"):
                if page_number >= MAX_OFD_PAGES or size >= max_chars:
                    break
                location = page.get("BaseLoc")
                if not location:
                    continue
                content = package.xml(_resolve(doc_base, location))
                lines = [line for line in _page_lines(content) if line]
                if not lines and ocr_image is not None:
                    if media is None:
                        media = _media(package, document, doc_base)
                    for image in _children(content, "ImageObject"):
                        image_bytes = package.data(media.get(image.get("ResourceID") or "", ""))
                        if image_bytes:
                            lines.append(ocr_image(image_bytes))
                text = "\n".join(line for line in lines if line)
                pieces.append(text)
                size += len(text) + 1
                page_number += 1
        return "\n".join(piece for piece in pieces if piece)[:max_chars]
