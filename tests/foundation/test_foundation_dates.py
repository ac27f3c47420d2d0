"""parse_date: every date shape of field-notes §2.1, in Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from indexer.dates import parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2014年12月19日", date(2014, 12, 19)),
        ("2018年12月21日", date(2018, 12, 21)),
        ("2020 年 03 月 16 日", date(2020, 3, 16)),
        ("2020\u3000年\u00a03月\u200b16日", date(2020, 3, 16)),
        ("２０２０年３月１６日", date(2020, 3, 16)),
        ("2019-04-11", date(2019, 4, 11)),
        ("2019/4/11", date(2019, 4, 11)),
        ("2019.04.11", date(2019, 4, 11)),
        ("20190411", date(2019, 4, 11)),
        ("2019-02-12 16:43", date(2019, 2, 12)),
        ("2019-02-12 16:43:59", date(2019, 2, 12)),
        ("2019-02-12T23:30:00", date(2019, 2, 12)),  # no offset: already Shanghai time
        ("2020-12-21T00:00:00.000+0800", date(2020, 12, 21)),
        ("2020-12-21T00:00:00+08:00", date(2020, 12, 21)),
        ("2020-12-20T16:30:00Z", date(2020, 12, 21)),  # UTC afternoon is the next day in Shanghai
        ("2020-12-20T23:30:00-05:00", date(2020, 12, 21)),
        ("二〇〇九年九月十日", date(2009, 9, 10)),
        ("二ＯＯ六年三月十四日", date(2006, 3, 14)),
        ("二〇二〇年十二月二十一日", date(2020, 12, 21)),
        ("二零一九年十一月三十日", date(2019, 11, 30)),
        ("发布日期：2018年12月21日", date(2018, 12, 21)),
        ("  2019-04-11  ", date(2019, 4, 11)),
        ("2019年4月11日 星期四", date(2019, 4, 11)),
        ("Thu, 11 Apr 2019 16:30:00 GMT", date(2019, 4, 12)),  # Last-Modified header, in Shanghai
        ("11 Apr 2019 08:00:00 +0800", date(2019, 4, 11)),
    ],
)
def test_text_shapes(value: str, expected: date) -> None:
    assert parse_date(value) == expected


# 2020-12-20T16:00:00Z == 2020-12-21 00:00 in Shanghai; one second earlier is still the 20th there
EPOCH_SECONDS = 1608480000


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (EPOCH_SECONDS, date(2020, 12, 21)),
        (EPOCH_SECONDS - 1, date(2020, 12, 20)),
        (EPOCH_SECONDS * 1000, date(2020, 12, 21)),
        (EPOCH_SECONDS * 1000 - 1, date(2020, 12, 20)),
        (str(EPOCH_SECONDS), date(2020, 12, 21)),
        (str(EPOCH_SECONDS * 1000), date(2020, 12, 21)),
        (float(EPOCH_SECONDS), date(2020, 12, 21)),
        (EPOCH_SECONDS * 1000 + 0.5, date(2020, 12, 21)),
        (20190411, date(2019, 4, 11)),
    ],
)
def test_epochs_and_numbers(value: int | float | str, expected: date) -> None:
    assert parse_date(value) == expected


def test_epoch_agrees_with_zoneinfo() -> None:
    moment = datetime(2023, 6, 30, 20, 0, tzinfo=UTC)  # 04:00 on 1 July in Shanghai
    assert parse_date(int(moment.timestamp())) == date(2023, 7, 1)
    assert parse_date(int(moment.timestamp() * 1000)) == date(2023, 7, 1)


@pytest.mark.parametrize(
    ("value", "default_year", "expected"),
    [
        ("(01-25)", 2020, date(2020, 1, 25)),
        ("（01-25）", 2021, date(2021, 1, 25)),
        ("01-25", 2020, date(2020, 1, 25)),
        ("1月25日", 2019, date(2019, 1, 25)),
        ("(02-30)", 2020, None),
        ("(01-25)", None, None),
        ("2019-04-11", 2020, date(2019, 4, 11)),  # a full date ignores the default year
    ],
)
def test_month_day_with_default_year(value: str, default_year: int | None, expected: date | None) -> None:
    assert parse_date(value, default_year=default_year) == expected


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "无",
        "2020-13-45",
        "2019-02-30",
        "2020年",
        "2020年3月",
        "二〇二〇年十三月一日",
        "二〇二〇年二月三十日",
        "0000-00-00",
        "abc",
        "000014349/2018-00222",
        "2020-12-21T25:00:00",
        "12345",
        "Thu, 31 Feb 2019 16:30:00 GMT",
        -1,
        0,
        True,
        float("nan"),
        float("inf"),
        10**30,
    ],
)
def test_unknown_or_invalid(value: object) -> None:
    assert parse_date(value) is None  # type: ignore[arg-type]


def test_date_and_datetime_objects_pass_through() -> None:
    assert parse_date(date(2020, 1, 2)) == date(2020, 1, 2)  # type: ignore[arg-type]
    aware = datetime(2020, 1, 1, 20, 0, tzinfo=UTC)
    assert parse_date(aware) == date(2020, 1, 2)  # type: ignore[arg-type]
