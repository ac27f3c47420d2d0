"""Regressions from the crawler team: municipal codes cut at 市, lead-in verbs glued onto the code."""

from __future__ import annotations

import pytest
from docno_examples import FIELD_NOTES_EXAMPLES

from indexer.docno import extract_doc_numbers, normalize_doc_number


def _canonicals(text: str) -> list[str]:
    return [cited.canonical for cited in extract_doc_numbers(text)]


def _assert_offsets(text: str) -> None:
    for cited in extract_doc_numbers(text):
        assert text[cited.start : cited.start + len(cited.raw)] == cited.raw
        assert normalize_doc_number(cited.raw) == cited.canonical


# ---------------------------------------------------------------------------------------------------
# 1. <place abbreviation>市/省/县/区<code> is a municipal code, not an agency name to cut


def test_municipal_code_after_a_lead_in_is_not_cut_at_shi() -> None:
    assert _canonicals("依据济市监字〔2026〕8号的规定") == ["济市监字〔2026〕8号"]


MUNICIPAL_CODES = [
    "济市监字〔2026〕8号",
    "济市财发〔2020〕3号",
    "青市政办发〔2019〕12号",
    "泉市人社发〔2021〕5号",
]


@pytest.mark.parametrize("code", MUNICIPAL_CODES)
@pytest.mark.parametrize(
    "before",
    [
        "",
        "依据",
        "根据",
        "按照",
        "参照",
        "重申",
        "废止",
        "再次重申",
        "和",
        "原",
        "的",
        "济南市财政局",
        "济南市",
    ],
)
def test_municipal_codes_survive_any_lead_in(code: str, before: str) -> None:
    text = f"现将有关事项通知如下：{before}{code}要求，请认真执行。"
    assert _canonicals(text) == [code]
    _assert_offsets(text)


def test_municipal_codes_in_a_list_of_citations() -> None:
    text = "依据济市监字〔2026〕7号和济市监字〔2026〕8号及青市政办发〔2019〕12号、泉市人社发〔2021〕5号执行"
    assert _canonicals(text) == [
        "济市监字〔2026〕7号",
        "济市监字〔2026〕8号",
        "青市政办发〔2019〕12号",
        "泉市人社发〔2021〕5号",
    ]
    _assert_offsets(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("苏州市住房和城乡建设局苏住建规〔2011〕4号", ["苏住建规〔2011〕4号"]),
        ("济南市财政局济财发〔2020〕3号", ["济财发〔2020〕3号"]),
        ("依据济南市财政局济财发〔2020〕3号", ["济财发〔2020〕3号"]),
        ("济南市济财发〔2020〕3号", ["济财发〔2020〕3号"]),
        ("依据济南市济财发〔2020〕3号", ["济财发〔2020〕3号"]),
        ("青岛市青市政办发〔2019〕12号", ["青市政办发〔2019〕12号"]),
        ("原平市原政发〔2019〕1号", ["原政发〔2019〕1号"]),
        ("和平区和政发〔2019〕1号", ["和政发〔2019〕1号"]),
        ("深圳市龙华区人民政府深龙华府规〔2021〕9号", ["深龙华府规〔2021〕9号"]),
    ],
)
def test_a_full_place_name_in_front_is_still_cut(text: str, expected: list[str]) -> None:
    assert _canonicals(text) == expected
    _assert_offsets(text)


# ---------------------------------------------------------------------------------------------------
# 2. Verbs that cite, apply, amend or repeal a document are lead-ins, not part of the code


def test_reported_lead_in_verbs() -> None:
    assert _canonicals("再次重申中发〔2018〕1号") == ["中发〔2018〕1号"]
    assert _canonicals("废止京政发〔2012〕17号") == ["京政发〔2012〕17号"]


LEAD_IN_VERBS = [
    "重申",
    "再次重申",
    "废止",
    "同时废止",
    "予以废止",
    "修订",
    "修改",
    "参照",
    "执行",
    "停止执行",
    "继续执行",
    "印发",
    "转发",
    "请遵照",
    "遵照",
    "详见",
    "见",
    "依照",
    "对照",
    "结合",
    "经",
    "即",
    "原",
    "撤销",
]


