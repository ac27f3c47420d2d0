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

Gram fields make the common Chinese query cheap. A phrase of bigrams must check positions in every document
holding all its bigrams, and boilerplate terms (政府信息公开) sit in half of a corpus. So every CJK run is also
indexed as its overlapping 3-grams and 4-grams (`gram_tokens`), each size in its own field: a pure-CJK term of
3 or 4 characters is then one term lookup, and a longer one is a phrase of its 4-grams, which are far more
selective than bigrams. Every substring of a run of length n is one of the run's n-grams, so the semantics stay
exact.

Checking positions is what a phrase costs, so a long term uses only some of its 4-grams, at most
`MAX_GRAM_GAP` positions apart and together covering every character (`TermPlan.spaced_grams`: 政府信息公开 ->
政府信息 at 0, 信息公开 at 2). The 4-gram field puts MAX_GRAM_GAP copies of `RUN_BREAK_TOKEN` between runs, so
grams that close together always lie in one run and such a phrase never bridges two runs.

A phrase whose grams are all boilerplate still checks positions in every document that holds them: 政府信息公开
sits in half of a disclosure corpus. So a short list of the domain's own longer phrases (`KEY_PHRASES`: the
name of the field, its statutory columns and areas) is also indexed whole, the way Lucene's CommonGrams indexes
frequent word pairs: after the last 4-gram of a text and MAX_GRAM_GAP break tokens, the 4-gram field holds one
token per occurrence of each key phrase in a CJK run (`indexed_gram_tokens`). Such a query term is then one term
lookup. A key phrase is pure CJK, so it occurs in a text exactly when it lies inside one of its CJK runs, and it
is longer than a 4-gram, so no gram phrase ever meets it. The list is part of the index format: changing it
needs a schema and mapping version bump and a reindex.

Tokenising runs for every indexed document, so it is one regex pass plus C-level bigram building.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import add

WHITESPACE_TOKEN = "\ue000"
"""Stands for a run of whitespace inside text (a private-use character, folded away in the input)."""

RUN_BREAK_TOKEN = "\ue001"
"""Separates the CJK runs of a text in the 4-gram field (a private-use character, folded away in the input)."""

GRAM_SIZES = (3, 4)
"""The n-gram fields besides the bigram tokens; a longer pure-CJK term is a phrase of grams of the largest size."""

MAX_GRAM_GAP = GRAM_SIZES[-1] - 1
"""Largest position step between the grams of a spaced phrase; also the number of break tokens between runs."""

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
"""Phrases of the disclosure domain indexed as whole tokens in the 4-gram field (see the module docstring)."""

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


_RUN_BREAK = [RUN_BREAK_TOKEN] * MAX_GRAM_GAP

_KEY_PHRASE_SET = frozenset(KEY_PHRASES)
if not all(len(phrase) > GRAM_SIZES[-1] and _CJK_RUN_RE.fullmatch(phrase) for phrase in KEY_PHRASES):
    raise ValueError("a key phrase must be pure CJK and longer than the largest gram")


_SLICED_RUN_LIMIT = 256
# the gram slices of every run length below the limit, so a run's grams are cut at C level (map over slices)
_GRAM_SLICES = {
    size: [()] * size
    + [tuple(slice(i, i + size) for i in range(n - size + 1)) for n in range(size, _SLICED_RUN_LIMIT)]
    for size in GRAM_SIZES
}


def _run_grams(runs: list[str], size: int) -> list[str]:
    tokens: list[str] = []
    extend = tokens.extend
    slices = _GRAM_SLICES[size]
    separate = size == GRAM_SIZES[-1]
    for run in runs:
        length = len(run)
        if length < size:
            continue
        if separate and tokens:
            extend(_RUN_BREAK)
        if length < _SLICED_RUN_LIMIT:
            extend(map(run.__getitem__, slices[length]))
        else:
            extend([run[i : i + size] for i in range(length - size + 1)])
    return tokens


