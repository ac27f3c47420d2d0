"""Tokenisation gives exact substring semantics; the query parser never fails except with QuerySyntaxError."""

from __future__ import annotations

import contextlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import (
    GRAM_SIZES,
    KEY_PHRASES,
    RUN_BREAK_TOKEN,
    WHITESPACE_TOKEN,
    char_token_regex,
    gram_string,
    gram_strings,
    gram_tokens,
    indexed_gram_tokens,
    matches_term,
    term_plan,
    tokenize,
)
from indexer.backends.base import QuerySyntaxError
from indexer.highlight import find_spans, highlight_title, snippets
from indexer.query import MAX_TERMS, parse_query


def phrase_in(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))


def spaced_phrase_in(tokens: list[str], pairs: tuple[tuple[int, str], ...]) -> bool:
    """A phrase whose words sit at given positions relative to the first (what the embedded backend runs)."""
    return any(
        all(i + offset < len(tokens) and tokens[i + offset] == word for offset, word in pairs)
        for i in range(len(tokens))
    )


def index_matches(term: str, text: str) -> bool:
    """What an engine does with our tokens: a phrase of the term's tokens, or any token holding the character.

    A term with grams is checked both ways (the gram fields and the bigram fields must agree).
    """
    plan = term_plan(term)
    if plan.char is not None:
        return any(re.fullmatch(char_token_regex(plan.char), token) for token in tokenize(text))
    by_tokens = phrase_in(tokenize(text), plan.tokens)
    if plan.grams:
        grams = indexed_gram_tokens(text, plan.gram_size)
        assert phrase_in(grams, plan.grams) == by_tokens, (term, text)
        assert spaced_phrase_in(grams, plan.spaced_grams) == by_tokens, (term, text)
    return by_tokens


def substring_oracle(term: str, text: str) -> bool:
    term = " ".join(term.lower().split())
    pattern = r"\s+".join(re.escape(p) for p in term.split(" "))
    if re.match(r"[0-9a-z]", term):
        pattern = r"(?<![0-9a-z])" + pattern
    if re.search(r"[0-9a-z]$", term):
        pattern += r"(?![0-9a-z])"
    return re.search(pattern, text.lower()) is not None


def test_tokens_of_a_cjk_run_are_framed_bigrams() -> None:
    assert tokenize("信息公开") == ["信", "信息", "息公", "公开", "开"]
    assert tokenize("年") == ["年", "年"]
    assert tokenize("济环发〔2019〕3号") == ["济", "济环", "环发", "发", "〔", "2019", "〕", "3", "号", "号"]
    assert tokenize("Hello  World") == ["hello", WHITESPACE_TOKEN, "world"]
    assert tokenize("ＧＢ／Ｔ２０") == [
        "gb",
        "／",
        "t20",
    ]  # full-width letters and digits fold, punctuation stays
    assert tokenize("  ") == []


def test_cjk_runs_are_also_indexed_as_3_and_4_grams() -> None:
    assert gram_tokens("政府信息公开", 4) == ["政府信息", "府信息公", "信息公开"]
    assert gram_tokens("政府信息公开", 3) == ["政府信", "府信息", "信息公", "息公开"]
    # runs are separated, short runs give no gram, other scripts give none
    assert gram_tokens("信息公开，息公开栏 ab 中国", 4) == ["信息公开", *[RUN_BREAK_TOKEN] * 3, "息公开栏"]
    assert gram_tokens("信息公开，息公开栏", 3) == [
        "信息公",
        "息公开",
        "息公开",
        "公开栏",
    ]  # no phrase: no breaks
    assert gram_tokens("2020年 ab", 3) == []


@pytest.mark.parametrize("length", [3, 4, 5, 255, 256, 257, 600])
def test_grams_of_runs_of_any_length_are_every_window(length: int) -> None:
    run = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(length))
    for size in GRAM_SIZES:
        assert gram_tokens(f"a{run}。", size) == [run[i : i + size] for i in range(length - size + 1)]


@given(st.text(alphabet="信息公开政府指南住房保障性a1 ，。\n𠀀〇", max_size=80))
@settings(max_examples=300, deadline=None)
def test_gram_strings_is_gram_string_of_every_size(text: str) -> None:
    assert gram_strings(text) == {size: gram_string(text, size) for size in GRAM_SIZES}