@pytest.mark.parametrize("verb", LEAD_IN_VERBS)
@pytest.mark.parametrize(
    "code", ["中发〔2018〕1号", "京政发〔2012〕17号", "国办发明电〔2018〕15号", "济市监字〔2026〕8号"]
)
def test_lead_in_verbs_are_stripped(verb: str, code: str) -> None:
    text = f"特此通知。{verb}{code}。"
    assert _canonicals(text) == [code]
    _assert_offsets(text)


def test_jing_is_kept_in_front_of_development_zone_and_economy_codes() -> None:
    assert _canonicals("根据经开管发〔2019〕5号") == ["经开管发〔2019〕5号"]
    assert _canonicals("根据经信委发〔2019〕5号") == ["经信委发〔2019〕5号"]
    assert _canonicals("经国发〔2019〕5号批准") == ["国发〔2019〕5号"]


# ---------------------------------------------------------------------------------------------------
# Agency names in front of 令/公告 series: cut only a clear local agency name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("济南市财政局山西省人民政府令第216号", "山西省人民政府令第216号"),
        ("济南市财政局国务院国资委、财政部令第 3 号", "国务院国资委、财政部令第3号"),
        ("济南市财政局国家税务总局公告2015年第41号", "国家税务总局公告2015年第41号"),
        ("济南市财政局昆明市人民政府2015年第88号", "昆明市人民政府2015年第88号"),
        # one issuer's full name, not two agencies
        ("国家税务总局山东省税务局公告2019年第1号", "国家税务总局山东省税务局公告2019年第1号"),
        ("济南市人民政府办公厅公告2019年第1号", "济南市人民政府办公厅公告2019年第1号"),
        ("深圳市市场监督管理局公告2020年第1号", "深圳市市场监督管理局公告2020年第1号"),
        ("济南市政府令第3号", "济南市政府令第3号"),
        # joint issuers stay joint
        ("山东省财政厅、山东省税务局公告2019年第1号", "山东省财政厅、山东省税务局公告2019年第1号"),
    ],
)
def test_agency_name_in_front_of_a_series(text: str, expected: str) -> None:
    assert _canonicals(text) == [expected]
    _assert_offsets(text)


# ---------------------------------------------------------------------------------------------------
# Every field-notes example survives every reported prefix


@pytest.mark.parametrize(("printed", "canonical", "issuer_code", "kind"), FIELD_NOTES_EXAMPLES)
@pytest.mark.parametrize("prefix", ["依据", "重申", "废止", "参照", "转发", "济南市财政局"])
def test_every_example_after_every_reported_prefix(
    printed: str, canonical: str, issuer_code: str, kind: str, prefix: str
) -> None:
    assert _canonicals(f"{prefix}{printed}") == [canonical]
    text = f"现将有关事项通知如下：一、{prefix}{printed}文件要求，各单位认真执行。"
    assert _canonicals(text) == [canonical]
    _assert_offsets(text)


# ---------------------------------------------------------------------------------------------------
# 日照's codes begin with 日; a 日 that ends a date in front of a number does not


@pytest.mark.parametrize("number", ["日政发〔2026〕3号", "日交函〔2026〕1号", "日政办字〔2020〕15号"])
def test_a_code_starting_with_ri_keeps_it(number: str) -> None:
    assert normalize_doc_number(number) == number
    for text in (number, f"发文字号：{number}", f"日照市人民政府{number}", f"关于印发方案的通知{number}"):
        assert _canonicals(text) == [number], text
        _assert_offsets(text)


@pytest.mark.parametrize("date", ["2026年3月5日", "二〇二六年三月十五日", "3月5日", "２０２６年３月５日"])
def test_a_date_glued_in_front_of_a_number_is_not_part_of_its_code(date: str) -> None:
    text = f"{date}济政办发〔2014〕14号"
    assert _canonicals(text) == ["济政办发〔2014〕14号"]
    _assert_offsets(text)
