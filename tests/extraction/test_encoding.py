"""decode_html: header, meta, BOM, fallback, and declarations that lie."""

from __future__ import annotations

import codecs

import pytest

from crawler.extraction.encoding import decode_html, normalize_charset

TEXT = "关于印发《济南市政务公开工作要点》的通知：镕、堃、喆等字也要正确"  # 镕堃喆 are outside GB2312


def _page(charset_meta: str | None, text: str = TEXT) -> str:
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset_meta}">'
        if charset_meta
        else ""
    )
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


def test_gbk_declared_in_meta_only() -> None:
    decoded = decode_html(_page("gb2312").encode("gb18030"))
    assert (decoded.encoding, decoded.source, decoded.replaced) == ("gb18030", "meta", 0)
    assert TEXT in decoded.text


def test_html5_meta_charset() -> None:
    body = f'<!doctype html><html><head><meta charset="GBK"></head><body>{TEXT}</body></html>'.encode("gbk")
    decoded = decode_html(body)
    assert (decoded.encoding, decoded.source) == ("gb18030", "meta")
    assert TEXT in decoded.text


def test_gbk_declared_in_header_only() -> None:
    decoded = decode_html(_page(None).encode("gbk"), "text/html; charset=GBK")
    assert (decoded.encoding, decoded.source, decoded.replaced) == ("gb18030", "header", 0)
    assert TEXT in decoded.text


def test_wrong_header_utf8_for_gbk_body_falls_through_to_meta() -> None:
    # the portal's "wrong charset declaration" fault: header says utf-8, body and meta are GBK
    decoded = decode_html(_page("gbk").encode("gbk"), "text/html; charset=utf-8")
    assert (decoded.encoding, decoded.source, decoded.replaced) == ("gb18030", "meta", 0)
    assert TEXT in decoded.text


def test_wrong_header_and_no_meta_falls_back_to_gb18030() -> None:
    decoded = decode_html(_page(None).encode("gbk"), "text/html; charset=utf-8")
    assert (decoded.encoding, decoded.source, decoded.replaced) == ("gb18030", "fallback", 0)
    assert TEXT in decoded.text


def test_utf8_body_declared_gbk_is_not_turned_into_mojibake() -> None:
    decoded = decode_html(_page("gb2312").encode("utf-8"), "text/html; charset=gbk")
    assert (decoded.encoding, decoded.source) == ("utf-8", "fallback")
    assert TEXT in decoded.text


def test_utf8_bom_wins_over_a_contradicting_declaration() -> None:
    decoded = decode_html(codecs.BOM_UTF8 + _page("gbk").encode("utf-8"), "text/html; charset=gbk")
    assert (decoded.encoding, decoded.source) == ("utf-8", "bom")
    assert decoded.text.startswith("<html>")  # the BOM itself is not text


def test_utf16_bom() -> None:
    decoded = decode_html(codecs.BOM_UTF16_LE + _page(None).encode("utf-16-le"))
    assert (decoded.encoding, decoded.source) == ("utf-16-le", "bom")
    assert TEXT in decoded.text


def test_no_declaration_utf8() -> None:
    decoded = decode_html(_page(None).encode("utf-8"))
    assert (decoded.encoding, decoded.source, decoded.replaced) == ("utf-8", "fallback", 0)


def test_no_declaration_gbk() -> None:
    decoded = decode_html(_page(None).encode("gbk"))
    assert (decoded.encoding, decoded.source, decoded.replaced) == ("gb18030", "fallback", 0)
    assert TEXT in decoded.text


def test_damaged_bytes_are_counted_not_hidden() -> None:
    body = _page("utf-8").encode("utf-8")
    position = body.index("政务".encode())
    damaged = body[:position] + b"\xff\xfe" + body[position:]
    decoded = decode_html(damaged, "text/html; charset=utf-8")
    assert decoded.replaced > 0
    assert "政务公开" in decoded.text


def test_latin1_declaration_on_gbk_bytes_is_not_believed() -> None:
    decoded = decode_html(_page("iso-8859-1").encode("gbk"))
    assert decoded.encoding == "gb18030"
    assert TEXT in decoded.text


def test_genuine_latin1_page_keeps_its_declaration() -> None:
    decoded = decode_html(_page("iso-8859-1", "café crème").encode("latin-1"))
    assert decoded.source == "meta"
    assert "café crème" in decoded.text


def test_empty_body() -> None:
    decoded = decode_html(b"")
    assert (decoded.text, decoded.replaced) == ("", 0)


@pytest.mark.parametrize(
    ("label", "expected"),
    [("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"), ("UTF8", "utf-8"), ("nonsense", None)],
)
def test_charset_labels(label: str, expected: str | None) -> None:
    assert normalize_charset(label) == expected
