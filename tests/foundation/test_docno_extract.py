"""extract_doc_numbers on running text: lead-ins, glued agency names, title tails, every bracket kind."""

from __future__ import annotations

import pytest
from docno_examples import AGENCY_BEFORE_CODE, FIELD_NOTES_EXAMPLES

from indexer.docno import extract_doc_numbers, normalize_doc_number

LEAD_INS = [
    "按照",
    "根据",
    "依据",
    "为贯彻",
    "贯彻",
    "落实",
    "为贯彻落实",
    "在已下发的",
    "和",
    "及",
    "与",
    "、",
    "参照",
    "执行",
    "以",
]


def _canonicals(text: str) -> list[str]:
    return [cited.canonical for cited in extract_doc_numbers(text)]


def _assert_offsets(text: str) -> None:
    for cited in extract_doc_numbers(text):
        assert text[cited.start : cited.start + len(cited.raw)] == cited.raw
        assert normalize_doc_number(cited.raw) == cited.canonical


@pytest.mark.parametrize(("printed", "canonical", "issuer_code", "kind"), FIELD_NOTES_EXAMPLES)
@pytest.mark.parametrize("lead_in", LEAD_INS)
def test_every_example_after_every_lead_in(
    printed: str, canonical: str, issuer_code: str, kind: str, lead_in: str
) -> None:
    text = f"现将有关事项通知如下：一、{lead_in}{printed}文件要求，各单位认真执行。"
    assert _canonicals(text) == [canonical]
    _assert_offsets(text)


@pytest.mark.parametrize(("printed", "canonical", "issuer_code", "kind"), FIELD_NOTES_EXAMPLES)
def test_every_example_cited_after_a_title(printed: str, canonical: str, issuer_code: str, kind: str) -> None:
    in_parentheses = f"《关于进一步加强政务公开工作的通知》（{printed}）已印发。"
    title_tail = f"国务院关于印发某某方案的通知{printed}精神"
    assert _canonicals(in_parentheses) == [canonical]
    assert _canonicals(title_tail) == [canonical]
    _assert_offsets(in_parentheses)
    _assert_offsets(title_tail)


@pytest.mark.parametrize(("agency", "canonical"), AGENCY_BEFORE_CODE)
def test_agency_name_glued_in_front(agency: str, canonical: str) -> None:
    text = f"根据{agency}{canonical}要求"
    found = extract_doc_numbers(text)
    assert [cited.canonical for cited in found] == [canonical]
    assert found[0].raw == canonical
    assert found[0].start == text.index(canonical)


def test_field_notes_traps() -> None:
    assert _canonicals("按照财库〔2022〕3号执行") == ["财库〔2022〕3号"]
    assert _canonicals("苏州市住房和城乡建设局苏住建规〔2011〕4号") == ["苏住建规〔2011〕4号"]
    assert _canonicals("关于进一步做好工作的通知国发〔2009〕12号") == ["国发〔2009〕12号"]
    assert _canonicals("《国务院办公厅关于推进政务公开的意见》（国办发〔2017〕47号）") == [
        "国办发〔2017〕47号"
    ]
    assert _canonicals("在已下发的苏住建规〔2011〕4号中") == ["苏住建规〔2011〕4号"]


@pytest.mark.parametrize(
    "text",
    [
        "2019年1月1日国发〔2019〕5号印发",
        "市政府办公厅转发了国发〔2019〕5号",
        "依照第三条国发〔2019〕5号",
        "这是国发〔2019〕5号的规定",
        "请各单位认真学习国发〔2019〕5号",
        "现将国发〔2019〕5号转发给你们",
        "国发〔2019〕5号",
        "国发 〔2019〕 5 号",
    ],
)
def test_sentence_words_before_a_number_are_not_part_of_the_code(text: str) -> None:
    assert _canonicals(text) == ["国发〔2019〕5号"]


def test_code_starting_like_a_conjunction_survives_after_an_agency_name() -> None:
    assert _canonicals("原平市原政发〔2019〕1号") == ["原政发〔2019〕1号"]
    assert _canonicals("市财政局根据财库〔2022〕3号") == ["财库〔2022〕3号"]
    # without an agency name in front, the single-character lead-in wins (documented limitation)
    assert _canonicals("原国发〔1999〕1号同时废止") == ["国发〔1999〕1号"]


