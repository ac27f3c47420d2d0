"""Broken input never raises; furniture never reaches the body; hints override the generic rules."""

from __future__ import annotations

import os
import random

import pytest

from crawler.extraction.encoding import decode_html
from crawler.extraction.page import ExtractionHints, extract_page
from tests.extraction.conftest import FIXTURES

URL = "http://www.example.gov.cn/art/2020/1/1/art_1_1.html"
FURNITURE = ("点击排行", "推荐阅读", "网站标识码", "ICP备", "分享到", "当前位置", "您现在的位置", "责任编辑", "【打印】", "【关闭】", "打印本页", "关闭窗口", "版权所有")  # fmt: skip


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n\t ",
        "<html>",
        "<<<>>>",
        "<table><tr><td>索引号：<td><b>发文字号：国发〔2019〕5号",
        "<div><p>unclosed <b>bold <i>italic <table><tr><td>cell",
        "\x00\x01\x02<p>nul bytes\x00</p>",
        '<?xml version="1.0" encoding="gbk"?><html><body><p>正文内容在这里。</p></body></html>',
        "<html><body><script>var fileNum='",
        '<html><body><script>window._CONFIG = {DETAIL: {"content": "<p>unterminated',
        "<html><head><base href='::::'></head><body><a href='a.pdf'>附件</a></body></html>",
        "<p>\ud800 lone surrogate</p>",
        "<a href='http://[bad-ipv6/a.pdf'>坏链接.pdf</a>",
    ],
)
def test_broken_html_never_raises(html: str) -> None:
    page = extract_page(html, URL)
    assert isinstance(page.warnings, list)


def test_empty_document_is_reported() -> None:
    page = extract_page("", URL)
    assert page.title is None
    assert page.body_text == ""
    assert "no title" in page.warnings and "no body" in page.warnings


def test_binary_garbage_never_raises() -> None:
    generator = random.Random(20261128)
    for size in (1, 17, 1000, 65536):
        garbage = bytes(generator.randrange(256) for _ in range(size))
        decoded = decode_html(garbage)
        page = extract_page(decoded.text, URL)
        assert page.cites == [] or all(isinstance(c, str) for c in page.cites)
    page = extract_page(decode_html(os.urandom(4096)).text, URL)
    assert isinstance(page.body_text, str)


def test_unclosed_tags_still_yield_fields() -> None:
    html = (
        "<html><head><title>关于某事的通知_某某局</title><body><table><tr><td>发文字号：<td>鲁政字〔2011〕40号"
        "<tr><td>发布日期：<td>2011-05-06<div id='zoom'><p>正文第一段，依据国发〔2019〕5号文件。<p>正文第二段"
    )
    page = extract_page(html, URL)
    assert page.doc_number == "鲁政字〔2011〕40号"
    assert page.published_date is not None and page.published_date.isoformat() == "2011-05-06"
    assert page.cites == ["国发〔2019〕5号"]
    assert "正文第二段" in page.body_text


@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.glob("*.html")))
def test_furniture_never_leaks_into_body(name: str) -> None:
    page = extract_page(decode_html((FIXTURES / name).read_bytes()).text, URL)
    assert page.body_text
    for marker in FURNITURE:
        assert marker not in page.body_text, marker


def test_paragraphs_are_one_per_line() -> None:
    html = "<div id='zoom'><p>第一段。</p><p>　　第二段<br>第二段续行</p><div>第三段</div></div>"
    assert extract_page(html, URL).body_text == "第一段。\n第二段\n第二段续行\n第三段"


def test_density_fallback_finds_unmarked_body() -> None:
    paragraphs = "".join(
        f"<p>这是正文第{n}段，内容足够长，用来让文本密度判断选中正确的区域。</p>" for n in range(5)
    )
    links = "".join(f"<li><a href='/{n}.html'>其他新闻标题第{n}条很长很长很长</a></li>" for n in range(30))
    html = (
        f"<html><body><div class='left'><ul>{links}</ul></div><div class='x'>{paragraphs}</div></body></html>"
    )
    page = extract_page(html, URL)
    assert page.body_text.count("\n") == 4
    assert "其他新闻" not in page.body_text


