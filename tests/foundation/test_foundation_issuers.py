"""clean_issuer / split_issuers."""

from __future__ import annotations

import pytest

from indexer.issuers import clean_issuer, split_issuers


@pytest.mark.parametrize(
    ("printed", "cleaned"),
    [
        ("国务院办公厅", "国务院办公厅"),
        ("  济南市人民政府办公厅\n", "济南市人民政府办公厅"),
        ("\u200b济南市\u00a0人民政府\u3000", "济南市人民政府"),
        ("国 务 院", "国务院"),
        ("发布机构：济南市财政局", "济南市财政局"),
        ("发文机关: 济南市财政局。", "济南市财政局"),
        ("（济南市人民政府）", "济南市人民政府"),
        ("【济南市教育局】", "济南市教育局"),
        ("“济南市教育局”", "济南市教育局"),
        ("济南市教育局)", "济南市教育局"),
        ("中共深圳市委办公厅（市政府办公厅）", "中共深圳市委办公厅（市政府办公厅）"),
        # joint issuers, every separator, printed order kept
        ("国务院办公厅、中央军委办公厅", "国务院办公厅、中央军委办公厅"),
        ("国务院办公厅，中央军委办公厅", "国务院办公厅、中央军委办公厅"),
        ("国务院办公厅,中央军委办公厅", "国务院办公厅、中央军委办公厅"),
        ("国务院办公厅;中央军委办公厅", "国务院办公厅、中央军委办公厅"),
        ("国务院办公厅；中央军委办公厅", "国务院办公厅、中央军委办公厅"),
        ("国务院办公厅/中央军委办公厅", "国务院办公厅、中央军委办公厅"),
        ("国务院办公厅 中央军委办公厅", "国务院办公厅、中央军委办公厅"),
        ("国务院办公厅\u3000\u3000中央军委办公厅", "国务院办公厅、中央军委办公厅"),
        ("中共山东省委、山东省人民政府", "中共山东省委、山东省人民政府"),
        ("山东省人民政府、中共山东省委", "山东省人民政府、中共山东省委"),
        ("国务院国资委 、 财政部 、司法部", "国务院国资委、财政部、司法部"),
        ("国务院办公厅、、国务院办公厅", "国务院办公厅"),
    ],
)
def test_clean_issuer(printed: str, cleaned: str) -> None:
    assert clean_issuer(printed) == cleaned


def test_split_issuers_keeps_order() -> None:
    assert split_issuers("山东省人民政府；中共山东省委 ,  山东省财政厅") == [
        "山东省人民政府",
        "中共山东省委",
        "山东省财政厅",
    ]


@pytest.mark.parametrize("printed", [None, "", "   ", "\u200b", "、，;", "（）", "发布机构："])
def test_nothing_left(printed: str | None) -> None:
    assert clean_issuer(printed) is None
    assert split_issuers(printed) == []
