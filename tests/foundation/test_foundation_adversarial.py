"""Adversarial inputs: long runs that would make a backtracking pattern hang must still be handled.

The timeout is a hang guard (catastrophic backtracking takes minutes here), not a performance target;
throughput is measured by bench/bench_docno.py.
"""

from __future__ import annotations

import pytest

from indexer.dates import parse_date
from indexer.docno import extract_doc_numbers, parse_doc_number
from indexer.issuers import clean_issuer

GAPS = " " * 30
ADVERSARIAL = {
    "open brackets": "〔" * 100_000,
    "digits": "1" * 100_000,
    "series words": "令" * 100_000,
    "cjk": "国" * 100_000,
    "zero width": "\u200b" * 100_000,
    "bracket year then gaps": f"国发〔2019〕{GAPS}" * 3_000,
    "gaps around optional words": f"国发〔2019{GAPS}〕{GAPS}字{GAPS}" * 2_000,
    "series with gaps": f"令{GAPS}2019{GAPS}年{GAPS}第{GAPS}1{GAPS}" * 1_000,
    "year series without 号": "2019年第" * 20_000,
    "nested brackets": "(" * 5_000 + "国务院" + ")" * 5_000,
}


@pytest.mark.timeout(20)
@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_input_is_handled(name: str) -> None:
    text = ADVERSARIAL[name]
    assert extract_doc_numbers(text) == []
    assert parse_doc_number(text).canonical is None
    parse_date(text)
    clean_issuer(text)


@pytest.mark.timeout(20)
def test_many_numbers_back_to_back_are_all_found() -> None:
    text = "国发〔2019〕5号" * 10_000
    found = extract_doc_numbers(text)
    assert len(found) == 10_000
    assert {cited.canonical for cited in found} == {"国发〔2019〕5号"}
    assert found[-1].start == len(text) - len("国发〔2019〕5号")
