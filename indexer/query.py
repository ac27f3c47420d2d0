"""The user query language, parsed into a small AST that every backend translates.

Syntax: words, "quoted phrases" (also “curly quotes”), `-word` / `-"phrase"` to exclude, `OR` between terms
(AND is the default). `a b OR c -d` means a AND (b OR c) AND NOT d. Field-free: terms match title, body and
attachment text.

Forgiving where intent is clear (an unclosed quote runs to the end, a lone `-` or a dangling `OR` is ignored,
control characters are blanks) and strict where it is not: too long, too many terms, nothing searchable, or an
`OR` next to an exclusion raise `QuerySyntaxError` with a message fit for the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.analysis import TermPlan, term_plan
from indexer.backends.base import QuerySyntaxError

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
MAX_TERM_TOKENS = 128

_OPEN_QUOTES = {'"': '"', "“": "”", "”": "”", "＂": "＂", "「": "」"}
_OR_WORDS = {"OR", "|", "||"}


@dataclass(frozen=True, slots=True)
class Term:
    """One word or phrase as typed, and how it is matched."""

    text: str
    phrase: bool
    plan: TermPlan


@dataclass(frozen=True, slots=True)
class Clause:
    """Terms joined by OR; an excluded clause has exactly one term."""

    terms: tuple[Term, ...]
    excluded: bool = False


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """All included clauses must match and no excluded clause may; no clauses at all matches everything."""

    clauses: tuple[Clause, ...] = ()

    @property
    def included(self) -> tuple[Clause, ...]:
        return tuple(clause for clause in self.clauses if not clause.excluded)

    @property
    def excluded(self) -> tuple[Clause, ...]:
        return tuple(clause for clause in self.clauses if clause.excluded)

    @property
    def is_match_all(self) -> bool:
        return not self.included

    def highlight_terms(self) -> list[str]:
        """The included terms' texts, for the highlighter."""
        return [term.text for clause in self.included for term in clause.terms]


@dataclass(frozen=True, slots=True)
class _Lexeme:
    kind: str  # "term" or "or"
    text: str = ""
    phrase: bool = False
    excluded: bool = False


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")


def _lex(text: str) -> list[_Lexeme]:
    lexemes: list[_Lexeme] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        excluded = False
        if ch == "-" and i + 1 < n and not text[i + 1].isspace():
            excluded = True
            i += 1
            ch = text[i]
        elif ch == "-":  # a lone '-' excludes nothing
            i += 1
            continue
        if ch in _OPEN_QUOTES:
            closing = _OPEN_QUOTES[ch]
            end = text.find(closing, i + 1)
            if end == -1:
                end = n  # an unclosed quote runs to the end of the query
            lexemes.append(_Lexeme("term", text[i + 1 : end], phrase=True, excluded=excluded))
            i = end + 1
            continue
        start = i
        while i < n and not text[i].isspace() and not (i > start and text[i] in _OPEN_QUOTES):
            i += 1
        word = text[start:i]
        if word in _OR_WORDS and not excluded:
            lexemes.append(_Lexeme("or"))
        else:
            lexemes.append(_Lexeme("term", word, excluded=excluded))
    return lexemes


def parse_query(text: str) -> ParsedQuery:
    """Parse what the user typed; raise QuerySyntaxError with a clear message when it cannot be searched."""
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"query is too long ({len(text)} characters; at most {MAX_QUERY_CHARS})")
    text = _CONTROL_RE.sub(" ", text)
    groups: list[list[_Lexeme]] = []
    join_next = False
    for lexeme in _lex(text):
        if lexeme.kind == "or":
            join_next = bool(groups)  # an OR at the start joins nothing
            continue
        if join_next and (lexeme.excluded or groups[-1][-1].excluded):
            raise QuerySyntaxError("OR cannot be combined with an excluded (-) term")
        if join_next:
            groups[-1].append(lexeme)
        else:
            groups.append([lexeme])
        join_next = False
    # a trailing OR is ignored

    clauses: list[Clause] = []
    term_count = 0
    dropped: list[str] = []
    for group in groups:
        terms: list[Term] = []
        for lexeme in group:
            plan = term_plan(lexeme.text)
            if plan.is_empty:
                dropped.append(lexeme.text)
                continue
            if len(plan.tokens) > MAX_TERM_TOKENS:
                raise QuerySyntaxError(f"a term is too long: {lexeme.text[:20]}…")
            terms.append(Term(text=" ".join(lexeme.text.split()), phrase=lexeme.phrase, plan=plan))
        if not terms:
            continue
        term_count += len(terms)
        if term_count > MAX_TERMS:
            raise QuerySyntaxError(f"too many terms (at most {MAX_TERMS})")
        clauses.append(Clause(terms=tuple(terms), excluded=group[0].excluded))
    if not clauses and dropped and any(part.strip() for part in dropped):
        raise QuerySyntaxError("the query has no letters, digits or Chinese characters to search for")
    return ParsedQuery(clauses=tuple(clauses))
