"""Text analysis shared by every backend: exact substring search for Chinese without a dictionary.

The engines only ever see the tokens produced here (whitespace-separated), so the embedded and the Elasticsearch
backend match exactly the same documents.

Tokens of a text, in order:

- a run of CJK characters (汉字) becomes its overlapping bigrams, framed by the run's first character (start
  edge) and last character (end edge) as unigrams: 信息公开 -> 信 信息 息公 公开 开; a lone character is both
  edges: 号 -> 号 号. The edge unigrams let a query term that mixes scripts (2020年, 3号文) match where the CJK
  part continues in the document (2020年度, 3号文件), while a pure-CJK term is a phrase of its bigrams.
- a run of letters or digits is one lower-cased word token.
- every other visible character (punctuation, symbols) is its own token, and a run of whitespace or invisible
  characters is one WHITESPACE_TOKEN, so a phrase never matches across punctuation (中国人民 does not match
  中国，人民) unless the query has it too.

A query term (`term_plan`) is tokenised the same way and becomes the phrase of its tokens without the outer edge
unigrams (the document may continue the run beyond the term). A term that is one CJK character matches any
token containing it (`char_token_regex`): bigrams alone cannot find a character inside a run.

A pure-CJK term of three or more characters is one run's substring, and the engine answers it with a phrase
of only some of its bigrams (`TermPlan.spaced`): the first, every second and the last (城乡建设规划 -> 城乡 at 0,
建设 at 2, 规划 at 4). Two bigram tokens at most three positions apart always come from one run (between two
runs' bigrams lie the first run's end edge, at least one other token and the next run's start edge), so bigrams
at steps of two that cover every character of the term match exactly where all its bigrams do.

A phrase of common bigrams reads the positions of both in every document holding the term, which makes the
common four-character Chinese word (人民政府, 环境保护) about twice as slow as one term lookup. So each text also
has a lookup field (`lookup_tokens`): the 4-grams of its CJK runs, indexed without frequencies or positions (a
set of terms per document; in tantivy about 60% of what the same field with positions costs to write, most of it
the term dictionary, as nearly every 4-gram is a new term). A pure-CJK term of four characters is one lookup
there, exact because every four-character substring of a run is one of the run's 4-grams. A longer one is its
spaced bigram phrase restricted to the documents holding some of its 4-grams (`TermPlan.lookup`: the first,
every fourth and the last), so positions are read only in documents that can match. No 3-gram field and no
positions for grams are kept: together they tripled the cost of indexing (issue 13,
`bench/bench_index_fields.py`). The price is paid at query time by terms of three characters (a phrase of two
bigrams) and of five or more (a bigram phrase where the 4-gram phrase was): on bench_index's corpus about twice
and one and a half times the former latency.

A bigram phrase whose bigrams are all boilerplate still checks positions in every document that holds them:
政府信息公开 sits in half of a disclosure corpus. So a short list of the domain's own longer phrases
(`KEY_PHRASES`: the name of the field, its statutory columns and areas) is also indexed whole in the lookup
field, the way Lucene's CommonGrams indexes frequent word pairs: one token per key phrase occurring in a CJK run.
Such a query term is then one lookup. A key phrase is pure CJK and longer than a 4-gram, so it is no 4-gram, and
it occurs in a text exactly when it lies inside one of its CJK runs. The list is part of the index format:
changing it needs a schema and mapping version bump and a reindex.

Tokenising runs for every indexed document, so it is one regex pass plus C-level bigram building.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import add

WHITESPACE_TOKEN = "\ue000"
"""Stands for a run of whitespace inside text (a private-use character, folded away in the input)."""

PHRASE_STEP = 2
"""Largest position step between the bigrams of a spaced phrase (a bigram covers two characters)."""

GRAM_SIZE = 4
"""Characters of the grams in the lookup field."""

KEY_PHRASES = (
    # the field and its statutory first-level columns (field notes 3.2)
    "政府信息公开",
    "政府信息公开指南",
    "政府信息公开制度",
    "政府信息公开年报",
    "政府信息公开年度报告",
    "政府信息公开平台",
    "法定主动公开内容",
    "依申请公开",
    "基层政务公开",
    # items every agency must publish (条例 art. 20, 21; field notes 3.1)
    "规范性文件",
    "国民经济和社会发展规划",
    "行政事业性收费",
    "政府集中采购",
    "重大建设项目",
    "突发公共事件",
    "土地承包经营权流转",
    # the 基层政务公开 areas longer than four characters (field notes 3.2)
    "公共资源交易",
    "财政预决算",
    "国有土地上房屋征收与补偿",
    "公共文化服务",
    "公共法律服务",
    "食品药品监管",
    "城市综合执法",
    "农村危房改造",
    "保障性住房",
)
"""Phrases of the disclosure domain indexed as whole tokens in the lookup field (see the module docstring)."""

MAX_WORD_TOKEN_CHARS = 255
"""Elasticsearch's whitespace tokenizer splits longer tokens; we split them the same way in both backends."""