def test_pure_cjk_terms_of_three_or_more_characters_use_grams() -> None:
    assert term_plan("住房").grams == ()
    assert (term_plan("性住房").grams, term_plan("性住房").gram_size) == (("性住房",), 3)
    assert (term_plan("空气质量").grams, term_plan("空气质量").gram_size) == (("空气质量",), 4)
    assert term_plan("城乡建设规划").grams == ("城乡建设", "乡建设规", "建设规划")
    assert term_plan("城乡建设规划").spaced_grams == ((0, "城乡建设"), (2, "建设规划"))
    assert term_plan("政府信息公开工作").spaced_grams == ((0, "政府信息"), (3, "息公开工"), (4, "公开工作"))
    assert term_plan("政府 信息公开").grams == ()  # not one run: the bigram phrase handles the space
    assert term_plan("2020年度").grams == ()


def test_key_phrases_are_whole_tokens_after_the_4_grams() -> None:
    assert term_plan("政府信息公开").grams == ("政府信息公开",)
    assert term_plan("政府信息公开").gram_size == GRAM_SIZES[-1]
    assert term_plan("政府信息公开").spaced_grams == ((0, "政府信息公开"),)
    assert term_plan("政府信息公开").tokens == (
        "政府",
        "府信",
        "信息",
        "息公",
        "公开",
    )  # the bigram phrase stays
    assert indexed_gram_tokens("政府信息公开，保障性住房、政府信息公开", 4) == [
        *gram_tokens("政府信息公开，保障性住房、政府信息公开", 4),
        *[RUN_BREAK_TOKEN] * 3,
        "政府信息公开",
        "政府信息公开",
        "保障性住房",
    ]
    assert indexed_gram_tokens("政府信息公开", 3) == gram_tokens("政府信息公开", 3)  # only the 4-gram field
    assert indexed_gram_tokens("信息公开", 4) == ["信息公开"]


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("政府信息公开", "关于做好政府信息公开工作的通知", True),
        ("政府信息公开", "政府信息\u200b公开", False),  # an invisible character splits the run
        ("政府信息公开", "政府信息 公开", False),
        ("政府信息公开指南", "政府信息公开，指南", False),
        ("政府信息公开指南", "本机关政府信息公开指南", True),
        ("保障性住房", "保障性住", False),
    ],
)
def test_key_phrases_match_exactly_where_their_bigram_phrase_does(
    term: str, text: str, expected: bool
) -> None:
    assert index_matches(term, text) is expected
    assert substring_oracle(term, text) is expected


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(
            [
                "政府信息公开",
                "政府信息",
                "信息公开",
                "指南",
                "年报",
                "保障性住房",
                "住房",
                "，",
                " ",
                "\u200b",
            ]
        ),
        max_size=12,
    ),
    term=st.sampled_from(
        [phrase for phrase in KEY_PHRASES if set(phrase) <= set("政府信息公开指南年报保障性住房")]
    ),
)
def test_key_phrase_terms_match_exactly_when_the_oracle_does(parts: list[str], term: str) -> None:
    text = "".join(parts)
    assert index_matches(term, text) == substring_oracle(term, text), (term, text)


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("信息公开栏", "信息公开，息公开栏", False),  # the run break stops a phrase bridging two runs
        ("政府信息公开", "政府信息，信息公开", False),  # also one of spaced grams
        ("信息公开栏", "政府信息公开栏目", True),
        ("政府信息", "政府信", False),
        ("府信息公", "地方政府信息公开", True),
    ],
)
def test_gram_phrases_match_substrings_of_one_run(term: str, text: str, expected: bool) -> None:
    assert index_matches(term, text) is expected


def test_query_terms_leave_out_the_outer_edges() -> None:
    assert term_plan("政府信息").tokens == ("政府", "府信", "信息")
    assert term_plan("2020年").tokens == ("2020", "年")
    assert term_plan("年").char == "年"
    assert term_plan("，。").is_empty


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("中国人民", "中国，人民", False),
        ("中国，人民", "中国，人民", True),
        ("2020年", "2020年度", True),
        ("20年", "2020年", False),
        ("3号", "〔2019〕3号文件", True),
        ("3号", "〔2019〕13号", False),
        ("鑫", "金鑫公司", True),
        ("gb/t 9704", "GB/T  9704-2012", True),
        ("gov", "government", False),
        ("信息公开", "政府信息公开条例", True),
    ],
)
def test_index_matching_equals_substring_semantics(term: str, text: str, expected: bool) -> None:
    assert index_matches(term, text) is expected
    assert matches_term(term, text) is expected
    assert substring_oracle(term, text) is expected