def gram_tokens(text: str, size: int) -> list[str]:
    """The overlapping `size`-character grams of every CJK run of a text.

    Runs shorter than `size` give no gram (no term of that size can lie inside them). In the largest size, the
    only one searched by phrase, runs are separated by MAX_GRAM_GAP break tokens.
    """
    return _run_grams(_CJK_RUN_RE.findall(text), size)


def key_phrase_tokens(text: str) -> list[str]:
    """One token per occurrence of each key phrase in a text."""
    tokens: list[str] = []
    for phrase in KEY_PHRASES:
        occurrences = text.count(phrase)
        if occurrences:
            tokens.extend([phrase] * occurrences)
    return tokens


def indexed_gram_tokens(text: str, size: int) -> list[str]:
    """What the `size`-gram field of a text holds: its grams, and in the largest size also its key phrases."""
    tokens = gram_tokens(text, size)
    if size == GRAM_SIZES[-1]:
        phrases = key_phrase_tokens(text)
        if phrases:
            tokens.extend(_RUN_BREAK + phrases)
    return tokens


def gram_string(text: str, size: int) -> str:
    """The indexed grams of a text joined by single spaces (see `token_string`)."""
    return " ".join(indexed_gram_tokens(text, size))


def gram_strings(text: str) -> dict[int, str]:
    """`gram_string` of every size in GRAM_SIZES, from one pass over the text's CJK runs."""
    runs = _CJK_RUN_RE.findall(text)
    strings = {}
    for size in GRAM_SIZES:
        tokens = _run_grams(runs, size)
        if size == GRAM_SIZES[-1]:
            phrases = key_phrase_tokens(text)
            if phrases:
                tokens.extend(_RUN_BREAK + phrases)
        strings[size] = " ".join(tokens)
    return strings


@dataclass(frozen=True, slots=True)
class TermPlan:
    """How one query term is matched: a phrase of tokens, or one CJK character (any token containing it).

    A pure-CJK term of three or more characters also has `grams`: the phrase of its `gram_size`-grams in the
    gram fields, which matches exactly the documents that `tokens` matches in the bigram fields, faster. A key
    phrase has itself as its one gram (a whole token of the 4-gram field).
    """

    tokens: tuple[str, ...] = ()
    char: str | None = None
    grams: tuple[str, ...] = ()
    gram_size: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.tokens and self.char is None

    @property
    def spaced_grams(self) -> tuple[tuple[int, str], ...]:
        """(position, gram) pairs of a phrase over fewer grams that matches exactly where `grams` does: the
        first, every MAX_GRAM_GAP-th and the last gram."""
        last = len(self.grams) - 1
        positions = sorted({*range(0, last, MAX_GRAM_GAP), last})
        return tuple((position, self.grams[position]) for position in positions)


def term_plan(term: str) -> TermPlan:
    """Query-time analysis of one term (a word or the inside of a quoted phrase).

    Returns an empty plan when the term has no letter, digit or CJK character (only punctuation).
    """
    folded = fold(_SEPARATOR_RE.sub(" ", term)).strip()
    if not _WORD_RE.search(folded) and not _CJK_CHAR_RE.search(folded):
        return TermPlan()
    if len(folded) == 1 and _CJK_CHAR_RE.match(folded):
        return TermPlan(char=folded)
    tokens = tokenize(folded)
    # leave out the outer edge unigrams: the document's run may continue beyond the term
    if _CJK_CHAR_RE.match(folded[0]):
        tokens = tokens[1:]
    if _CJK_CHAR_RE.match(folded[-1]):
        tokens = tokens[:-1]
    if folded in _KEY_PHRASE_SET:
        return TermPlan(tokens=tuple(tokens), grams=(folded,), gram_size=GRAM_SIZES[-1])
    gram_size = min(len(folded), GRAM_SIZES[-1])
    if gram_size in GRAM_SIZES and _CJK_RUN_RE.fullmatch(folded):
        grams = tuple(gram_tokens(folded, gram_size))
        return TermPlan(tokens=tuple(tokens), grams=grams, gram_size=gram_size)
    return TermPlan(tokens=tuple(tokens))


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
