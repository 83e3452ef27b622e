from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kaifang.reading import Table
from tests.reading.conftest import rows_of, types_of


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1040101", "1120209"], [dt.date(2015, 1, 1), dt.date(2023, 2, 9)]),
        (["0310316", "0481231"], [dt.date(1942, 3, 16), dt.date(1959, 12, 31)]),
        (["105/05/14", "99/1/2"], [dt.date(2016, 5, 14), dt.date(2010, 1, 2)]),
        (["105.5.14", "104.09.04"], [dt.date(2016, 5, 14), dt.date(2015, 9, 4)]),
        (["105年5月14日", "88年12月1日"], [dt.date(2016, 5, 14), dt.date(1999, 12, 1)]),
        (["民國105年5月14日", "民國1年1月1日"], [dt.date(2016, 5, 14), dt.date(1912, 1, 1)]),
        (["2016-06-06", "2024-3-5"], [dt.date(2016, 6, 6), dt.date(2024, 3, 5)]),
    ],
)
def test_dates_become_iso_dates(
    read: Callable[..., Table], values: list[str], expected: list[dt.date]
) -> None:
    table = read("id,day\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values)))
    assert types_of(table)["day"] == "date"
    assert [r[1] for r in rows_of(table)] == expected
    assert table.report(preview=1)["preview"][0][1] == expected[0].isoformat()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            ["2016/6/6 07:25", "2016/06/06 7:30"],
            [dt.datetime(2016, 6, 6, 7, 25), dt.datetime(2016, 6, 6, 7, 30)],
        ),
        (
            ["2024-03-25 00:00", "2024-03-25 00:05:09"],
            [dt.datetime(2024, 3, 25), dt.datetime(2024, 3, 25, 0, 5, 9)],
        ),
        (
            ["2024-03-25T01:02:03", "2024/3/5 23:59:59"],
            [dt.datetime(2024, 3, 25, 1, 2, 3), dt.datetime(2024, 3, 5, 23, 59, 59)],
        ),
    ],
)
def test_gregorian_datetimes(
    read: Callable[..., Table], values: list[str], expected: list[dt.datetime]
) -> None:
    table = read("id,at\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values)))
    assert types_of(table)["at"] == "datetime"
    assert [r[1] for r in rows_of(table)] == expected


def test_times(read: Callable[..., Table]) -> None:
    table = read("id,t\n1,07:25\n2,23:59:30\n")
    assert types_of(table)["t"] == "time"
    assert [r[1] for r in rows_of(table)] == [dt.time(7, 25), dt.time(23, 59, 30)]


def test_seven_digit_ids_are_not_dates(read: Callable[..., Table]) -> None:
    ids = [1234567 + i * 7919 for i in range(300)]
    table = read("id\n" + "".join(f"{i}\n" for i in ids))
    assert types_of(table)["id"] == "integer"


def test_a_column_of_mostly_impossible_roc_dates_is_not_dates(read: Callable[..., Table]) -> None:
    values = ["1040101", "1041332", "1040230", "1049999"]
    table = read("id,x\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values)))
    assert types_of(table)["x"] == "integer"


def test_roc_dates_note(read: Callable[..., Table]) -> None:
    table = read("day\n1040101\n")
    assert any("ROC" in n for n in table.fields[0].notes)
