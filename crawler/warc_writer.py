"""Rotating gzip WARC writer following the conventions of `indexer.archive`.

Every record is its own gzip member, flushed at once, so a process killed mid-run leaves at worst one cut-off
record at the tail of the current file. Members are compressed at a low level (`DEFAULT_GZIP_LEVEL`): most
payloads are already-compressed attachments, so level 9 (warcio's own) costs CPU on the reactor thread for a few
percent of size. The compressor is Intel ISA-L's (`isal`), which writes ordinary gzip members (read by warcio and
zlib like any other) about four times faster than zlib at its level 1 for the same size: compression was about
7 % of the reactor thread's time in a crawl, which is the crawl's bottleneck (issue 13, bench_crawl). The writer
counts the bytes it hands to the file instead of asking the file for its position. A writer never appends to an
existing file: each process starts a new file whose sequence number continues after the highest one on disk, so
a truncated tail stays where it is.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from isal import isal_zlib
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from indexer.archive import WARC_FILE_GLOB
from indexer.schema import WarcRef

DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024
DEFAULT_GZIP_LEVEL = 1
"""ISA-L levels run 0 to 3; 1 compresses about as well as zlib's level 1."""
_SEQUENCE = re.compile(r"-(\d{5,})\.warc\.gz$")


class _GzipMemberFile:
    """What warcio writes a record into: compresses into one gzip member, which `flush` (called by warcio at the
    end of every record) closes and pushes to the file; `position` is the file offset after the last byte."""

    def __init__(self, file: BinaryIO, level: int) -> None:
        self._file = file
        self._level = level
        self._compressor: Any = None
        self.position = 0

    def write(self, data: bytes) -> int:
        if self._compressor is None:
            self._compressor = isal_zlib.compressobj(
                self._level, isal_zlib.DEFLATED, isal_zlib.MAX_WBITS + 16
            )
        compressed = self._compressor.compress(data)
        if compressed:
            self._file.write(compressed)
            self.position += len(compressed)
        return len(data)

    def flush(self) -> None:
        if self._compressor is not None:
            tail = self._compressor.flush()
            self._file.write(tail)
            self.position += len(tail)
            self._compressor = None
        self._file.flush()

    def close(self) -> None:
        self.flush()
        self._file.close()


class RotatingWarcWriter:
    """Writes response and resource records, starting a new file when the current one passes `max_bytes`."""

    def __init__(
        self,
        warc_dir: Path,
        *,
        max_bytes: int = DEFAULT_MAX_FILE_BYTES,
        software: str = "gongkai",
        gzip_level: int = DEFAULT_GZIP_LEVEL,
        writer: str | None = None,
    ) -> None:
        self.warc_dir = Path(warc_dir)
        self.writer = writer  # several processes writing one folder: each names its files
        self.warc_dir.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.gzip_level = gzip_level
        self.software = software
        self._sequence = self._highest_sequence()
        self._file: _GzipMemberFile | None = None
        self._name = ""
        self._writer: WARCWriter | None = None
        self.records_written = 0

    def _highest_sequence(self) -> int:
        numbers = [
            int(m.group(1)) for p in self.warc_dir.glob(WARC_FILE_GLOB) if (m := _SEQUENCE.search(p.name))
        ]
        return max(numbers, default=0)

    def _open_next(self) -> None:
        self.close()
        self._sequence += 1
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        writer = f"{self.writer}-" if self.writer else ""
        self._name = f"gongkai-{stamp}-{writer}{self._sequence:05d}.warc.gz"
        self._file = _GzipMemberFile((self.warc_dir / self._name).open("xb"), self.gzip_level)
        # gzip=False: warcio writes plain bytes into `_GzipMemberFile`, which makes one gzip member per record
        self._writer = WARCWriter(self._file, gzip=False)
        info = self._writer.create_warcinfo_record(
            self._name, {"software": self.software, "format": "WARC File Format 1.1"}
        )
        self._writer.write_record(info)
        self._file.flush()

    def _ready(self) -> tuple[_GzipMemberFile, WARCWriter]:
        if self._file is None or self._writer is None or self._file.position >= self.max_bytes:
            self._open_next()
        assert self._file is not None and self._writer is not None
        return self._file, self._writer

    def _write(self, record: object) -> WarcRef:
        file, writer = self._ready()
        offset = file.position
        writer.write_record(record)  # ends with file.flush(): the member is complete and on disk
        self.records_written += 1
        return WarcRef(file=self._name, offset=offset)

    def write_response(
        self,
        url: str,
        *,
        status: int,
        reason: str,
        headers: list[tuple[str, str]],
        body: bytes,
        protocol: str = "HTTP/1.1",
    ) -> tuple[WarcRef, str]:
        """Archive one HTTP response; returns where it lives and its WARC-Record-ID."""
        _, writer = self._ready()
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol=protocol)
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http_headers
        )
        ref = self._write(record)
        return ref, record.rec_headers.get_header("WARC-Record-ID")

    def write_resource(
        self, uri: str, media_type: str, payload: dict[str, object] | str, *, refers_to: str | None = None
    ) -> WarcRef:
        """Archive derived JSON (a record version, a column tree, a run report)."""
        _, writer = self._ready()
        text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False, default=str)
        data = text.encode("utf-8")
        warc_headers = {"WARC-Refers-To": refers_to} if refers_to else None
        record = writer.create_warc_record(
            uri,
            "resource",
            payload=io.BytesIO(data),
            length=len(data),
            warc_content_type=media_type,
            warc_headers_dict=warc_headers,
        )
        return self._write(record)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = None
        self._writer = None


def read_resource_json(warc_dir: Path, ref: WarcRef) -> dict[str, object]:
    """Read back the JSON payload of a resource record written by `write_resource`."""
    from warcio.archiveiterator import ArchiveIterator

    with (Path(warc_dir) / ref.file).open("rb") as stream:
        stream.seek(ref.offset)
        for record in ArchiveIterator(stream):
            return json.loads(record.content_stream().read().decode("utf-8"))
    raise ValueError(f"no WARC record at {ref.file}:{ref.offset}")
