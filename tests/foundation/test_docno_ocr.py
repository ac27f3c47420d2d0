"""Document numbers read from OCR text (bracket, digit and 号 confusions) and numbers glued to prose."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.docno import MAX_RUNNING_CODE_CHARS, extract_doc_numbers, normalize_doc_number


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("济政办发[2014]14号", "济政办发〔2014〕14号"),  # 〔 read as [
        ("济政办发(2014)14号", "济政办发〔2014〕14号"),  # 〔 read as (
        ("济政发〔[2026]2号", "济政发〔2026〕2号"),  # one bracket read as two
        ("济政办发〔2014〕〕14号", "济政办发〔2014〕14号"),
        ("济政办发〔2O14〕14号", "济政办发〔2014〕14号"),  # 0 read as O
        ("济政办发〔2o14〕l4号", "济政办发〔2014〕14号"),  # 1 read as l
        ("济政办发〔2Ol4〕第I4号", "济政办发〔2014〕14号"),
        ("济政办发〔2014〕1O号", "济政办发〔2014〕10号"),
        ("济政办发〔2014〕l号", "济政办发〔2014〕1号"),
        ("济政办发〔2014〕14", "济政办发〔2014〕14号"),  # 号 dropped at the end of the line
    ],
)
def test_ocr_confusions_are_read_in_fields_and_text(printed: str, canonical: str) -> None:
    assert normalize_doc_number(printed) == canonical
    text = f"济南市人民政府办公厅文件\n{printed}\n关于印发办法的通知"
    cited = extract_doc_numbers(text)
    assert [c.canonical for c in cited] == [canonical]
    assert text[cited[0].start : cited[0].start + len(cited[0].raw)] == cited[0].raw == printed


@pytest.mark.parametrize(
    "text",
    [
        "〔2014〕14个项目",  # no issuer, no 号 inside a line
        "济政办发〔2014〕14个项目已完成",
        "共〔OOOO〕项",  # letters only: nothing vouches for a number
        "济政办发〔2Ol4〕",
    ],
)
def test_no_number_is_made_up(text: str) -> None:
    assert extract_doc_numbers(text) == []


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("财政资金信息公开按照济政办发〔2014〕14号执行", "济政办发〔2014〕14号"),
        ("…财政资金信息公开按照济政办发〔2014〕14号…", "济政办发〔2014〕14号"),
        ("做好财政资金信息公开济政办发〔2014〕14号规定的事项", "济政办发〔2014〕14号"),
        ("进一步规范涉企收费事项国办发〔2019〕6号", "国办发〔2019〕6号"),
        ("请各单位认真落实渝肺炎指办发〔2022〕51号", "渝肺炎指办发〔2022〕51号"),
        ("请结合实际执行工信部联企业〔2011〕300号", "工信部联企业〔2011〕300号"),
    ],
)
def test_prose_glued_to_a_number_is_not_its_code(text: str, canonical: str) -> None:
    assert [c.canonical for c in extract_doc_numbers(text)] == [canonical]


PROSE = "财政资金信息公开推进政务服务标准化规范化便利化工作的实施"


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=len(PROSE)), st.sampled_from(["济政办发", "国发", "鲁政字", "粤府办"])
)
def test_a_running_code_is_bounded(prose_chars: int, code: str) -> None:
    text = f"{PROSE[:prose_chars]}{code}〔2020〕5号"
    found = extract_doc_numbers(text)
    assert len(found) == 1
    issuer_code = found[0].canonical.split("〔")[0]
    assert issuer_code.endswith(code) and len(issuer_code) <= MAX_RUNNING_CODE_CHARS