_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# whitespace plus invisible characters (controls, format characters, surrogates, private use)
_INVISIBLE = (
    "\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\ue000-\uf8ff"
    "\U000e0001\U000e0020-\U000e007f\U000f0000-\U0010ffff"
)
_SEPARATOR_RE = re.compile(rf"[\s{_INVISIBLE}]+")
_WORD = rf"[^\W_{_CJK}]"
# one pass over the text: CJK run | letter/digit run | separator run | any other single character
_PIECE_RE = re.compile(rf"[{_CJK}]+|{_WORD}+|[\s{_INVISIBLE}]+|.", re.DOTALL)
_CJK_CHAR_RE = re.compile(rf"[{_CJK}]")
_WORD_RE = re.compile(_WORD)
_SEPARATOR_CHAR_RE = re.compile(rf"[\s{_INVISIBLE}]")

_CJK_PIECE, _WORD_PIECE, _SEPARATOR_PIECE, _OTHER_PIECE = range(4)
_PIECE_KIND: dict[str, int] = {}
"""Kind of a piece by its first character (memoised: a dict lookup beats a regex per piece)."""


def _piece_kind(first: str) -> int:
    if _CJK_CHAR_RE.match(first):
        kind = _CJK_PIECE
    elif _WORD_RE.match(first):
        kind = _WORD_PIECE
    elif _SEPARATOR_CHAR_RE.match(first):
        kind = _SEPARATOR_PIECE
    else:
        kind = _OTHER_PIECE
    if len(_PIECE_KIND) < 200_000:
        _PIECE_KIND[first] = kind
    return kind


_FULLWIDTH_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\u00a0]")


def _build_fold_table() -> dict[int, str]:
    # full-width digits and letters (０-９, Ａ-Ｚ, ａ-ｚ) only: Chinese punctuation such as ，（） stays as printed
    ranges = ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    table = {code: chr(code - 0xFEE0) for low, high in ranges for code in range(low, high + 1)}
    table[0x3000] = " "  # ideographic space
    table[0x00A0] = " "
    return table


_FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Case- and width-fold text, keeping one output character per input character (offsets stay valid)."""
    if _FULLWIDTH_RE.search(text):
        text = text.translate(_FOLD_TABLE)
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # a few characters (e.g. İ) lower-case to two; keep those as they are so offsets stay aligned
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def _split_long(word: str) -> list[str]:
    return [word[i : i + MAX_WORD_TOKEN_CHARS] for i in range(0, len(word), MAX_WORD_TOKEN_CHARS)]


def tokenize(text: str) -> list[str]:
    """Index-time tokens of a text (see the module docstring)."""
    if not text:
        return []
    if _FULLWIDTH_RE.search(text):
        text = text.translate(_FOLD_TABLE)
    tokens: list[str] = []
    append = tokens.append
    extend = tokens.extend
    kind_of = _PIECE_KIND.get
    pending_space = False
    for piece in _PIECE_RE.findall(text):
        kind = kind_of(piece[0])
        if kind is None:
            kind = _piece_kind(piece[0])
        if kind == _SEPARATOR_PIECE:
            pending_space = bool(tokens)  # a leading separator makes no token
            continue
        if pending_space:
            append(WHITESPACE_TOKEN)
            pending_space = False
        if kind == _CJK_PIECE:
            # framed bigrams: 信息公开 -> 信 信息 息公 公开 开; a lone 号 -> 号 号
            append(piece[0])
            extend(map(add, piece, piece[1:]))
            append(piece[-1])
        elif kind == _WORD_PIECE:
            word = piece.lower()
            if len(word) <= MAX_WORD_TOKEN_CHARS:
                append(word)
            else:
                extend(_split_long(word))
        else:
            append(piece)
    return tokens


def token_string(text: str) -> str:
    """Tokens joined by single spaces: what the engines' whitespace tokenizer indexes."""
    return " ".join(tokenize(text))


_CJK_RUN_RE = re.compile(f"[{_CJK}]+")

_KEY_PHRASE_SET = frozenset(KEY_PHRASES)
if not all(len(phrase) > GRAM_SIZE and _CJK_RUN_RE.fullmatch(phrase) for phrase in KEY_PHRASES):
    raise ValueError("a key phrase must be pure CJK and longer than a gram")

_SLICED_RUN_LIMIT = 256
# the gram slices of every run length below the limit, so a run's grams are cut at C level (map over slices)
_GRAM_SLICES = [()] * GRAM_SIZE + [
    tuple(slice(i, i + GRAM_SIZE) for i in range(n - GRAM_SIZE + 1))
    for n in range(GRAM_SIZE, _SLICED_RUN_LIMIT)
]