ALPHABET = "政府信息公开年度报告中国人民3号20ab，。、/ 〔〕"
texts = st.text(alphabet=ALPHABET, max_size=40)


@settings(max_examples=400, deadline=None)
@given(text=texts, start=st.integers(0, 40), length=st.integers(1, 8))
def test_any_substring_is_found(text: str, start: int, length: int) -> None:
    term = text[start : start + length]
    if term_plan(term).is_empty:
        return
    assert index_matches(term, text) == substring_oracle(term, text)


@settings(max_examples=400, deadline=None)
@given(text=texts, term=st.text(alphabet=ALPHABET, min_size=1, max_size=6))
def test_index_matches_exactly_when_the_oracle_does(text: str, term: str) -> None:
    if term_plan(term).is_empty:
        return
    assert index_matches(term, text) == substring_oracle(term, text), (term, text, tokenize(text))


# --- query parser ------------------------------------------------------------------------------------------


def test_parse_structure() -> None:
    parsed = parse_query('环境 "政府 信息" OR 采购 -济南 -"青岛市"')
    assert [[t.text for t in c.terms] for c in parsed.included] == [["环境"], ["政府 信息", "采购"]]
    assert [c.terms[0].text for c in parsed.excluded] == ["济南", "青岛市"]
    assert parsed.included[1].terms[0].phrase


@pytest.mark.parametrize(
    ("query", "included", "excluded"),
    [
        ('"未闭合 的引号', [["未闭合 的引号"]], []),
        ("- 环境 -", [["环境"]], []),
        ("OR 环境 OR", [["环境"]], []),
        ("环境 OR OR 采购", [["环境", "采购"]], []),
        ("“弯引号短语”", [["弯引号短语"]], []),
        ("环境\x00\x07采购", [["环境"], ["采购"]], []),
        ("", [], []),
        ("   ", [], []),
        ("-环境", [], ["环境"]),
        ("环境 ，。", [["环境"]], []),
    ],
)
def test_forgiving_parses(query: str, included: list[list[str]], excluded: list[str]) -> None:
    parsed = parse_query(query)
    assert [[t.text for t in c.terms] for c in parsed.included] == included
    assert [c.terms[0].text for c in parsed.excluded] == excluded


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("，。！？", "no letters"),
        ("x" * 1001, "too long"),
        (" ".join(["词"] * (MAX_TERMS + 1)), "too many terms"),
        ("环境 OR -采购", "OR cannot"),
    ],
)
def test_rejected_queries_explain_why(query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        parse_query(query)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_parser_only_ever_raises_query_syntax_error(query: str) -> None:
    try:
        parsed = parse_query(query)
    except QuerySyntaxError as error:
        assert str(error)
        return
    assert len(parsed.clauses) <= MAX_TERMS


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(['"', "-", "OR", "环境", " ", "“", "a", "，", "\x00", "|"]), max_size=60))
def test_parser_survives_operator_soup(parts: list[str]) -> None:
    with contextlib.suppress(QuerySyntaxError):
        parse_query("".join(parts))


# --- highlighter -------------------------------------------------------------------------------------------


def test_highlight_marks_every_term_and_escapes() -> None:
    text = "根据<法>规定，政府信息公开条例要求公开。" * 10
    found = snippets(text, ["政府信息公开", "<法>"], width=40, max_snippets=2)
    assert 1 <= len(found) <= 2
    assert "<mark>政府信息公开</mark>" in found[0] or "<mark>&lt;法&gt;</mark>" in found[0]
    assert "<法>" not in "".join(found)
    assert highlight_title("A&B 政府信息", ["政府"]) == "A&amp;B <mark>政府</mark>信息"
    assert snippets("没有命中", ["环境"]) == []


def test_highlight_spans_follow_match_semantics() -> None:
    assert find_spans("2020年 和 20年", ["20年"]) == [(8, 11)]
    assert find_spans("GB/T  9704", ["gb/t 9704"]) == [(0, 10)]
