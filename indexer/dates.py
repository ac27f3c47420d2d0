"""Dates as printed on disclosure pages and in their JSON feeds, read as calendar dates in Asia/Shanghai.

Accepted shapes: ``2014年12月19日``, ``2020 年 03 月 16 日``, ``2019-04-11``, ``2019/4/11``,
``2019.04.11``, ``20190411``, ISO date-times with or without an offset (``2019-02-12 16:43``,
``2020-12-21T00:00:00.000+0800``, ``…Z``), epoch milliseconds or seconds as numbers or digit strings,
a month and day only (``(01-25)``, ``1月25日``) when a `default_year` is given, Chinese numerals
(``二〇〇九年九月十日``, ``二ＯＯ六年三月十四日``), and HTTP/RFC 2822 dates
(``Thu, 11 Apr 2019 16:30:00 GMT``, as in Last-Modified headers). Date-times with an offset are converted to
Asia/Shanghai; date-times without one are taken to be Shanghai local time already.

An 8-digit integer or digit string that is a valid YYYYMMDD date is read as one (20190411), never as
epoch seconds (which would land in 1970).
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

__all__ = ["SHANGHAI", "parse_date"]

SHANGHAI = ZoneInfo("Asia/Shanghai")

_MIN_YEAR = 1900
_MAX_YEAR = 2100
_EPOCH_MS_THRESHOLD = 100_000_000_000  # larger magnitudes are milliseconds (year 5138 in seconds)

_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")
_ISO_DATETIME = re.compile(
    r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})"
    r"(?::(?P<S>\d{2})(?:[.,]\d+)?)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?(?!\d)"
)
_YMD = re.compile(
    r"(?<!\d)(?P<y>\d{4})\s*(?P<sep>[-/.年])\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*日?"
)
_COMPACT = re.compile(r"(?<!\d)(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?!\d)")
_MONTH_DAY = re.compile(r"(?<![\d\-/.])(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?![\d\-/.])\s*日?")
_RFC_2822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")
_CN_DIGIT = "〇零一二三四五六七八九OoΟο○"
_CN_DATE = re.compile(
    f"(?P<y>[{_CN_DIGIT}]{{4}})\\s*年\\s*(?P<m>[一二三四五六七八九十]{{1,3}})\\s*月"
    f"\\s*(?P<d>[一二三四五六七八九十]{{1,4}})\\s*日"
)
_CN_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {
    "零": 0,
    "O": 0,
    "o": 0,
    "Ο": 0,
    "ο": 0,
    "○": 0,
}


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _from_epoch(value: float) -> date | None:
    if not math.isfinite(value) or value <= 0:
        return None
    seconds = value / 1000 if abs(value) >= _EPOCH_MS_THRESHOLD else value
    try:
        result = datetime.fromtimestamp(seconds, SHANGHAI).date()
    except (OverflowError, OSError, ValueError):
        return None
    return result if _MIN_YEAR <= result.year <= _MAX_YEAR else None


def _from_digits(digits: str) -> date | None:
    if len(digits) == 8:
        return _safe_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    if len(digits) in (9, 10, 12, 13):
        return _from_epoch(int(digits))
    return None


def _small_cn_number(text: str) -> int | None:
    """一 … 三十一: the numerals used for months and days."""
    if "十" not in text:
        return _CN_VALUE.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    tens_value = 1 if tens == "" else _CN_VALUE.get(tens)
    ones_value = 0 if ones == "" else _CN_VALUE.get(ones)
    if tens_value is None or ones_value is None or len(tens) > 1 or len(ones) > 1:
        return None
    return tens_value * 10 + ones_value


def _from_iso(match: re.Match[str]) -> date | None:
    try:
        moment = datetime(
            int(match["y"]),
            int(match["m"]),
            int(match["d"]),
            int(match["H"]),
            int(match["M"]),
            int(match["S"] or 0),
        )
    except ValueError:
        return None
    offset = match["tz"]
    if offset is None:
        return _safe_date(moment.year, moment.month, moment.day)
    if offset == "Z":
        zone = UTC
    else:
        sign = -1 if offset[0] == "-" else 1
        hours, minutes = int(offset[1:3]), int(offset[-2:])
        if hours > 23 or minutes > 59:
            return None
        zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
    local = moment.replace(tzinfo=zone).astimezone(SHANGHAI)
    return _safe_date(local.year, local.month, local.day)


def _from_rfc_2822(text: str) -> date | None:
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(SHANGHAI)
    return _safe_date(moment.year, moment.month, moment.day)


def _from_text(text: str, default_year: int | None) -> date | None:
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).strip()
    if not text:
        return None
    if text.isdigit():
        return _from_digits(text)
    if _RFC_2822.match(text):
        return _from_rfc_2822(text)
    match = _ISO_DATETIME.search(text)
    if match:
        return _from_iso(match)
    match = _YMD.search(text)
    if match:
        return _safe_date(int(match["y"]), int(match["m"]), int(match["d"]))
    match = _CN_DATE.search(text)
    if match:
        year_digits = [_CN_VALUE[c] for c in match["y"]]
        year = int("".join(map(str, year_digits)))
        month, day = _small_cn_number(match["m"]), _small_cn_number(match["d"])
        if month is None or day is None:
            return None
        return _safe_date(year, month, day)
    match = _COMPACT.search(text)
    if match:
        return _safe_date(int(match["y"]), int(match["m"]), int(match["d"]))
    if default_year is not None:
        match = _MONTH_DAY.search(text)
        if match:
            return _safe_date(default_year, int(match["m"]), int(match["d"]))
    return None


def parse_date(value: str | int | float | None, *, default_year: int | None = None) -> date | None:
    """A calendar date (Asia/Shanghai) from any shape listed in the module docstring; None otherwise.

    `default_year` completes month-day-only values such as ``(01-25)``. Never raises.
    """
    try:
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, datetime):
            moment = value.astimezone(SHANGHAI) if value.tzinfo else value
            return moment.date()
        if isinstance(value, date):
            return value
        if isinstance(value, int):
            return _from_digits(str(value)) if 0 < value < 10**14 else None
        if isinstance(value, float):
            if not math.isfinite(value) or value <= 0:
                return None
            if value.is_integer() and len(str(int(value))) == 8:
                return _from_digits(str(int(value)))
            return _from_epoch(value)
        if isinstance(value, str):
            return _from_text(value, default_year)
    except (ValueError, OverflowError, TypeError):
        return None
    return None
