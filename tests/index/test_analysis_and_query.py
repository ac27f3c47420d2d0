"""Tokenisation gives exact substring semantics; the query parser never fails except with QuerySyntaxError."""

from __future__ import annotations

import contextlib
import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import (
    GRAM_SIZE,
    KEY_PHRASES,
    PHRASE_STEP,
    WHITESPACE_TOKEN,
    char_token_regex,
    gram_tokens,
    lookup_tokens,
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

    The phrase is checked every way a backend runs it (all tokens, the spaced tokens, the deciding lookup token),
    and must agree; lookups that only narrow must be held by every document the phrase matches.
    """
    plan = term_plan(term)
    tokens = tokenize(text)
    if plan.char is not None:
        return any(re.fullmatch(char_token_regex(plan.char), token) for token in tokens)
    by_tokens = phrase_in(tokens, plan.tokens)
    assert spaced_phrase_in(tokens, plan.spaced) == by_tokens, (term, text)
    lookups = set(lookup_tokens(text))
    if plan.lookup_decides:
        assert (plan.lookup[0] in lookups) == by_tokens, (term, text)
    elif by_tokens:
        assert lookups.issuperset(plan.lookup), (term, text)
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


def test_pure_cjk_terms_of_three_or_more_characters_are_spaced_bigram_phrases() -> None:
    assert term_plan("住房").spaced == ((0, "住房"),)
    assert term_plan("性住房").spaced == ((0, "性住"), (1, "住房"))
    assert term_plan("空气质量").spaced == ((0, "空气"), (2, "质量"))
    assert term_plan("城乡建设规划").spaced == ((0, "城乡"), (2, "建设"), (4, "规划"))
    assert term_plan("政府信息公开工作").spaced == (
        (0, "政府"),
        (2, "信息"),
        (4, "公开"),
        (6, "工作"),
    )
    assert term_plan("城乡建设规").spaced == ((0, "城乡"), (2, "建设"), (3, "设规"))
    # not one run: every token stays
    assert term_plan("政府 信息公开").spaced == tuple(enumerate(term_plan("政府 信息公开").tokens))
    assert term_plan("2020年度").spaced == ((0, "2020"), (1, "年"), (2, "年度"))


@pytest.mark.parametrize("length", [3, 4, 5, 6, 7, 12, 33])
def test_spaced_bigrams_cover_every_character(length: int) -> None:
    run = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(length))
    spaced = term_plan(run).spaced
    assert spaced[0] == (0, run[:2])
    assert spaced[-1] == (length - 2, run[-2:])
    assert all(0 < b[0] - a[0] <= PHRASE_STEP for a, b in itertools.pairwise(spaced))
    assert all(token == run[position : position + 2] for position, token in spaced)


def test_lookup_fields_hold_the_4_grams_of_each_run_and_the_key_phrases() -> None:
    assert gram_tokens("政府信息公开") == ["政府信息", "府信息公", "信息公开"]
    # runs are separate, short runs give no gram, other scripts give none
    assert gram_tokens("信息公开，息公开栏 ab 中国 2020年") == ["信息公开", "息公开栏"]
    text = "政府信息公开，保障性住房、政府信息公开"
    assert lookup_tokens(text) == [*gram_tokens(text), "政府信息公开", "保障性住房"]
    assert lookup_tokens("信息公开") == ["信息公开"]
    assert lookup_tokens("") == []


@pytest.mark.parametrize("length", [4, 5, 255, 256, 257, 600])
def test_grams_of_runs_of_any_length_are_every_window(length: int) -> None:
    run = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(length))
    assert gram_tokens(f"a{run}。") == [run[i : i + GRAM_SIZE] for i in range(length - GRAM_SIZE + 1)]


def test_four_character_terms_and_key_phrases_are_one_lookup() -> None:
    assert (term_plan("空气质量").lookup, term_plan("空气质量").lookup_decides) == (("空气质量",), True)
    assert term_plan("政府信息公开").lookup == ("政府信息公开",)
    assert term_plan("政府信息公开").lookup_decides
    assert term_plan("政府信息公开").tokens == ("政府", "府信", "信息", "息公", "公开")  # the phrase stays
    assert term_plan("政府信息公").lookup == ("政府信息", "府信息公")
    assert not term_plan("政府信息公").lookup_decides
    # longer terms: the first, every fourth and the last 4-gram narrow the phrase
    assert term_plan("城乡建设规划编制").lookup == ("城乡建设", "规划编制")
    assert term_plan("城乡建设规划编制工作").lookup == ("城乡建设", "规划编制", "编制工作")
    assert term_plan("性住房").lookup == ()  # three characters: the bigram phrase alone
    assert term_plan("2020年度").lookup == ()  # not one run


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
        ("信息公开", "信息，公开", False),  # 信息 and 公开 two positions apart, but in two runs
        ("信息公开", "信息a公开", False),
        ("信息公开", "信息 公开", False),
        ("信息公开", "信息，，公开", False),
        ("信息公开", "信息公公开", False),
        ("信息公开", "信息信息公开", True),
        ("政府信", "政府信", True),  # a run of three
        ("政府信", "，政府信。", True),
        ("政府信", "地方政府信", True),
        ("政府信", "政府，信", False),
        ("政府信", "政府", False),
    ],
)
def test_spaced_phrases_match_substrings_of_one_run(term: str, text: str, expected: bool) -> None:
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


# few characters, so long terms nearly match in many places: what a spaced phrase must still tell apart
RUN_ALPHABET = "政府信息"
run_texts = st.text(alphabet=RUN_ALPHABET + "，a 1\u200b", max_size=60)


@settings(max_examples=500, deadline=None)
@given(text=run_texts, term=st.text(alphabet=RUN_ALPHABET, min_size=3, max_size=12))
def test_long_pure_cjk_terms_match_exactly_when_the_oracle_does(text: str, term: str) -> None:
    assert index_matches(term, text) == substring_oracle(term, text), (term, text)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=RUN_ALPHABET + "，a 1", max_size=60),
    start=st.integers(0, 60),
    length=st.integers(3, 12),
)
def test_any_long_substring_is_found(text: str, start: int, length: int) -> None:
    term = text[start : start + length]
    if term_plan(term).is_empty:
        return
    assert index_matches(term, text) == substring_oracle(term, text), (term, text)


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
