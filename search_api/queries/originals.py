"""Serving archived bytes so that they can never run script in the UI's origin.

Choice: by default the original is a download (`Content-Disposition: attachment`, original media type); with
`view=text` it is shown inline as `text/plain; charset=utf-8` (decoded with its declared charset, else UTF-8,
else GB18030). Both carry `Content-Security-Policy: sandbox; default-src 'none'` and `nosniff`, so even a browser
that renders it treats it as an opaque origin without scripts.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from fastapi.responses import Response

from indexer.archive import ArchivedResponse, ArchiveReadError, read_response
from indexer.schema import WarcRef

SANDBOX_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, max-age=300",
}
_CHARSET = re.compile(r"charset=([\w.:-]+)", re.IGNORECASE)
_EXTENSIONS = {
    "text/html": "html",
    "application/pdf": "pdf",
    "application/json": "json",
    "text/plain": "txt",
    "application/xml": "xml",
    "text/xml": "xml",
}


class OriginalUnavailable(LookupError):
    """The archived bytes cannot be read (missing file, bad offset, no archive reader)."""


def load_original(warc_dir: Path, warc: WarcRef) -> ArchivedResponse:
    root = warc_dir.resolve()
    path = (root / warc.file).resolve()
    if root not in path.parents:
        raise OriginalUnavailable("archived file is outside the archive directory")
    if not path.is_file():
        raise OriginalUnavailable(f"archived file {warc.file} is missing")
    try:
        return read_response(path, warc.offset)
    except ArchiveReadError as error:
        raise OriginalUnavailable(str(error)) from error


def _decode(body: bytes, content_type: str) -> str:
    declared = _CHARSET.search(content_type or "")
    candidates = [declared.group(1)] if declared else []
    for encoding in [*candidates, "utf-8", "gb18030"]:
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")


def original_response(original: ArchivedResponse, *, record_id: str, as_text: bool) -> Response:
    content_type = original.content_type or "application/octet-stream"
    if not content_type.isascii() or not content_type.isprintable():
        content_type = "application/octet-stream"
    body = original.body
    headers = dict(SANDBOX_HEADERS)
    headers["X-Original-URL"] = quote(original.url, safe="/:?&=#%+;,@!$'()*[]~")
    if as_text:
        return Response(
            _decode(body, content_type).encode("utf-8"),
            media_type="text/plain; charset=utf-8",
            headers=headers | {"Content-Disposition": "inline"},
        )
    extension = _EXTENSIONS.get(content_type.split(";")[0].strip().lower(), "bin")
    headers["Content-Disposition"] = f'attachment; filename="{record_id}.{extension}"'
    return Response(body, media_type=content_type, headers=headers)
