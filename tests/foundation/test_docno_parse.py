"""parse_doc_number / normalize_doc_number / looks_like_doc_number on field values."""

from __future__ import annotations

import pytest
from docno_examples import FIELD_NOTES_EXAMPLES

from indexer.docno import (
    DocNumberKind,
    chinese_numeral_to_int,
    looks_like_doc_number,
    normalize_doc_number,
    parse_doc_number,
)


@pytest.mark.parametrize(("printed", "canonical", "issuer_code", "kind"), FIELD_NOTES_EXAMPLES)
def test_field_notes_examples(printed: str, canonical: str, issuer_code: str, kind: str) -> None:
    parsed = parse_doc_number(printed)
    assert parsed.input == printed
    assert parsed.canonical == canonical
    assert parsed.issuer_code == issuer_code
    assert parsed.kind == DocNumberKind(kind)
    assert looks_like_doc_number(printed)


@pytest.mark.parametrize(("printed", "canonical", "issuer_code", "kind"), FIELD_NOTES_EXAMPLES)
def test_canonical_form_is_a_fixed_point(printed: str, canonical: str, issuer_code: str, kind: str) -> None:
    assert normalize_doc_number(canonical) == canonical


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        # labels glued to the value
        ("发文字号：晋政函〔2023〕83号", "晋政函〔2023〕83号"),
        ("发文字号:晋政函〔2023〕83号", "晋政函〔2023〕83号"),
        ("文　　号：国发〔2019〕5号", "国发〔2019〕5号"),
        ("文件编号 国办发〔2019〕6号", "国办发〔2019〕6号"),
        # every bracket kind
        ("国发〔2019〕5号", "国发〔2019〕5号"),
        ("国发［2019］5号", "国发〔2019〕5号"),
        ("国发[2019]5号", "国发〔2019〕5号"),
        ("国发(2019)5号", "国发〔2019〕5号"),
        ("国发（2019）5号", "国发〔2019〕5号"),
        ("国发﹝2019﹞5号", "国发〔2019〕5号"),
        ("国发【2019】5号", "国发〔2019〕5号"),
        ("国发〖2019〗5号", "国发〔2019〕5号"),
        ("国发〘2019〙5号", "国发〔2019〕5号"),
        ("国发{2019}5号", "国发〔2019〕5号"),
        ("国发〔2019]5号", "国发〔2019〕5号"),
        # digits, whitespace, invisible characters
        ("黑政调〔２０２０〕６号", "黑政调〔2020〕6号"),
        ("\u200b\u200d晋政办发〔2022〕71号", "晋政办发〔2022〕71号"),
        ("晋\ufeff政办发〔2022〕71号\u2060", "晋政办发〔2022〕71号"),
        ("桂政干〔\n 2020〕\n 68 号", "桂政干〔2020〕68号"),
        ("豫\u3000政办\u00a0〔 2014 〕 55\t号", "豫政办〔2014〕55号"),
        # 第, padding, 字第 misuse, year with 年
        ("国发〔2019〕第5号", "国发〔2019〕5号"),
        ("国发〔2019〕005号", "国发〔2019〕5号"),
        ("国发〔2019〕第０５号", "国发〔2019〕5号"),
        ("X市财发〔1992〕字第36号", "X市财发〔1992〕36号"),
        ("国发〔2019年〕5号", "国发〔2019〕5号"),
        ("國發〔2019〕5號", "國發〔2019〕5号"),
        # two-digit year (a misuse the guides call out)
        ("X市财发〔92〕字第36号", "X市财发〔1992〕36号"),
        # trailing debris and wrapping brackets
        ("渝府发〔2000〕48号〔〕", "渝府发〔2000〕48号"),
        ("（黔府发〔2019〕4 号）", "黔府发〔2019〕4号"),
        ("【黔府发〔2019〕4号】", "黔府发〔2019〕4号"),
        ("“国发〔2019〕5号”。", "国发〔2019〕5号"),
        # numbers inside a title or a line of script
        ("…实施意见（黔府发〔2019〕4 号）", "黔府发〔2019〕4号"),
        ("var fileNum='湘政发 〔2009〕30 号';document.write(fileNum)", "湘政发〔2009〕30号"),
        ("【已失效】惠州市人民政府令第39号", "惠州市人民政府令第39号"),
        # orders (令)
        ("山西省人民政府令第216号", "山西省人民政府令第216号"),
        ("重庆市人民政府令第 359 号", "重庆市人民政府令第359号"),
        ("省政府令 175 号", "省政府令第175号"),
        ("第 312 号", "第312号"),
        ("主席令第五十三号", "主席令第53号"),
        ("国务院令第七百零七号", "国务院令第707号"),
        ("交通运输部令2016年第62号", "交通运输部令2016年第62号"),
        ("上海市人民政府令2018年第8号", "上海市人民政府令2018年第8号"),
        ("国令第０７０７号", "国令第707号"),
        # announcements
        ("国家税务总局公告2015年第41号", "国家税务总局公告2015年第41号"),
        ("国家税务总局公告 2015 年第 41 号", "国家税务总局公告2015年第41号"),
        ("国家税务总局公告2015年41号", "国家税务总局公告2015年第41号"),
        ("中国人民银行公告〔2018〕第7号", "中国人民银行公告〔2018〕7号"),
        # a query typed without 号
        ("国发〔2019〕5", "国发〔2019〕5号"),
        ("国发(2019)5", "国发〔2019〕5号"),
    ],
)
def test_variants_normalise(printed: str, canonical: str) -> None:
    assert normalize_doc_number(printed) == canonical


