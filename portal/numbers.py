"""Document numbers (发文字号): canonical forms and the messy spellings real sites print.

The portal writes the raw spelling into pages and records the canonical form in the manifest itself;
it never relies on the product's normaliser.
"""

from __future__ import annotations

import random

FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")

# Spellings of the year brackets (open, close) seen on real sites.
_BRACKETS = (("[", "]"), ("(", ")"), ("［", "］"), ("﹝", "﹞"), ("【", "】"))


def canonical_bracket_number(code: str, year: int, serial: int) -> str:
    """GB/T 9704 form: 代字〔YYYY〕N号."""
    return f"{code}〔{year}〕{serial}号"


def canonical_order_number(issuer: str, serial: int) -> str:
    """Order (令) form, which has no year: 济南市人民政府令第N号."""
    return f"{issuer}令第{serial}号"


def raw_bracket_number(rng: random.Random, code: str, year: int, serial: int, allow_newline: bool) -> str:
    """A printed spelling: canonical about 60% of the time, otherwise one real-world variant."""
    roll = rng.random()
    if roll < 0.6:
        return canonical_bracket_number(code, year, serial)
    variant = rng.randrange(11 if allow_newline else 10)
    if variant == 0:
        return f"{code} 〔{year}〕{serial}号"
    if variant == 1:
        return f"{code}〔 {year} 〕{serial} 号"
    if variant == 2:
        opening, closing = _BRACKETS[rng.randrange(len(_BRACKETS))]
        return f"{code}{opening}{year}{closing}{serial}号"
    if variant == 3:
        return f"{code}〔{year}〕{serial}号".translate(FULL_WIDTH_DIGITS)
    if variant == 4:
        return f"\u200b{code}〔{year}〕{serial}号"
    if variant == 5:
        return f"{code}〔{year}〕{serial}号〔〕"
    if variant == 6:
        return f"{code}〔{year}〕第{serial}号"
    if variant == 7:
        return f"{code}〔{year}〕{serial:03d}号"
    if variant == 8:
        return f"{code}〔{year}〕 {serial}号"
    if variant == 9:
        return f"{code}[{year}]{serial} 号"
    return f"{code}〔\n {year}〕\n {serial} 号"


def raw_order_number(rng: random.Random, issuer: str, serial: int) -> str:
    roll = rng.random()
    if roll < 0.6:
        return canonical_order_number(issuer, serial)
    if roll < 0.8:
        return f"{issuer}令第 {serial} 号"
    return f"{issuer}令第{serial}号".translate(FULL_WIDTH_DIGITS)


def cited_spelling(rng: random.Random, canonical: str) -> str:
    """How a citation is written in a body: mostly canonical, sometimes with other brackets."""
    if "〔" not in canonical or rng.random() < 0.85:
        return canonical
    opening, closing = rng.choice((("［", "］"), ("【", "】"), ("[", "]")))
    return canonical.replace("〔", opening).replace("〕", closing)
