"""Small pieces: WARC writing and rotation, a cut-off WARC tail, validation rules, the run verdict,
failure classification and host:port scope."""

from __future__ import annotations

import gzip
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from twisted.python.failure import Failure

from crawler.adapters.base import ListEntry, _text, anchors_containing, parse_list_date
from crawler.errors import classify_failure
from crawler.middlewares.scope import HostPortScopeMiddleware, OutOfScope
from crawler.pipelines.validate import validation_problems
from crawler.report import RecordCounts, RunReport
from crawler.spiders.disclosure import content_digest
from crawler.warc_writer import RotatingWarcWriter, read_resource_json
from indexer.archive import RECORD_MEDIA_TYPE, verify_archive
from indexer.schema import Attachment, DisclosureRecord
from tests.crawler.harness import GONGKAI, crawl_env

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path


def make_record(**changes: object) -> DisclosureRecord:
    fields: dict[str, object] = {
        "id": "0" * 20,
        "site": "s",
        "url": "http://127.0.0.1:1/a.html",
        "title": "关于印发某办法的通知",
        "body_text": "正文",
        "published_date": date(2026, 11, 1),
        "fetched_at": NOW,
        "first_seen_at": NOW,
        "last_seen_at": NOW,
        "content_sha256": "x",
    }
    fields.update(changes)
    return DisclosureRecord.model_validate(fields)


def test_warc_writer_rotates_and_records_read_back(tmp_path: Path) -> None:
    writer = RotatingWarcWriter(tmp_path, max_bytes=2000)
    refs = []
    for n in range(6):
        _, warc_id = writer.write_response(
            f"http://127.0.0.1:1/{n}.html",
            status=200,
            reason="OK",
            headers=[("Content-Type", "text/html")],
            body=("内容" * 300).encode(),
        )
        refs.append(
            writer.write_resource(
                f"urn:gongkai:record:{n}:v1", RECORD_MEDIA_TYPE, {"n": n}, refers_to=warc_id
            )
        )
    writer.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) > 1 and files == sorted(files)
    assert [read_resource_json(tmp_path, ref)["n"] for ref in refs] == list(range(6))
    report = verify_archive(tmp_path)
    assert report.ok and report.bad == 0 and report.records == 6 * 2 + len(files)  # + one warcinfo per file


def test_new_writer_never_appends_to_a_cut_off_file(data_dir: Path) -> None:
    tmp_path = data_dir / "warc"
    writer = RotatingWarcWriter(tmp_path)
    for n in range(3):
        writer.write_resource(f"urn:x:{n}", RECORD_MEDIA_TYPE, {"n": n})
    writer.close()
    (first,) = tmp_path.iterdir()
    data = first.read_bytes()
    first.write_bytes(data[: len(data) - 40])  # a crawl killed mid-record
    later = RotatingWarcWriter(tmp_path)
    ref = later.write_resource("urn:x:after", RECORD_MEDIA_TYPE, {"n": 99})
    later.close()
    assert ref.file != first.name and read_resource_json(tmp_path, ref) == {"n": 99}
    report = verify_archive(tmp_path)
    damaged = [f for f in report.files if not f.readable]
    assert [f.file for f in damaged] == [first.name] and report.bad == 0
    lenient = subprocess.run(
        [str(GONGKAI), "archive", "verify", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env=crawl_env(),
        check=False,
    )
    assert lenient.returncode == 0 and "unreadable after record" in lenient.stdout


def test_archive_verify_cli_flags_truncation_and_bad_digests(tmp_path: Path) -> None:
    warc_dir = tmp_path / "warc"
    writer = RotatingWarcWriter(warc_dir)
    writer.write_resource("urn:x:1", RECORD_MEDIA_TYPE, {"n": 1})
    writer.close()
    (path,) = warc_dir.iterdir()

    def verify(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(GONGKAI), "archive", "verify", "--data-dir", str(tmp_path), *extra],
            capture_output=True,
            text=True,
            env=crawl_env(),
            check=False,
        )

    assert verify().returncode == 0
    raw = gzip.decompress(path.read_bytes())
    tampered_raw = raw.replace(b'{"n": 1}', b'{"n": 2}')  # same length, wrong digest
    pieces = [b"WARC/1.0\r\n" + piece for piece in tampered_raw.split(b"WARC/1.0\r\n") if piece]
    path.write_bytes(b"".join(gzip.compress(piece) for piece in pieces))  # one gzip member per record
    tampered = verify()
    assert tampered.returncode == 1 and "BAD DIGEST" in tampered.stdout
    path.write_bytes(path.read_bytes()[:-30])
    cut = verify()
    assert "cut off or unreadable" in cut.stdout
    assert verify("--strict").returncode == 1


