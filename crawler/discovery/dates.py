"""Dates as list pages print them: 2026-11-20, 2026/11/20, 2026.11.20, 2026年11月20日, [2026-11-20], and the
month-day of short lists ((11-20), 11-20, 11月20日), whose year is the latest one that does not put the date
in the future."""

from __future__ import annotations

import re
from datetime import date, timedelta

_FULL = re.compile(r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
# "/" is left out on purpose: "1/5" is far more often a page counter than a date
_MONTH_DAY = re.compile(r"(?<![\d\-/.年:])(\d{1,2})\s*(?:-|月)\s*(\d{1,2})(?:\s*日)?(?![\d\-/.:])")
_FUTURE_SLACK = timedelta(days=2)  # a server a time zone ahead may already print tomorrow


def full_date(text: str) -> date | None:
    """The first complete year-month-day date in the text."""
    for match in _FULL.finditer(text):
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
    return None


def month_day(text: str, today: date) -> date | None:
    """The first month-day in the text, dated in the latest year that keeps it from being in the future."""
    for match in _MONTH_DAY.finditer(text):
        month, day = int(match.group(1)), int(match.group(2))
        for year in (today.year, today.year - 1):
            try:
                found = date(year, month, day)
            except ValueError:
                continue
            if found <= today + _FUTURE_SLACK:
                return found
    return None


def find_date(text: str, today: date, *, month_day_allowed: bool = True) -> date | None:
    """A complete date when the text has one, else (when allowed) a month-day."""
    found = full_date(text)
    if found is None and month_day_allowed:
        found = month_day(text, today)
    return found