def test_all_bracket_kinds_in_running_text() -> None:
    text = (
        "根据国发〔2019〕1号、国发［2019］2号、国发[2019]3号、国发(2019)4号、国发（2019）5号、"
        "国发﹝2019﹞6号、国发【2019】7号和国发〖2019〗8号的规定"
    )
    assert _canonicals(text) == [f"国发〔2019〕{n}号" for n in range(1, 9)]
    _assert_offsets(text)


def test_spacing_full_width_and_zero_width_in_running_text() -> None:
    text = "按照黑政调〔２０２０〕６号和豫政办 〔 2014 〕 55 号及桂政干〔\n2020〕\n68 号、晋\u200b政办发〔2022〕第071号执行"
    assert _canonicals(text) == [
        "黑政调〔2020〕6号",
        "豫政办〔2014〕55号",
        "桂政干〔2020〕68号",
        "晋政办发〔2022〕71号",
    ]
    _assert_offsets(text)


def test_order_and_announcement_citations() -> None:
    text = (
        "依据《政府信息公开条例》（国令第711号）、中华人民共和国主席令第五十三号、"
        "国务院国资委、财政部令第 3 号，以及国家税务总局公告2015年第41号和交通运输部令2016年第62号。"
        "本办法第3条、命令第3号不是文号。"
    )
    assert _canonicals(text) == [
        "国令第711号",
        "中华人民共和国主席令第53号",
        "国务院国资委、财政部令第3号",
        "国家税务总局公告2015年第41号",
        "交通运输部令2016年第62号",
    ]
    _assert_offsets(text)


def test_duplicates_kept_and_order_preserved() -> None:
    text = "国发〔2019〕5号……国办发〔2019〕6号……国发〔2019〕5号"
    found = extract_doc_numbers(text)
    assert [cited.canonical for cited in found] == ["国发〔2019〕5号", "国办发〔2019〕6号", "国发〔2019〕5号"]
    assert [cited.start for cited in found] == [0, 12, 25]
    assert [cited.raw for cited in found] == ["国发〔2019〕5号", "国办发〔2019〕6号", "国发〔2019〕5号"]


def test_exclude_leaves_out_the_documents_own_number_in_any_spelling() -> None:
    text = "渝府发〔2000〕48号 现印发给你们。原国发〔1999〕1号同时废止。渝府发[2000]48号"
    assert _canonicals(text) == ["渝府发〔2000〕48号", "国发〔1999〕1号", "渝府发〔2000〕48号"]
    remaining = extract_doc_numbers(text, exclude="渝府发 (2000) 48 号")
    assert [cited.canonical for cited in remaining] == ["国发〔1999〕1号"]


def test_joint_issuers_of_an_order_but_not_a_list_of_citations() -> None:
    assert _canonicals("根据国务院国资委、财政部令第3号") == ["国务院国资委、财政部令第3号"]
    assert _canonicals("国发〔2019〕5号、财政部令第3号") == ["国发〔2019〕5号", "财政部令第3号"]
    assert _canonicals("一、财政部令第3号") == ["财政部令第3号"]


def test_adjacent_numbers_do_not_bleed_into_each_other() -> None:
    assert _canonicals("国发〔2019〕5号国发〔2019〕6号") == ["国发〔2019〕5号", "国发〔2019〕6号"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2019年12月21日，会议在第3会议室召开，电话0531-86081234。",
        "索引号：000014349/2018-00222",
        "参考文献[2019]第5页",
        "〔2019〕5号",
        "第312号",
        "令第3号",
        "国发〔1800〕3号",
        "国发〔2019〕0号",
    ],
)
def test_no_false_positives(text: str) -> None:
    assert extract_doc_numbers(text) == []


def test_number_inside_html_and_script() -> None:
    text = "<td>文号</td><td>湘政发 〔2009〕30 号</td><script>var fileNum='湘政发〔2009〕31号';</script>"
    assert _canonicals(text) == ["湘政发〔2009〕30号", "湘政发〔2009〕31号"]
    _assert_offsets(text)