def test_section_heading_furniture_and_following_list_are_dropped() -> None:
    html = (
        "<div class='content'><p>正文内容一段，文字较多。</p><h4>相关链接</h4>"
        "<ul><li><a href='/a'>别的文件甲</a></li><li><a href='/b'>别的文件乙</a></li></ul></div>"
    )
    assert extract_page(html, URL).body_text == "正文内容一段，文字较多。"


def test_hints_override_generic_rules() -> None:
    html = (
        "<html><head><title>站点名称</title></head><body><div class='t'>真正的标题在这里</div>"
        "<div id='zoom'><p>容器里的文字</p></div><div class='mine'><p>提示指定的正文</p><p class='ad'>广告</p></div>"
        "<div class='meta'><span>发文字号：京政发〔2021〕3号</span></div>"
        "<p>发文字号：京政发〔2020〕1号</p></body></html>"
    )
    hints = ExtractionHints(
        title_selector="div.t",
        body_selector="div.mine",
        metadata_selector="div.meta",
        drop_selectors=["p.ad"],
    )
    page = extract_page(html, URL, hints=hints)
    assert page.title == "真正的标题在这里"
    assert page.body_text == "提示指定的正文"
    assert page.doc_number == "京政发〔2021〕3号"
    plain = extract_page(html, URL)
    assert plain.body_text == "容器里的文字"


def test_bad_selector_is_a_warning() -> None:
    page = extract_page(
        "<div id='zoom'><p>正文</p></div>", URL, hints=ExtractionHints(body_selector="div[[[")
    )
    assert page.body_text == "正文"
    assert any("bad selector" in warning for warning in page.warnings)


def test_default_year_for_month_day_dates() -> None:
    html = "<div class='info'>发布日期：(01-25)</div><div id='zoom'><p>正文</p></div>"
    page = extract_page(html, URL, hints=ExtractionHints(default_year=2020))
    assert page.published_date is not None and page.published_date.isoformat() == "2020-01-25"
    assert extract_page(html, URL).published_date is None


def test_placeholder_number_is_none_and_unparsable_number_is_warned() -> None:
    placeholder = extract_page("<table><tr><td>文号：</td><td>其它</td></tr></table><p>正文内容</p>", URL)
    assert (placeholder.doc_number, placeholder.doc_number_raw) == (None, None)
    odd = extract_page("<table><tr><td>文号：</td><td>内部文件甲</td></tr></table><p>正文内容</p>", URL)
    assert (odd.doc_number, odd.doc_number_raw) == (None, "内部文件甲")
    assert "unparsed doc number: 内部文件甲" in odd.warnings


def test_listing_header_row_is_not_metadata() -> None:
    html = (
        "<div id='zoom'><p>下列文件废止：</p><table><tr><td>文件名称</td><td>文号</td><td>发布日期</td></tr>"
        "<tr><td>关于某事的通知</td><td>济政发〔2010〕3号</td><td>2010-01-02</td></tr></table></div>"
    )
    page = extract_page(html, URL)
    assert page.doc_number is None
    assert page.published_date is None
    assert page.cites == ["济政发〔2010〕3号"]


def test_escaped_payload_units() -> None:
    html = "<script>var fileNum = '%u6D59%u653F%u53D1%u30142021%u30155%u53F7';</script><div id='zoom'><p>正文</p></div>"
    assert extract_page(html, URL).doc_number == "浙政发〔2021〕5号"


def test_header_line_with_counters_does_not_pollute_the_issuer() -> None:
    html = (
        "<div class='info'>发布时间：2020-12-21 10:30　来源：武汉市人民政府办公厅　浏览次数：123　字号：[大 中 小]</div>"
        "<div id='zoom'><p>正文</p></div>"
    )
    page = extract_page(html, URL)
    assert page.issuer == "武汉市人民政府办公厅"
    assert page.published_date is not None and page.published_date.isoformat() == "2020-12-21"
    assert page.labels["浏览次数"] == "123"
    assert page.body_text == "正文"
