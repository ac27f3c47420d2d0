"""Document numbers (发文字号 / 文号): parse any real-world spelling, normalise, and find citations.

Canonical forms (what `DocNumber.canonical` holds):

* ``standard`` — ``代字〔YYYY〕N号`` per GB/T 9704-2012 §7.2.5: the issuer code (机关代字) with all
  whitespace and zero-width characters removed, the four-digit year inside 六角括号 〔〕, ASCII digits,
  no 第, no leading zeros, no trailing debris. Every bracket kind (〔〕 ［］ [] () （） ﹝﹞ 【】 〖〗 …)
  is read as a year bracket; the misuse ``字第`` after the bracket is dropped (``X市财发〔1992〕字第36号``
  → ``X市财发〔1992〕36号``); a two-digit year in a field value is widened (``〔92〕`` → 1992, ``〔05〕`` →
  2005, pivot = the current two-digit year). ``渝府令〔2016〕310号`` is a standard number.
* ``order`` (令) — ``<prefix>令第N号`` without a year (``山西省人民政府令第216号``, ``国令第707号``,
  ``主席令第53号`` from ``主席令第五十三号``), or ``<prefix>令YYYY年第N号`` with one
  (``交通运输部令2016年第62号``). ``issuer_code`` is the whole prefix including 令
  (``山西省人民政府令``), because that prefix is what names the series. A bare list cell ``第 312 号``
  parses to ``第312号`` with ``issuer_code`` None; it is never extracted from body text.
* ``announcement`` (公告 and other year series) — ``<prefix>YYYY年第N号`` (``国家税务总局公告2015年第41号``,
  ``issuer_code`` = ``国家税务总局公告``). A year series without 令 or 公告 (``昆明市人民政府2015年第88号``)
  is also filed under this kind, its issuer_code being the bare prefix.

Serials accept Arabic digits (full-width too, zero padding dropped) and, after 第, Chinese numerals.
Years must lie in 1900–2099 and serials be positive; anything else is not a number (canonical None).

`parse_doc_number` reads a metadata field value: it strips a leading label (``发文字号：``), wrapping
brackets and trailing debris, and when the value is not a bare number (a title, a line of script) it
falls back to the first number cited in the text. `extract_doc_numbers` scans body text; see
`_trim_code` for the heuristics that cut lead-in verbs, titles and agency names off the issuer code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel

__all__ = [
    "CitedNumber",
    "DocNumber",
    "DocNumberKind",
    "chinese_numeral_to_int",
    "extract_doc_numbers",
    "looks_like_doc_number",
    "normalize_doc_number",
    "parse_doc_number",
]


class DocNumberKind(StrEnum):
    standard = "standard"
    order = "order"
    announcement = "announcement"


class DocNumber(BaseModel):
    """A parsed document number; every field but `input` is None when the text is not a number."""

    input: str
    canonical: str | None = None
    issuer_code: str | None = None
    year: int | None = None
    serial: int | None = None
    kind: DocNumberKind | None = None


class CitedNumber(BaseModel):
    """One occurrence of a document number in a text; `start` is the offset of `raw` in that text."""

    canonical: str
    raw: str
    start: int


# ---------------------------------------------------------------------------------------------------
# Character classes

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_INVISIBLE = "\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
# whitespace (\s covers U+00A0 and U+3000) plus invisible format characters
_GAP = rf"[\s{_INVISIBLE}]*"
_OPEN = "〔［\\[(（﹝【〖〘〚｛{｟⦅﹙﹛"
_CLOSE = "〕］\\])）﹞】〗〙〛｝}｠⦆﹚﹜"
_DIGIT = "0-9０-９"
_HAO = "号號"
_CN_DIGITS = "〇零一二两三四五六七八九OoＯｏ○０"
_CN_NUMERAL = f"[{_CN_DIGITS}十百千]+"

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９號", "0123456789号")
# one translate() both drops every gap character and maps full-width digits (faster than re.sub)
_COMPACT_TABLE = {
    **_FULLWIDTH_DIGITS,
    **{code: None for code in range(0x3100) if chr(code).isspace()},
    **{code: None for code in (0x00AD, 0x180E, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF)},
    **{code: None for code in range(0x200B, 0x2010)},
    **{code: None for code in range(0x202A, 0x202F)},
}

_CN_DIGIT_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {
    "零": 0,
    "两": 2,
    "O": 0,
    "o": 0,
    "Ｏ": 0,
    "ｏ": 0,
    "○": 0,
    "０": 0,
}
_CN_UNIT_VALUE = {"十": 10, "百": 100, "千": 1000}

MIN_YEAR = 1900
MAX_YEAR = 2099
_MAX_SERIAL_DIGITS = 6


def chinese_numeral_to_int(text: str) -> int | None:
    """Read a Chinese numeral (五十三, 一百零五, 二〇一六, 十二) as an int; None when it is not one."""
    if not text:
        return None
    if not any(c in _CN_UNIT_VALUE for c in text):
        # digit-by-digit spelling: 二〇一六
        value = 0
        for char in text:
            digit = _CN_DIGIT_VALUE.get(char)
            if digit is None:
                return None
            value = value * 10 + digit
        return value
    total = 0
    pending = 0
    last_unit = 10_000
    for char in text:
        if char in _CN_UNIT_VALUE:
            unit = _CN_UNIT_VALUE[char]
            if unit >= last_unit:
                return None
            total += (pending or 1) * unit
            pending = 0
            last_unit = unit
        else:
            digit = _CN_DIGIT_VALUE.get(char)
            if digit is None or pending:
                return None
            pending = digit
    return total + pending


def _compact(text: str) -> str:
    return text.translate(_COMPACT_TABLE)


def _read_serial(text: str) -> int | None:
    if not text.isdecimal():
        text = _compact(text)
    if text.isdecimal():  # int() reads full-width digits as well
        value = int(text)
        return value if 0 < value < 10**_MAX_SERIAL_DIGITS else None
    value = chinese_numeral_to_int(text)
    return value if value is not None and value > 0 else None


def _read_year(text: str) -> int | None:
    if not text.isdecimal():
        text = _compact(text)
    if not text.isdecimal():
        return None
    if len(text) == 2:
        pivot = date.today().year % 100
        year = 2000 + int(text) if int(text) <= pivot else 1900 + int(text)
    elif len(text) == 4:
        year = int(text)
    else:
        return None
    return year if MIN_YEAR <= year <= MAX_YEAR else None


# ---------------------------------------------------------------------------------------------------
# Trimming the issuer code of a number found in running text

# Words that never occur inside an issuer code but end a title or a sentence fragment before one:
# everything up to and including the last of them is cut off. 日 only after a numeral (三月十五日): 日照's
# codes start with it (日政发, 日交函); after digits (3月5日济政办发…) it is dropped where the code is found.
_TITLE_MARKERS = re.compile(
    "的|关于|通知|意见|办法|规定|决定|方案|规划|细则|批复|报告|条例|印发|转发|文件|精神|要求|公布|"
    "附件|学习|传达|认真|严格|单位|部门|有关|相关|上述|下列|前述|各|请|该|此|号|年|月|条|款|章|节|"
    "(?<=[〇零一二三四五六七八九十廿卅])日|"
    "了|是|于|向|给|把|被"
)
# Lead-in words glued in front of a number (按照财库〔2022〕3号, 再次重申中发〔2018〕1号, 废止京政发〔2012〕17号):
# verbs and connectives that cite, apply, amend or repeal a document. Stripped repeatedly (同时废止,
# 请遵照 …) as long as a code of at least two characters remains. None of them begins a real 代字.
_LEAD_INS = re.compile(
    "^(?:为贯彻落实|为深入贯彻|贯彻落实|为贯彻|为落实|深入贯彻|按照|根据|依据|依照|参照|遵照|遵循|对照|比照|"
    "停止执行|继续执行|不再执行|暂停执行|执行|实施|适用|沿用|贯彻|落实|已下发|下发|印发|转发|详见|参见|见|"
    "引用|援引|结合|以及|并且|同时|其中|包括|即|现将|已经|已|再次|重申|一并|予以|宣布|废止|废除|撤销|"
    "停止|修订|修改|修正|替代|代替|取代|请)+"
)
# Single-character conjunctions/prepositions (and 原, "former", and 经); stripped only when a usable code
# remains. 同 is left out on purpose: 同政发 (大同) codes exist. The price: a code that really starts with
# one of these (和政发, 原政发) loses its first character in running text unless an agency name precedes
# it. 经 is kept in front of the 经开/经信/经贸 codes of development zones and economy commissions.
_SINGLE_LEAD_INS = frozenset("和及与或并暨见按依据将对在为由以至原经")
_SINGLE_LEAD_IN_KEPT_BEFORE = {"经": frozenset("开信贸")}
# Agency names glued in front of a code (苏州市住房和城乡建设局苏住建规〔2011〕4号): cut after the last
# org marker that leaves a code of at least two characters. 局/厅/委/办公室/人民政府 … are strong markers.
# 市/省/县/区/州 are weak: 济市监字, 青市政办发 and 泉市人社发 are municipal codes (a one- or two-character
# place abbreviation + 市 + code), so a cut after a weak marker needs a full place name in front of it.
_ORG_MARKERS = re.compile(
    "人民政府|政府|办公厅|办公室|委员会|管委会|总局|中心|公司|集团|局|厅|署|院|委|会|部|市|省|县|区|州"
)
# 部 ends an org name only after these characters (财政部, 司法部 …); 工信部联企业 and 人社部发 are codes.
_MINISTRY_TAIL_BEFORE_BU = frozenset("政务法育业输源设安交防障利技术理化游康察委")
_PLACE_MARKERS = frozenset("市省县区州")
_MIN_PLACE_NAME_CHARS = 2
_MIN_CODE_CHARS = 2


# Prose glued to a number with no lead-in the lists above know (…资金信息公开济政办发〔2014〕14号): the 代字 is
# bounded by what real ones look like. Measured on the 83 standard numbers of the field notes (§1.4):
# 2-6 characters (3: 40, 4: 20, 2: 11, 5: 6, 6: 6), each starting with a place or body abbreviation. With
# two characters of margin for longer local codes (the bound field values already use), a longer run starts
# at the earliest such abbreviation that leaves at most MAX_RUNNING_CODE_CHARS.
MAX_RUNNING_CODE_CHARS = 8
_CODE_FIRST_CHARS = frozenset(
    "中云京内发呼国宁川工建新晋桂武江沪泸津浙深渝湘珠穗粤苏豫财辽鄂阳陕青韶鲁黑黔"  # measured (§1.4)
    "冀皖闽赣琼藏甘蒙吉贵滇"  # the other provincial abbreviations
    "济"  # Jinan (the platform notes)
)
# A multi-character lead-in inside a run (…公开按照济政办发): the code starts after it.
_INNER_LEAD_INS = re.compile(
    "为贯彻落实|为深入贯彻|贯彻落实|为贯彻|为落实|深入贯彻|按照|根据|依据|依照|参照|遵照|遵循|对照|比照|"
    "停止执行|继续执行|不再执行|暂停执行|执行|实施|适用|沿用|贯彻|落实|已下发|下发|印发|转发|详见|参见|"
    "引用|援引|结合|以及|并且|同时|其中|包括|现将|已经|再次|重申|一并|予以|宣布|废止|废除|撤销|"
    "停止|修订|修改|修正|替代|代替|取代"
)


def _bound_running_code(code: str) -> str:
    """A standard 代字 in running text without the prose glued in front of it."""
    cut = 0
    for lead_in in _INNER_LEAD_INS.finditer(code):
        if len(code) - lead_in.end() >= _MIN_CODE_CHARS:
            cut = lead_in.end()
    code = code[cut:]
    if len(code) <= MAX_RUNNING_CODE_CHARS:
        return code
    for start in range(len(code) - MAX_RUNNING_CODE_CHARS, len(code) - _MIN_CODE_CHARS + 1):
        if code[start] in _CODE_FIRST_CHARS:
            return code[start:]
    return code[-MAX_RUNNING_CODE_CHARS:]


_STRONG_ORG_MARKERS = re.compile(
    "人民政府|政府|办公厅|办公室|委员会|管委会|总局|中心|公司|集团|局|厅|署|院|委|会|部"
)


def _cut_agency_before_series(code: str, series: str) -> str:
    """Cut a local agency name glued in front of a 令/公告 issuer (济南市财政局山西省人民政府令 → 山西省人民政府令).

    The issuer of a series is itself a full agency name (国务院国资委、财政部令, 国家税务总局山东省税务局公告),
    so only a clear case is cut: the first strong org marker that ends a name containing a place marker,
    followed neither by 、 (joint issuers) nor by more of the same name (济南市人民政府办公厅), and leaving
    an issuer in front of the series word.
    """
    for marker in _STRONG_ORG_MARKERS.finditer(code):
        start, end = marker.span()
        if len(code) - end - len(series) < 1:
            break
        word = marker.group()
        if start == 0 or (word == "部" and code[start - 1] not in _MINISTRY_TAIL_BEFORE_BU):
            continue
        if not any(char in _PLACE_MARKERS for char in code[:start]):
            continue
        rest = code[end:]
        if rest.startswith("、") or _ORG_MARKERS.match(rest):
            continue
        return rest
    return code


def _names_a_place(before: str, after: str) -> bool:
    """Whether `before` (the text between the previous cut and a 市/省/县/区/州) reads as a place name.

    Lead-in words are not part of the name (依据济市监字: 济 is an abbreviation, not a city), nor is a
    single-character conjunction (和济市监字) — unless the code after the marker starts with that very
    character, the sign of a place followed by its own code (原平市原政发, 和平区和政发).
    """
    lead_in = _LEAD_INS.match(before)
    if lead_in and lead_in.end() < len(before):
        before = before[lead_in.end() :]
    if before and before[0] in _SINGLE_LEAD_INS and not after.startswith(before[0]):
        before = before[1:]
    return len(before) >= _MIN_PLACE_NAME_CHARS


def _cut_org_prefix(code: str) -> str:
    best = 0
    for marker in _ORG_MARKERS.finditer(code):
        start, end = marker.span()
        if len(code) - end < _MIN_CODE_CHARS:
            continue
        word = marker.group()
        if word == "部" and (start == 0 or code[start - 1] not in _MINISTRY_TAIL_BEFORE_BU):
            continue
        if word in _PLACE_MARKERS and not _names_a_place(code[best:start], code[end:]):
            continue
        if len(word) == 1 and start == 0:
            continue
        best = end
    return code[best:]


def _strips_single_lead_in(code: str, minimum: int) -> bool:
    if len(code) - 1 < minimum or code[0] not in _SINGLE_LEAD_INS:
        return False
    kept_before = _SINGLE_LEAD_IN_KEPT_BEFORE.get(code[0])
    return kept_before is None or code[1] not in kept_before


def _strip_lead_ins(code: str, minimum: int, *, single_characters: bool) -> str:
    while True:
        lead_in = _LEAD_INS.match(code)
        stripped = code[lead_in.end() :] if lead_in else code
        if len(stripped) < minimum:
            return code
        if single_characters and _strips_single_lead_in(stripped, minimum):
            stripped = stripped[1:]
        if stripped == code:
            return code
        code = stripped


def _trim_code(code: str, kind: DocNumberKind, *, in_running_text: bool) -> str:
    """Cut title tails, agency names and lead-in verbs off the head of an issuer code.

    In running text all heuristics apply. For a metadata field value (in_running_text False) only the
    safe ones do: title words, multi-character lead-ins, and agency names when the code is longer than
    any plausible 代字 (8 characters).
    """
    if _TITLE_MARKERS.search(code):
        last_title_end = 0
        for marker in _TITLE_MARKERS.finditer(code):
            last_title_end = marker.end()
        code = code[last_title_end:]
    after_agency_name = False
    if kind is DocNumberKind.standard and (in_running_text or len(code) > 8):
        trimmed = _cut_org_prefix(code)
        after_agency_name = trimmed != code
        code = trimmed
    elif kind is not DocNumberKind.standard and in_running_text:
        series = "令" if code.endswith("令") else "公告" if code.endswith("公告") else ""
        trimmed = _cut_agency_before_series(code, series)
        after_agency_name = trimmed != code
        code = trimmed
    minimum = _MIN_CODE_CHARS
    if in_running_text:
        # right after an agency name there is no room for a conjunction: 原平市原政发 keeps its 原
        code = _strip_lead_ins(code, minimum, single_characters=not after_agency_name)
        return _bound_running_code(code) if kind is DocNumberKind.standard else code
    lead_in = _LEAD_INS.match(code)
    if lead_in is None or len(code) - lead_in.end() < minimum:
        return code
    return code[lead_in.end() :]


# ---------------------------------------------------------------------------------------------------
# Building values


class _Parts(NamedTuple):
    issuer_code: str | None
    year: int | None
    serial: int
    kind: DocNumberKind

    def canonical(self) -> str:
        code = self.issuer_code or ""
        if self.kind is DocNumberKind.standard:
            return f"{_standard_prefix(code, self.year)}{self.serial}号"
        if self.year is not None:
            return f"{_year_series_prefix(code, self.year)}{self.serial}号"
        return f"{code}第{self.serial}号"


def _standard_prefix(issuer_code: str, year: int | None) -> str:
    return f"{issuer_code}〔{year}〕"


def _year_series_prefix(issuer_code: str, year: int) -> str:
    return f"{issuer_code}{year}年第"


def series_prefixes(issuer_code: str, year: int) -> tuple[str, ...]:
    """What every canonical number of one issuer code and year begins with, in each canonical form that has a
    year: the canonical number is the prefix, the serial and 号."""
    return (_standard_prefix(issuer_code, year), _year_series_prefix(issuer_code, year))


def _to_doc_number(text: str, parts: _Parts | None) -> DocNumber:
    if parts is None:
        return DocNumber(input=text)
    return DocNumber(
        input=text,
        canonical=parts.canonical(),
        issuer_code=parts.issuer_code,
        year=parts.year,
        serial=parts.serial,
        kind=parts.kind,
    )


# ---------------------------------------------------------------------------------------------------
# Field values (whole-string parse)

_CODE_CHARS = f"{_CJK}A-Za-z"
_LABEL = re.compile(
    r"^(?:[^:：]{0,4}(?:发文字号|文件字号|文件编号|发文编号|文号|字号|令号|编号)[:：]?|[A-Za-z_]{2,20}[:：=])"
)
_WRAP_START_CHARS = _OPEN.replace("\\", "") + "'\"“‘《「『"
_WRAP_END_CHARS = (_OPEN + _CLOSE).replace("\\", "") + "'\"”’》」』;；,，。.、:：!！?？"
_FIELD_STANDARD = re.compile(
    f"(?P<code>[{_CODE_CHARS}]{{1,40}})[{_OPEN}](?P<year>[0-9]{{4}}|[0-9]{{2}})年?[{_CLOSE}]"
    f"字?第?(?P<serial>[0-9]+)(?P<hao>号)?"
)
_HAS_CJK = re.compile(f"[{_CJK}]")
_FIELD_ORDER = re.compile(
    f"(?P<code>[{_CODE_CHARS}、]{{1,40}}令)(?:(?P<year>[0-9]{{4}})年)?(?P<di>第)?"
    f"(?P<serial>[0-9]+|{_CN_NUMERAL})号"
)
_FIELD_BARE_ORDER = re.compile("第(?P<serial>[0-9]+)号")
_FIELD_YEAR_SERIES = re.compile(
    f"(?P<code>[{_CODE_CHARS}、]{{1,40}}?)(?P<year>[0-9]{{4}})年(?P<di>第)?(?P<serial>[0-9]+|{_CN_NUMERAL})号"
)
_FIELD_ANNOUNCEMENT_NO_YEAR = re.compile(
    f"(?P<code>[{_CODE_CHARS}、]{{0,40}}公告)(?P<di>第)?(?P<serial>[0-9]+|{_CN_NUMERAL})号"
)


def _serial_from(match: re.Match[str]) -> int | None:
    raw_serial = match.group("serial")
    if not raw_serial.isdigit() and match.groupdict().get("di") is None:
        return None  # Chinese numerals only after 第
    return _read_serial(raw_serial)


def _parse_field(compact: str) -> _Parts | None:
    label = _LABEL.match(compact)
    value = compact[label.end() :] if label else compact
    value = value.lstrip(_WRAP_START_CHARS).rstrip(_WRAP_END_CHARS)
    if not value:
        return None

    match = _FIELD_STANDARD.fullmatch(value)
    if match:
        year = _read_year(match.group("year"))
        serial = _read_serial(match.group("serial"))
        code = _trim_code(match.group("code"), DocNumberKind.standard, in_running_text=False)
        if year is None or serial is None:
            return None
        if match.group("hao") is None and not _HAS_CJK.search(code):
            return None  # 国发〔2019〕5 is a number typed without 号; AB(2019)5 is not
        return _Parts(code, year, serial, DocNumberKind.standard)

    match = _FIELD_ORDER.fullmatch(value)
    if match:
        serial = _serial_from(match)
        raw_year = match.group("year")
        year = _read_year(raw_year) if raw_year else None
        if serial is None or (raw_year and year is None):
            return None
        code = _trim_code(match.group("code"), DocNumberKind.order, in_running_text=False)
        if code.endswith("命令"):
            return None  # 命令 is the word "order", not an issuer
        return _Parts(code, year, serial, DocNumberKind.order)

    match = _FIELD_BARE_ORDER.fullmatch(value)
    if match:
        serial = _read_serial(match.group("serial"))
        return _Parts(None, None, serial, DocNumberKind.order) if serial else None

    match = _FIELD_YEAR_SERIES.fullmatch(value)
    if match:
        serial = _serial_from(match)
        year = _read_year(match.group("year"))
        if serial is None or year is None:
            return None
        code = _trim_code(match.group("code"), DocNumberKind.announcement, in_running_text=False)
        return _Parts(code, year, serial, DocNumberKind.announcement)

    match = _FIELD_ANNOUNCEMENT_NO_YEAR.fullmatch(value)
    if match:
        serial = _serial_from(match)
        code = _trim_code(match.group("code"), DocNumberKind.announcement, in_running_text=False)
        return _Parts(code, None, serial, DocNumberKind.announcement) if serial else None
    return None


# ---------------------------------------------------------------------------------------------------
# Running text (extraction)

# Anchors: the part of a number after its issuer code. The code itself is read backwards from the
# anchor start, which keeps the scan linear: a pattern that began with `[CJK]+` would be retried at
# every character of every sentence. The pattern opens with one character class (then tells the
# branches apart by look-behind) so that the regex engine can skip ahead with a fast prefix scan.
_YEAR_DIGITS = f"[{_DIGIT}](?:{_GAP}[{_DIGIT}]){{3}}"
_SERIAL_DIGITS = f"[{_DIGIT}](?:{_GAP}[{_DIGIT}]){{0,9}}"  # zero padding allowed; _read_serial bounds it
_SERIAL_CHINESE = f"[{_CN_DIGITS}十百千](?:{_GAP}[{_CN_DIGITS}十百千]){{0,11}}"
_ANCHOR = re.compile(
    f"[{_OPEN}令公{_DIGIT}](?:"
    # 〔YYYY〕N号, with 字/第 misuse; 号 may be missing at the end of a line (OCR drops it from a scan's header)
    # (each optional word carries its own trailing gap: adjacent `gap*` runs would backtrack cubically)
    f"(?<=[{_OPEN}]){_GAP}(?P<year>{_YEAR_DIGITS}){_GAP}(?:年{_GAP})?[{_CLOSE}]{_GAP}"
    f"(?:字{_GAP})?(?:第{_GAP})?(?P<serial>{_SERIAL_DIGITS})(?:{_GAP}[{_HAO}]|[ \t\u3000]*(?=\r?\n|$))"
    # 令第N号, 令YYYY年第N号, 公告YYYY年第N号, 令175号
    f"|(?:(?<=令)|(?<=公){_GAP}告)(?P<series_end>){_GAP}(?:(?P<syear>{_YEAR_DIGITS}){_GAP}年{_GAP})?"
    f"(?:(?P<di>第){_GAP}(?P<cserial>{_SERIAL_CHINESE}){_GAP}[{_HAO}]|"
    f"(?:第{_GAP})?(?P<dserial>{_SERIAL_DIGITS}){_GAP}[{_HAO}])"
    # YYYY年第N号 right after an agency name (昆明市人民政府2015年第88号); the first digit is the
    # class character above
    f"|(?<=[{_DIGIT}])(?P<byear_rest>(?:{_GAP}[{_DIGIT}]){{3}}){_GAP}年{_GAP}第{_GAP}"
    f"(?P<bserial>{_SERIAL_DIGITS}|{_SERIAL_CHINESE}){_GAP}[{_HAO}]"
    ")"
)
_DIGIT_CHAR = re.compile(f"[{_DIGIT}]")
_DATE_DAY_BEFORE = re.compile(f"[{_DIGIT}〇零一二三四五六七八九十廿卅]")

# OCR confusions in a scanned number (济政办发〔2O14〕l4号, 济政发〔[2026]2号): letters read for the digits
# of a bracketed year or of a serial before 号, and a bracket read twice. Repaired in place, one character
# for one (a doubled bracket becomes a zero-width space, which the patterns skip as a gap), so offsets
# into the repaired text are offsets into the original.
_OCR_DIGITS = "OoQDIl|〇"
_OCR_AS_DIGIT = str.maketrans("OoQDIl|〇", "00001110")
_OCR_SUSPECT = re.compile(f"[{_OCR_DIGITS}]|[{_OPEN}]{_GAP}[{_OPEN}]|[{_CLOSE}]{_GAP}[{_CLOSE}]")
_OCR_DOUBLE_BRACKET = re.compile(f"(?<=[{_OPEN}])({_GAP})[{_OPEN}]|(?<=[{_CLOSE}])({_GAP})[{_CLOSE}]")
_OCR_YEAR = re.compile(f"(?<=[{_OPEN}])({_GAP})([{_DIGIT}{_OCR_DIGITS}]{{4}})(?={_GAP}[{_CLOSE}])")
_OCR_SERIAL = re.compile(
    f"(?<=[{_CLOSE}])({_GAP}(?:第{_GAP})?)([{_DIGIT}{_OCR_DIGITS}]{{1,6}})(?={_GAP}[{_HAO}])"
)


def _as_digits(match: re.Match[str]) -> str:
    run = match.group(2)
    digits = sum(char.isdigit() for char in run)
    if digits == len(run) or (digits == 0 and not (len(run) == 1 and run in "Il|")):
        return match.group(0)  # nothing to repair, or no digit at all to vouch for a number
    return match.group(1) + run.translate(_OCR_AS_DIGIT)


def _repair_ocr(text: str) -> str:
    """`text` with OCR confusions in document numbers repaired; the same length as `text`."""
    if not _OCR_SUSPECT.search(text):
        return text
    text = _OCR_DOUBLE_BRACKET.sub(lambda m: (m.group(1) or m.group(2) or "") + "\u200b", text)
    text = _OCR_YEAR.sub(_as_digits, text)
    return _OCR_SERIAL.sub(_as_digits, text)


_CODE_WINDOW = 40
_REVERSED_CODE_RUN = re.compile(f"(?P<gap>{_GAP})(?P<run>[{_CJK}]*)(?P<gappy>(?:{_GAP}[{_CJK}])*)")
_GAP_CHAR = re.compile(f"[\\s{_INVISIBLE}]")


def _code_before(text: str, end: int, floor: int) -> tuple[str, list[int]]:
    """The CJK run (gaps allowed) ending right before `end`, and the offset of each of its characters."""
    window_start = max(floor, end - _CODE_WINDOW)
    reversed_window = text[window_start:end][::-1]
    match = _REVERSED_CODE_RUN.match(reversed_window)
    assert match is not None  # every part of the pattern may be empty
    run_end = end - len(match["gap"])
    if not match["gappy"]:  # the common case: no gap inside the run
        run = match["run"][::-1]
        return run, list(range(run_end - len(run), run_end))
    chars: list[str] = []
    offsets: list[int] = []
    for index in range(match.end() - 1, match.start("run") - 1, -1):
        char = reversed_window[index]
        if not _GAP_CHAR.match(char):
            chars.append(char)
            offsets.append(end - 1 - index)
    return "".join(chars), offsets


_ORG_NAME_ENDINGS = frozenset("府厅局委会部院室署办")
_MAX_JOINT_ISSUERS = 4


def _joint_issuers_before(text: str, end: int, floor: int) -> tuple[str, list[int]]:
    """The issuer run before a 令/公告 series name, extended across 、 to joint issuers.

    国务院国资委、财政部令第3号 names two agencies; an earlier segment joins only when it ends like an
    organisation name, so a list of citations (国发〔2019〕5号、财政部令第3号) is not merged.
    """
    run, offsets = _code_before(text, end, floor)
    for _ in range(_MAX_JOINT_ISSUERS - 1):
        if not offsets:
            break
        separator = offsets[0] - 1
        while separator > floor and _GAP_CHAR.match(text[separator]):
            separator -= 1
        if separator < floor or text[separator] != "、":
            break
        previous, previous_offsets = _code_before(text, separator, floor)
        if not previous or previous[-1] not in _ORG_NAME_ENDINGS:
            break
        run = f"{previous}、{run}"
        offsets = [*previous_offsets, separator, *offsets]
    return run, offsets


def _iter_citations(text: str) -> Iterator[tuple[int, int, _Parts]]:
    floor = 0
    for match in _ANCHOR.finditer(text):
        anchor_start = match.start()
        first = text[anchor_start]
        series: str | None = None
        if match.group("byear_rest") is not None:
            if anchor_start > 0 and _DIGIT_CHAR.match(text[anchor_start - 1]):
                continue  # the year is the tail of a longer number
            year = _read_year(first + match.group("byear_rest"))
            serial = _read_serial(match.group("bserial"))
            kind = DocNumberKind.announcement
            run, offsets = _code_before(text, anchor_start, floor)
            if year is None or not run or run[-1] not in _ORG_NAME_ENDINGS:
                continue
        elif match.group("series_end") is None:
            kind = DocNumberKind.standard
            year = _read_year(match.group("year"))
            serial = _read_serial(match.group("serial"))
            run, offsets = _code_before(text, anchor_start, floor)
        else:
            raw_year = match.group("syear")
            year = _read_year(raw_year) if raw_year else None
            if raw_year and year is None:
                continue
            serial = _read_serial(match.group("cserial") or match.group("dserial"))
            series = "令" if first == "令" else "公告"
            kind = DocNumberKind.order if first == "令" else DocNumberKind.announcement
            run, offsets = _joint_issuers_before(text, anchor_start, floor)
            run += series
            offsets.append(anchor_start)
            if first == "公":
                offsets.append(match.end("series_end") - 1)
        if serial is None or (kind is DocNumberKind.standard and year is None):
            continue
        if not run:
            continue
        if run[0] == "日" and offsets[0] > 0 and _DATE_DAY_BEFORE.match(text[offsets[0] - 1]):
            run, offsets = run[1:], offsets[1:]  # the end of a date (…3月5日, 十五日), not 日照's 日
        code = _trim_code(run, kind, in_running_text=True)
        if len(code) < _MIN_CODE_CHARS:
            continue
        if kind is not DocNumberKind.standard and (len(code) <= len(series or "") or code.endswith("命令")):
            continue  # 令第3号 / 命令第3号: no issuer in front, a numbered clause rather than a citation
        start = offsets[len(offsets) - len(code)]
        floor = match.end()
        yield start, match.end(), _Parts(code, year, serial, kind)


# ---------------------------------------------------------------------------------------------------
# Public API


def parse_doc_number(text: str) -> DocNumber:
    """Parse one document number as printed in a metadata field (or a title / script line holding one).

    Never raises; text that is not a document number gives a DocNumber whose `canonical` is None.
    """
    if not isinstance(text, str):
        return DocNumber(input=str(text) if text is not None else "")
    return _to_doc_number(text, _parse_parts(text))


def _parse_parts(text: str) -> _Parts | None:
    try:
        text = _repair_ocr(text)
        parts = _parse_field(_compact(text))
        if parts is None:
            parts = next((found for _, _, found in _iter_citations(text)), None)
    except (ValueError, IndexError, OverflowError):  # defensive: the contract is "never raises"
        parts = None
    return parts


def normalize_doc_number(text: str) -> str | None:
    """The canonical form of a document number, or None when `text` is not one."""
    if not isinstance(text, str):
        return None
    parts = _parse_parts(text)
    return parts.canonical() if parts else None


def looks_like_doc_number(text: str) -> bool:
    """True when the whole stripped query is a document number with an issuer, in any spelling."""
    if not isinstance(text, str) or not text.strip():
        return False
    parts = _parse_field(_compact(text))
    return parts is not None and bool(parts.issuer_code)


def extract_doc_numbers(text: str, *, exclude: str | None = None) -> list[CitedNumber]:
    """Every document number cited in `text`, in order of appearance, one entry per occurrence.

    `exclude` (any spelling) names the document's own number, which is left out.
    """
    if not isinstance(text, str) or not text:
        return []
    excluded = normalize_doc_number(exclude) if exclude else None
    cited: list[CitedNumber] = []
    for start, end, parts in _iter_citations(_repair_ocr(text)):
        canonical = parts.canonical()
        if canonical != excluded:
            # values are built here and already valid: skip re-validation on this hot path
            cited.append(CitedNumber.model_construct(canonical=canonical, raw=text[start:end], start=start))
    return cited
