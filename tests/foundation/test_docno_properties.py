"""Property tests: generated spellings normalise back; arbitrary text never raises; embedded numbers are found."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.dates import parse_date
from indexer.docno import extract_doc_numbers, looks_like_doc_number, normalize_doc_number, parse_doc_number
from indexer.issuers import clean_issuer, split_issuers

# Characters real 机关代字 are made of (place abbreviations and document classes), minus the characters
# the extraction heuristics treat as org markers, title words or lead-ins (see indexer/docno.py).
CODE_ALPHABET = "国中粤豫晋宁鄂辽沪浙津黑内陕青川云黔桂湘鲁京渝阳珠韶惠穗江深苏武新泸呼财建科人医住林商农水交卫教环统审税政发函规复干电明字报联企业资土防秘质投律协"
BRACKETS = [
    ("〔", "〕"),
    ("［", "］"),
    ("[", "]"),
    ("(", ")"),
    ("（", "）"),
    ("﹝", "﹞"),
    ("【", "】"),
    ("〖", "〗"),
]
GAPS = ["", "", "", "", " ", "\u3000", "\u00a0", "\u200b", "\u200d", "\ufeff", "\n", "\t"]
LABELS = ["", "", "文号：", "发文字号：", "发文字号:", "文件编号 ", "文　　号："]
DEBRIS = ["", "", "〔〕", "。", "；", "”"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
CHINESE_DIGITS = "〇一二三四五六七八九"

codes = st.text(alphabet=CODE_ALPHABET, min_size=2, max_size=8)
years = st.integers(min_value=1949, max_value=2030)
serials = st.integers(min_value=1, max_value=9999)


def _chinese_numeral(value: int) -> str:
    """Positional Chinese numeral (1..9999), as written in 令 numbers."""
    units = [(1000, "千"), (100, "百"), (10, "十")]
    text = ""
    zero_pending = False
    for unit, name in units:
        digit, value = divmod(value, unit)
        if digit:
            if zero_pending:
                text += "零"
                zero_pending = False
            text += CHINESE_DIGITS[digit] + name
        elif text:
            zero_pending = True
    if value:
        if zero_pending:
            text += "零"
        text += CHINESE_DIGITS[value]
    return "十" + text[2:] if text.startswith("一十") else text


@st.composite
def scattered(draw: st.DrawFn, text: str) -> str:
    """`text` with whitespace and zero-width characters inserted at random positions."""
    gaps = draw(st.lists(st.sampled_from(GAPS), min_size=len(text) + 1, max_size=len(text) + 1))
    return "".join(gap + char for gap, char in zip(gaps, text, strict=False)) + gaps[-1]


def _digits(draw: st.DrawFn, value: int, *, pad: bool) -> str:
    text = str(value)
    if pad:
        text = "0" * draw(st.integers(min_value=0, max_value=3)) + text
    return text.translate(FULL_WIDTH) if draw(st.booleans()) else text


@st.composite
def standard_spellings(draw: st.DrawFn) -> tuple[str, str]:
    code, year, serial = draw(codes), draw(years), draw(serials)
    opening, closing = draw(st.sampled_from(BRACKETS))
    infix = draw(st.sampled_from(["", "", "第", "字第"]))
    number = (
        f"{code}{opening}{_digits(draw, year, pad=False)}{closing}{infix}{_digits(draw, serial, pad=True)}号"
    )
    if draw(st.booleans()):
        number = f"（{number}）"
    spelling = draw(st.sampled_from(LABELS)) + number + draw(st.sampled_from(DEBRIS))
    return draw(scattered(spelling)), f"{code}〔{year}〕{serial}号"


@st.composite
def series_spellings(draw: st.DrawFn) -> tuple[str, str]:
    prefix = draw(codes) + draw(st.sampled_from(["人民政府", "部", "总局", ""]))
    serial = draw(serials)
    written_serial = _chinese_numeral(serial) if draw(st.booleans()) else _digits(draw, serial, pad=True)
    shape = draw(st.sampled_from(["order", "dated order", "announcement"]))
    if shape == "order":
        spelling, canonical = f"{prefix}令第{written_serial}号", f"{prefix}令第{serial}号"
    else:
        year = draw(years)
        series = "令" if shape == "dated order" else "公告"
        spelling = f"{prefix}{series}{_digits(draw, year, pad=False)}年第{written_serial}号"
        canonical = f"{prefix}{series}{year}年第{serial}号"
    return draw(scattered(draw(st.sampled_from(LABELS)) + spelling)), canonical


@settings(max_examples=250, deadline=None)
@given(standard_spellings())
def test_standard_spellings_normalise_back(case: tuple[str, str]) -> None:
    spelling, canonical = case
    assert normalize_doc_number(spelling) == canonical
    assert normalize_doc_number(canonical) == canonical


@settings(max_examples=300, deadline=None)
@given(series_spellings())
def test_order_and_announcement_spellings_normalise_back(case: tuple[str, str]) -> None:
    spelling, canonical = case
    assert normalize_doc_number(spelling) == canonical
    assert normalize_doc_number(canonical) == canonical


def test_chinese_numeral_helper_matches_known_spellings() -> None:
    assert [_chinese_numeral(n) for n in (10, 53, 105, 312, 2016, 9999)] == [
        "十",
        "五十三",
        "一百零五",
        "三百一十二",
        "二千零一十六",
        "九千九百九十九",
    ]


SENTENCES = [
    "现将有关事项通知如下。",
    "各区县人民政府，市政府各部门：",
    "请结合实际认真贯彻执行。",
    "2019年12月21日，会议在第3会议室召开，联系电话0531-86081234。",
    "索引号：000014349/2018-00222。",
    "本办法自印发之日起施行。",
    "",
]
LEAD_INS = ["", "按照", "根据", "依据", "为贯彻落实", "贯彻", "落实", "在已下发的", "和", "及", "与", "参照"]
FRAMES = [
    "{lead}{number}",
    "《关于加强管理工作的通知》（{number}）",
    "关于印发实施方案的通知{number}",
    "{lead}{number}要求，",
]


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[str]]:
    parts: list[str] = []
    expected: list[str] = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        parts.append(draw(st.sampled_from(SENTENCES)))
        spelling, canonical = draw(st.one_of(standard_spellings(), series_spellings()))
        spelling = spelling.strip()
        for label in LABELS[2:]:
            spelling = spelling.removeprefix(label)
        if normalize_doc_number(spelling) != canonical:
            continue  # a label scattered with gaps is not removable here; covered by other tests
        frame = draw(st.sampled_from(FRAMES))
        parts.append(frame.format(lead=draw(st.sampled_from(LEAD_INS)), number=spelling))
        parts.append("。")
        expected.append(canonical)
    return "".join(parts), expected


@settings(max_examples=300, deadline=None)
@given(documents())
def test_embedded_numbers_are_found(case: tuple[str, list[str]]) -> None:
    text, expected = case
    found = extract_doc_numbers(text)
    assert [cited.canonical for cited in found] == expected
    for cited in found:
        assert text[cited.start : cited.start + len(cited.raw)] == cited.raw
        assert normalize_doc_number(cited.raw) == cited.canonical


NUMBERISH = st.text(
    alphabet=st.sampled_from(
        list(
            "国发政办令公告第号年字〔〕[]()（）【】﹝﹞0123456789０１２３４５６７８９五十百零 \u3000\u200b、的按照市局"
        )
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), NUMBERISH))
def test_arbitrary_text_never_raises(text: str) -> None:
    parsed = parse_doc_number(text)
    assert parsed.input == text
    if parsed.canonical is not None:
        assert normalize_doc_number(parsed.canonical) == parsed.canonical
    looks_like_doc_number(text)
    for cited in extract_doc_numbers(text, exclude=text):
        assert text[cited.start : cited.start + len(cited.raw)] == cited.raw
    parse_date(text)
    parse_date(text, default_year=2020)
    cleaned = clean_issuer(text)
    assert cleaned is None or cleaned == "、".join(split_issuers(text))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.none()))
def test_parse_date_never_raises_on_numbers(value: int | float | None) -> None:
    parse_date(value)


ORG_NAMES = st.builds(
    lambda place, body: place + body,
    st.sampled_from(["济南市", "山东省", "国务院", "深圳市龙华区", "中共山东省委", ""]),
    st.sampled_from(
        ["人民政府", "办公厅", "财政局", "教育局", "住房和城乡建设局", "卫生健康委员会", "政务公开办公室"]
    ),
)
SEPARATORS = ["、", "，", ",", ";", "；", "/", " ", "\u3000", " 、 ", "\n"]


@settings(max_examples=200, deadline=None)
@given(st.lists(ORG_NAMES, min_size=1, max_size=4, unique=True), st.data())
def test_joint_issuers_split_back_in_order(names: list[str], data: st.DataObject) -> None:
    text = names[0]
    for name in names[1:]:
        text += data.draw(st.sampled_from(SEPARATORS)) + name
    text = (
        data.draw(st.sampled_from(["", " ", "\u200b", "发布机构："]))
        + text
        + data.draw(st.sampled_from(["", "。", " "]))
    )
    assert split_issuers(text) == names
    assert clean_issuer(text) == "、".join(names)
