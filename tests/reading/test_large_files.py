"""Files longer than the inference sample (kaifang.reading.plan.SAMPLE_ROWS rows): the
first rows propose types, all rows are checked, columns that break the proposal are
analysed again in full."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kaifang.reading import Table
from kaifang.reading.plan import SAMPLE_ROWS
from tests.reading.conftest import rows_of, types_of

N = SAMPLE_ROWS * 3


def column_file(values: list[str], *, pad: int = 0) -> str:
    """``pad`` adds a text column of that width (files over the 512 KB sniffing sample are
    proposed types from the sniffed rows; smaller ones by DuckDB's first rows)."""
    filler = "," + "x" * pad if pad else ""
    header = "id,v,pad\n" if pad else "id,v\n"
    return header + "".join(f"{i},{v}{filler}\n" for i, v in enumerate(values))


def late(values: list[str], row: int, value: str) -> list[str]:
    values[row - 1] = value
    return values


@pytest.mark.parametrize(
    ("values", "expected_type", "problem_rows"),
    [
        (late([str(i) for i in range(N)], N - 5, "K"), "integer", [N - 5]),
        (late([str(i) for i in range(N)], N - 5, "0123"), "string", []),
        (late([f"{i}.5" for i in range(N)], N - 1, "x"), "number", [N - 1]),
        (late([str(i) for i in range(N)], N - 1, "１２"), "integer", []),
        (["1040101"] * N, "date", []),
        (late(["1040101"] * N, N, "104/01/02"), "date", []),
        (["2024-03-25 00:05"] * N, "datetime", []),
        (["2016-06-06"] * N, "date", []),
        (late([str(i) for i in range(N)], N, "a") + ["b"] * (N // 50), "string", []),
    ],
    ids=[
        "stray-K",
        "late-leading-zero",
        "stray-number",
        "late-full-width",
        "roc-compact",
        "late-roc-slash",
        "datetime",
        "iso-date",
        "too-many-bad",
    ],
)
@pytest.mark.parametrize("pad", [0, 40], ids=["small", "over-sample"])
def test_whole_column_is_checked(
    read: Callable[..., Table],
    values: list[str],
    expected_type: str,
    problem_rows: list[int],
    pad: int,
) -> None:
    table = read(column_file(values, pad=pad))
    assert table.rows == len(values)
    assert types_of(table)["v"] == expected_type
    assert [p.row for p in table.problems] == problem_rows


def test_late_values_are_normalized(read: Callable[..., Table]) -> None:
    values = late(late([str(i) for i in range(N)], N - 1, "１２"), N, "'7")
    table = read(column_file(values))
    assert rows_of(table)[-2:] == [(N - 2, 12), (N - 1, 7)]


def test_late_trailing_whitespace_in_text(read: Callable[..., Table]) -> None:
    table = read(column_file(late(["甲"] * N, N, "乙\u3000")))
    assert rows_of(table)[-1] == (N - 1, "乙")
    assert any("trailing whitespace" in n for n in table.fields[1].notes)


def test_late_roc_slash_dates_are_parsed(read: Callable[..., Table]) -> None:
    table = read(column_file(late(["1040101"] * N, N, "104/01/02")))
    assert rows_of(table)[-1] == (N - 1, dt.date(2015, 1, 2))


def test_problem_rows_stay_in_file_order_over_big_files(read: Callable[..., Table]) -> None:
    rows = SAMPLE_ROWS * 40  # several DuckDB read buffers
    values = [str(i) for i in range(rows)]
    for row in (SAMPLE_ROWS * 5, SAMPLE_ROWS * 20, rows - 1):
        values[row - 1] = "bad"
    table = read(column_file(values))
    assert [p.row for p in table.problems] == [SAMPLE_ROWS * 5, SAMPLE_ROWS * 20, rows - 1]
    assert rows_of(table)[SAMPLE_ROWS * 20 - 1] == (SAMPLE_ROWS * 20 - 1, None)


def test_clean_typed_columns_read_natively_give_the_same_values(
    read: Callable[..., Table],
) -> None:
    line = "2016/6/6 07:25,2016/6/6,12,1.5,true,07:25,甲\n"
    data = "at,day,n,x,flag,t,name\n" + line * N + ",,,,,,\n" + line.replace("12", "-3")
    table = read(data)
    assert types_of(table) == {
        "at": "datetime",
        "day": "date",
        "n": "integer",
        "x": "number",
        "flag": "boolean",
        "t": "time",
        "name": "string",
    }
    rows = rows_of(table)
    assert rows[0] == (
        dt.datetime(2016, 6, 6, 7, 25),
        dt.date(2016, 6, 6),
        12,
        1.5,
        True,
        dt.time(7, 25),
        "甲",
    )
    assert rows[N] == (None,) * 7
    assert rows[N + 1][2] == -3
    assert table.problems == []