def test_structured_fields_of_each_kind() -> None:
    standard = parse_doc_number("渝府令〔2016〕310号")
    assert (standard.issuer_code, standard.year, standard.serial, standard.kind) == (
        "渝府令",
        2016,
        310,
        DocNumberKind.standard,
    )
    order = parse_doc_number("山西省人民政府令第216号")
    assert (order.issuer_code, order.year, order.serial, order.kind) == (
        "山西省人民政府令",
        None,
        216,
        DocNumberKind.order,
    )
    dated_order = parse_doc_number("交通运输部令2016年第62号")
    assert (dated_order.issuer_code, dated_order.year, dated_order.serial) == ("交通运输部令", 2016, 62)
    announcement = parse_doc_number("国家税务总局公告2015年第41号")
    assert (announcement.issuer_code, announcement.year, announcement.serial, announcement.kind) == (
        "国家税务总局公告",
        2015,
        41,
        DocNumberKind.announcement,
    )
    bare = parse_doc_number("第 312 号")
    assert (bare.issuer_code, bare.serial, bare.kind) == (None, 312, DocNumberKind.order)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u200b",
        "其它",
        "无",
        "2020年",
        "2020年第3号",
        "13812345678",
        "0531-86081234",
        "2019-04-11",
        "2014年12月19日",
        "000014349/2018-00222",
        "11441700007280420Y/2021-00050",
        "国发〔2019〕0号",
        "国发〔1800〕3号",
        "国发〔20190〕3号",
        "国发〔2019〕号",
        "〔2019〕5号",
        "国发2019",
        "第一号",
        "第号",
        "令",
        "令第3号",
        "命令第3号",
        "国发〔2019〕1234567号",
        "AB(2019)5",
        "(2019)5",
    ],
)
def test_not_a_number(text: str) -> None:
    parsed = parse_doc_number(text)
    assert parsed.input == text
    assert parsed.model_dump(exclude={"input"}) == {
        "canonical": None,
        "issuer_code": None,
        "year": None,
        "serial": None,
        "kind": None,
    }
    assert normalize_doc_number(text) is None
    assert not looks_like_doc_number(text)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("国发〔2019〕5号", True),
        ("  国发[2019]5号 ", True),
        ("国发(2019)5号", True),
        ("国令第707号", True),
        ("国家税务总局公告2015年第41号", True),
        ("第312号", False),  # no issuer: nothing to look up exactly
        ("关于印发国发〔2019〕5号的通知", False),
        ("国务院 通知", False),
        ("政府信息公开", False),
        ("2019", False),
    ],
)
def test_looks_like_doc_number(query: str, expected: bool) -> None:
    assert looks_like_doc_number(query) is expected


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("五十三", 53),
        ("十", 10),
        ("十二", 12),
        ("一百零五", 105),
        ("三百一十二", 312),
        ("二〇一六", 2016),
        ("两千", 2000),
    ],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert chinese_numeral_to_int(numeral) == value


@pytest.mark.parametrize("numeral", ["", "十十", "五五十", "abc", "百千"])
def test_chinese_numerals_rejects_malformed(numeral: str) -> None:
    assert chinese_numeral_to_int(numeral) is None


def test_non_string_input_does_not_raise() -> None:
    assert parse_doc_number(None).canonical is None  # type: ignore[arg-type]
    assert parse_doc_number(12345).canonical is None  # type: ignore[arg-type]
    assert not looks_like_doc_number(None)  # type: ignore[arg-type]
