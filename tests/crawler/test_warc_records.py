"""The WARC writer builds response and resource records itself: they must be what warcio's own record builder
writes (same headers in the same order, same digests, same layout), apart from the record id and date."""

from __future__ import annotations

import gzip
import io
import re
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.warc_writer import RotatingWarcWriter

HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Disposition", 'attachment; filename="\u00e9\u0085\u008d.pdf"'),  # UTF-8 bytes read as latin-1
    ("ETag", '"abc"'),
]
BODY = "<html><body>政府信息公开</body></html>".encode()
_VARIABLE = re.compile(rb"(WARC-Record-ID: <urn:uuid:)[0-9a-f-]+(>)|(WARC-Date: )[0-9TZ:-]+")


def _normalised(member: bytes) -> bytes:
    return _VARIABLE.sub(lambda m: b"".join(g for g in m.groups() if g), member)


def _warcio_record(build: str) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    if build == "response":
        http_headers = StatusAndHeaders("404 Not Found", list(HEADERS), protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "http://127.0.0.1:1/a.html",
            "response",
            payload=io.BytesIO(BODY),
            length=len(BODY),
            http_headers=http_headers,
        )
    else:
        data = '{"id":"记录"}'.encode()
        record = writer.create_warc_record(
            "urn:gongkai:record:1:v1",
            "resource",
            payload=io.BytesIO(data),
            length=len(data),
            warc_content_type="application/json",
            warc_headers_dict={"WARC-Refers-To": "<urn:uuid:1>"},
        )
    writer.write_record(record)
    return out.getvalue()


def _our_records(tmp_path: Path) -> list[bytes]:
    writer = RotatingWarcWriter(tmp_path)
    writer.write_response(
        "http://127.0.0.1:1/a.html", status=404, reason="Not Found", headers=list(HEADERS), body=BODY
    )
    writer.write_resource(
        "urn:gongkai:record:1:v1", "application/json", '{"id":"记录"}', refers_to="<urn:uuid:1>"
    )
    writer.close()
    path = next(tmp_path.glob("*.warc.gz"))
    members = gzip.decompress(path.read_bytes()).split(b"WARC/1.0\r\n")[1:]
    return [b"WARC/1.0\r\n" + member for member in members[1:]]  # the first one is the warcinfo record


def test_records_are_those_warcio_builds(tmp_path: Path) -> None:
    response, resource = _our_records(tmp_path)
    assert _normalised(response) == _normalised(_warcio_record("response"))
    assert _normalised(resource) == _normalised(_warcio_record("resource"))


def test_records_pass_warcio_digest_checks(tmp_path: Path) -> None:
    writer = RotatingWarcWriter(tmp_path)
    _, record_id = writer.write_response(
        "http://127.0.0.1:1/a.html", status=200, reason="OK", headers=list(HEADERS), body=BODY
    )
    writer.write_resource("urn:x", "application/json", {"a": "值"}, refers_to=record_id)
    writer.close()
    with next(tmp_path.glob("*.warc.gz")).open("rb") as stream:
        records = ArchiveIterator(stream, check_digests="raise")
        kinds = [
            (r.rec_type, r.rec_headers.get_header("WARC-Record-ID"), r.content_stream().read())
            for r in records
        ]
    assert [k[0] for k in kinds] == ["warcinfo", "response", "resource"]
    assert kinds[1][1] == record_id and kinds[1][2] == BODY
    assert kinds[2][2] == '{"a": "值"}'.encode()
