"""The title of a page whose heading is an element no name marks as a title, and whose <title> puts the site name
on either side of any separator: found from the part of <title> the page prints, on randomised pages."""

from __future__ import annotations

import random

import pytest

from crawler.extraction.page import extract_page

TITLES = [
    "关于印发济南市保障性住房管理办法的通知",
    "2026-2030年全市教育事业发展规划",
    "市生态环境局2025年度政府信息公开工作年度报告",
]
SITES = ["济南市住房和城乡建设局", "某某县人民政府", "市教育局"]
SEPARATORS = ["-", " - ", "_", "|", "｜", "—", "－"]


def random_name(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 8)))


def page(rng: random.Random, title: str, site: str) -> str:
    separator = rng.choice(SEPARATORS)
    head = f"{site}{separator}{title}" if rng.random() < 0.5 else f"{title}{separator}{site}"
    tag = rng.choice(["div", "p", "span", "strong", "td"])
    heading = f'<{tag} class="{random_name(rng)}">{title}</{tag}>'
    if tag == "td":
        heading = f"<table><tr>{heading}</tr></table>"
    body_text = "为进一步规范管理，现将有关事项通知如下。" * rng.randint(3, 8)
    return (
        f"<html><head><title>{head}</title></head><body>"
        f'<div class="{random_name(rng)}"><a href="/">{site}</a></div>'
        f'<div class="{random_name(rng)}">{heading}<div class="{random_name(rng)}"><p>{body_text}</p></div></div>'
        "</body></html>"
    )


@pytest.mark.parametrize("seed", range(40))
def test_the_printed_part_of_title_is_the_title(seed: int) -> None:
    rng = random.Random(seed)
    title, site = rng.choice(TITLES), rng.choice(SITES)
    extracted = extract_page(page(rng, title, site), "http://127.0.0.1:1/art/2026/1.html")
    assert extracted.title == title
