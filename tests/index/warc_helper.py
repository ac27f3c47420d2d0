"""A tiny test-only WARC writer following the conventions documented in indexer/archive.py."""

from __future__ import annotations

import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from indexer.archive import COLUMNS_MEDIA_TYPE, RECORD_MEDIA_TYPE, RECORD_URI_PREFIX, RUN_MEDIA_TYPE
from indexer.schema import DisclosureRecord


class TestWarc:
    """Writes one gzip WARC file; every record is its own gzip member."""

    __test__ = False  # not a test class

    def __init__(self, warc_dir: Path, sequence: int = 1) -> None:
        warc_dir.mkdir(parents=True, exist_ok=True)
        self.path = warc_dir / f"gongkai-20261101080000-{sequence:05d}.warc.gz"
        self._stream = self.path.open("wb")
        self._writer = WARCWriter(self._stream, gzip=True)

    def _write(self, record: object) -> int:
        offset = self._stream.tell()
        self._writer.write_record(record)
        return offset

    def response(
        self, url: str, body: bytes, content_type: str = "text/html; charset=utf-8"
    ) -> tuple[int, str]:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
        )
        return self._write(record), record.rec_headers.get_header("WARC-Record-ID")

    def resource(self, uri: str, media_type: str, text: str, refers_to: str | None = None) -> int:
        data = text.encode("utf-8")
        record = self._writer.create_warc_record(
            uri,
            "resource",
            payload=io.BytesIO(data),
            length=len(data),
            warc_content_type=media_type,
            warc_headers_dict={"WARC-Refers-To": refers_to} if refers_to else None,
        )
        return self._write(record)

    def record(self, record: DisclosureRecord, refers_to: str | None = None) -> int:
        uri = f"{RECORD_URI_PREFIX}{record.id}:v{record.version}"
        return self.resource(uri, RECORD_MEDIA_TYPE, record.model_dump_json(), refers_to)

    def columns(self, payload: dict[str, object]) -> int:
        return self.resource(
            f"urn:gongkai:columns:{payload['site']}", COLUMNS_MEDIA_TYPE, json.dumps(payload)
        )

    def run_report(self, payload: dict[str, object]) -> int:
        return self.resource("urn:gongkai:run:1", RUN_MEDIA_TYPE, json.dumps(payload))

    def close(self) -> None:
        self._stream.close()
