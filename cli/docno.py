"""`gongkai docno`: normalise document numbers (发文字号) and list the numbers cited in a text."""

from __future__ import annotations

import json
from typing import TextIO

import click

from indexer.docno import extract_doc_numbers, parse_doc_number


def _print_json_line(payload: dict[str, object]) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False))


@click.group()
def docno() -> None:
    """Document numbers (发文字号): normalise spellings, extract citations."""


@docno.command()
@click.argument("texts", nargs=-1, required=True)
def normalize(texts: tuple[str, ...]) -> None:
    """Print one JSON object per TEXT: input, canonical, issuer_code, year, serial, kind."""
    for text in texts:
        _print_json_line(parse_doc_number(text).model_dump(mode="json"))


@docno.command()
@click.argument("source", type=click.File("r", encoding="utf-8", errors="replace"))
@click.option("--exclude", default=None, help="The document's own number, left out of the output.")
def extract(source: TextIO, exclude: str | None) -> None:
    """Print one JSON object per number cited in SOURCE (a file, or - for stdin): canonical, raw, start."""
    try:
        text = source.read()
    except OSError as error:
        raise click.ClickException(f"cannot read {source.name}: {error}") from error
    for cited in extract_doc_numbers(text, exclude=exclude):
        _print_json_line(cited.model_dump(mode="json"))