def gram_tokens(text: str) -> list[str]:
    """The overlapping GRAM_SIZE-character grams of every CJK run of a text (runs shorter give none)."""
    tokens: list[str] = []
    extend = tokens.extend
    for run in _CJK_RUN_RE.findall(text):
        length = len(run)
        if length < GRAM_SIZE:
            continue
        if length < _SLICED_RUN_LIMIT:
            extend(map(run.__getitem__, _GRAM_SLICES[length]))
        else:
            extend([run[i : i + GRAM_SIZE] for i in range(length - GRAM_SIZE + 1)])
    return tokens


def key_phrase_tokens(text: str) -> list[str]:
    """One token per key phrase occurring in a text."""
    return [phrase for phrase in KEY_PHRASES if phrase in text]


def lookup_tokens(text: str) -> list[str]:
    """What the lookup field of a text holds: its 4-grams, then its key phrases (order and repeats do not
    matter: the field keeps no frequencies or positions)."""
    return gram_tokens(text) + key_phrase_tokens(text)


def lookup_string(text: str) -> str:
    """`lookup_tokens` joined by single spaces (see `token_string`)."""
    return " ".join(lookup_tokens(text))


@dataclass(frozen=True, slots=True)
class TermPlan:
    """How one query term is matched: a phrase of tokens, or one CJK character (any token containing it).

    A pure-CJK term of four or more characters, and a key phrase, also has `lookup`: tokens of the lookup field
    that every matching document holds. When `lookup_decides` (a four-character term, a key phrase) that one
    lookup token matches exactly the documents the phrase of `tokens` does; otherwise the phrase decides and the
    lookup only narrows the documents whose positions it checks.
    """

    tokens: tuple[str, ...] = ()
    char: str | None = None
    pure_cjk: bool = False
    """The term is one CJK run, so `tokens` are its bigrams and may be spaced."""
    lookup: tuple[str, ...] = ()
    lookup_decides: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.tokens and self.char is None

    @property
    def spaced(self) -> tuple[tuple[int, str], ...]:
        """(position, token) pairs of a phrase that matches exactly where `tokens` does: for a pure-CJK term the
        first, every PHRASE_STEP-th and the last bigram, else every token."""
        if not self.pure_cjk:
            return tuple(enumerate(self.tokens))
        return tuple((position, self.tokens[position]) for position in _spaced(len(self.tokens), PHRASE_STEP))


def _spaced(count: int, step: int) -> list[int]:
    """The first, every step-th and the last of `count` positions."""
    return sorted({*range(0, count - 1, step), count - 1}) if count else []


def term_plan(term: str) -> TermPlan:
    """Query-time analysis of one term (a word or the inside of a quoted phrase).

    Returns an empty plan when the term has no letter, digit or CJK character (only punctuation).
    """
    folded = fold(_SEPARATOR_RE.sub(" ", term)).strip()
    if not _WORD_RE.search(folded) and not _CJK_CHAR_RE.search(folded):
        return TermPlan()
    if len(folded) == 1 and _CJK_CHAR_RE.match(folded):
        return TermPlan(char=folded)
    tokens = tuple(tokenize(folded))
    # leave out the outer edge unigrams: the document's run may continue beyond the term
    if _CJK_CHAR_RE.match(folded[0]):
        tokens = tokens[1:]
    if _CJK_CHAR_RE.match(folded[-1]):
        tokens = tokens[:-1]
    if not _CJK_RUN_RE.fullmatch(folded):
        return TermPlan(tokens=tokens)
    if folded in _KEY_PHRASE_SET or len(folded) == GRAM_SIZE:
        return TermPlan(tokens=tokens, pure_cjk=True, lookup=(folded,), lookup_decides=True)
    grams = gram_tokens(folded)
    lookup = tuple(grams[position] for position in _spaced(len(grams), GRAM_SIZE))
    return TermPlan(tokens=tokens, pure_cjk=True, lookup=lookup)


def char_token_regex(char: str) -> str:
    """A whole-token regex (tantivy and Lucene syntax) for the tokens that contain one CJK character."""
    return f"{char}.?|.{char}"


def normalize_for_scan(text: str) -> str:
    """Folded text with invisible characters blanked; same length as the input."""
    return _INVISIBLE_CHAR_RE.sub(" ", fold(text))


_INVISIBLE_CHAR_RE = re.compile(f"[{_INVISIBLE}]")


def term_pattern(term: str) -> re.Pattern[str]:
    """A regex over `normalize_for_scan(text)` that finds exactly the places a term matches.

    A term matches where its folded form occurs as a substring whose word (letter/digit) ends are not glued to
    further letters or digits, with runs of whitespace treated as one.
    """
    folded = " ".join(normalize_for_scan(term).split())
    body = r"\s+".join(re.escape(part) for part in folded.split(" "))
    prefix = rf"(?<!{_WORD})" if folded and _WORD_RE.match(folded[0]) else ""
    suffix = rf"(?!{_WORD})" if folded and _WORD_RE.match(folded[-1]) else ""
    return re.compile(prefix + body + suffix)


def matches_term(term: str, text: str) -> bool:
    """Reference semantics of a term match, by scanning the text (used by tests and the highlighter)."""
    return term_pattern(term).search(normalize_for_scan(text)) is not None
