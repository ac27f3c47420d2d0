"""`gongkai extract` and build_record."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from click.testing import CliRunner

from cli.extract import extract
from crawler.extraction.encoding import decode_html
from crawler.extraction.page import build_record, extract_page
from indexer.schema import Attachment, DisclosureRecord, record_id
from tests.extraction.conftest import FIXTURES

URL = "http://www.wuhan.gov.cn/zwgk/202012/t20201221_1.shtml"


def test_cli_prints_the_record_of_a_gbk_page() -> None:
    result = CliRunner().invoke(extract, [str(FIXTURES / "trs_gbk.html"), "--url", URL])
    assert result.exit_code == 0, result.output
    record = DisclosureRecord.model_validate(json.loads(result.stdout))
    assert record.id == record_id(URL)
    assert record.site == "www.wuhan.gov.cn"
    assert record.title == "武汉市人民政府关于加强某某管理的通告"
    assert record.doc_number == "武政规〔2020〕12号"
    assert record.attachments[0].url == "http://www.wuhan.gov.cn/zwgk/202012/P020201221512345678901.pdf"


def test_cli_site_and_wrong_content_type() -> None:
    result = CliRunner().invoke(
        extract,
        [
            str(FIXTURES / "trs_gbk.html"),
            "--url",
            URL,
            "--site",
            "wuhan",
            "--content-type",
            "text/html; charset=utf-8",
        ],
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["site"] == "wuhan"
    assert record["issuer"] == "武汉市人民政府"
    assert "decoded as gb18030 (from meta, 0 replaced)" in result.stderr


def test_cli_rejects_a_relative_url() -> None:
    result = CliRunner().invoke(extract, [str(FIXTURES / "govcn.html"), "--url", "content.htm"])
    assert result.exit_code != 0
    assert "absolute" in result.output


def _govcn_html() -> str:
    return decode_html((FIXTURES / "govcn.html").read_bytes()).text


def test_build_record_fields() -> None:
    fetched = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    page = extract_page(_govcn_html(), "https://www.gov.cn/zhengce/content/a.htm")
    record = build_record(
        page,
        url="https://www.gov.cn/zhengce/content/a.htm",
        site="gov",
        column=["政策", "最新"],
        category="规范性文件",
        fetched_at=fetched,
    )
    assert record.id == record_id("https://www.gov.cn/zhengce/content/a.htm")
    assert (record.first_seen_at, record.last_seen_at, record.version) == (fetched, fetched, 1)
    assert record.column == ["政策", "最新"]
    assert record.category == "规范性文件"
    assert record.cites == page.cites
    assert [a.url for a in record.attachments] == [link.url for link in page.attachments]
    given = [Attachment(url="https://www.gov.cn/x.pdf", name="x", media_type="application/pdf", size=3)]
    with_files = build_record(
        page, url="https://www.gov.cn/a.htm", site="gov", column=[], category=None, fetched_at=fetched,
        first_seen_at=datetime(2026, 1, 1, tzinfo=UTC), version=3, content_sha256="abc", attachments=given,
    )  # fmt: skip
    assert (with_files.attachments, with_files.version, with_files.content_sha256) == (given, 3, "abc")
    assert with_files.first_seen_at == datetime(2026, 1, 1, tzinfo=UTC)


def test_content_hash_ignores_furniture_but_not_content() -> None:
    html = _govcn_html()
    url = "https://www.gov.cn/a.htm"
    fetched = datetime(2026, 11, 20, tzinfo=UTC)

    def digest(source: str) -> str:
        page = extract_page(source, url)
        return build_record(
            page, url=url, site="s", column=[], category=None, fetched_at=fetched
        ).content_sha256

    original = digest(html)
    new_ranking = html.replace("国务院办公厅关于印发某某方案的通知", "另一篇热门文章的标题")
    new_footer = html.replace("京ICP备05070218号", "京ICP备99999999号")
    assert new_ranking != html and new_footer != html
    assert digest(new_ranking) == original
    assert digest(new_footer) == original
    assert digest(html.replace("现提出如下意见", "现提出以下意见")) != original
    assert digest(html.replace("2019年06月28日", "2019年06月29日")) != original