def test_validation_rules() -> None:
    assert validation_problems(make_record()) == []
    assert "no title" in validation_problems(make_record(title="  "))
    assert (
        validation_problems(make_record(body_text="", attachments=[Attachment(url="http://x/a.pdf")])) == []
    )
    assert "neither body text nor attachment" in validation_problems(make_record(body_text=""))
    assert "no parsable written or published date" in validation_problems(make_record(published_date=None))
    assert validation_problems(make_record(written_date=date(1900, 1, 1))) == ["implausible date 1900-01-01"]


def test_run_verdict() -> None:
    report = RunReport(site="s", run_id="r", started_at=NOW)
    report.judge()
    assert not report.ok and report.failure_reasons == ["no records harvested"]
    report.records = RecordCounts(new=15, unchanged=5, invalid=2)
    report.judge()
    assert report.ok and report.valid_share == pytest.approx(18 / 20)
    report.records = RecordCounts(new=10, unchanged=5, invalid=2)
    report.judge()
    assert not report.ok and "valid" in report.failure_reasons[0]


def test_content_digest_ignores_fetch_details() -> None:
    one = make_record()
    two = make_record(fetched_at=datetime(2027, 1, 1, tzinfo=UTC), column=["x"], version=3)
    assert content_digest(one) == content_digest(two)
    assert content_digest(one) != content_digest(make_record(title="另一个标题"))


def test_list_signals() -> None:
    assert parse_list_date("发布时间：2026 年 3 月 9 日") == date(2026, 3, 9)
    assert parse_list_date("2026-02-30") is None
    assert ListEntry(url="u").signal is None
    assert ListEntry(url="u", title="t", day=date(2026, 1, 2)).signal == "t|2026-01-02"


def test_failure_classification() -> None:
    from scrapy.exceptions import DownloadTimeoutError, ResponseDataLossError

    assert classify_failure(Failure(DownloadTimeoutError())) == "timeout"
    assert classify_failure(Failure(ResponseDataLossError())) == "truncated"
    assert classify_failure(Failure(IgnoreRequest("max redirections reached"))) == "redirect_loop"
    assert classify_failure(Failure(IgnoreRequest("Forbidden by robots.txt"))) == "robots"


def test_scope_compares_host_and_port() -> None:
    """All portal sites share 127.0.0.1: only the port tells them apart."""
    counted: list[str] = []
    stats = SimpleNamespace(inc_value=counted.append)
    crawler = SimpleNamespace(
        spider=SimpleNamespace(allowed_netlocs={"127.0.0.1:18101"}, site=None), stats=stats
    )
    middleware = HostPortScopeMiddleware(crawler)  # type: ignore[arg-type]
    assert middleware.process_request(Request("http://127.0.0.1:18101/a.html")) is None
    with pytest.raises(OutOfScope):
        middleware.process_request(Request("http://127.0.0.1:18102/a.html"))
    assert counted == ["gongkai/offsite"]


def test_next_page_anchor_candidates_keep_every_anchor_whose_text_can_match() -> None:
    page = (
        '<a href="/2">\n  下一页 </a><a href="/x">不是下一页了</a><a href="/y"><span>下一</span>页</a>'
        '<a href="/z">下一\u3000页</a><a href="/w">上一页</a>'
    ).encode()
    response = HtmlResponse("http://h/1", body=page, encoding="utf-8")
    for text in ("下一页", "下一 页", "尾页"):
        expected = [a.attrib["href"] for a in response.css("a") if _text(a) == text]
        found = [a.attrib["href"] for a in anchors_containing(response, text) if _text(a) == text]
        assert found == expected
    assert [a.attrib["href"] for a in anchors_containing(response, "下一页") if _text(a) == "下一页"] == [
        "/2",
        "/y",
    ]
