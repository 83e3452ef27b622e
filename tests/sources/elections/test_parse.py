from __future__ import annotations

import duckdb
import pytest

from kaifang.sources.elections.parse import cec_code_sql, cec_is_zero_sql, cec_level_sql
from tests.sources.sql import evaluate


@pytest.mark.parametrize(
    ("raw", "code", "zero"),
    [
        ("63", "63", False),
        ("'01", "01", False),
        ('"\'0000"', "0000", True),
        ("0", "0", True),
        ("000", "000", True),
        ("0A01", "0A01", False),
        ("A001", "A001", False),
        (" 010 ", "010", False),
    ],
)
def test_codes_keep_leading_zeros(raw: str, code: str, zero: bool) -> None:
    assert evaluate(cec_code_sql, [raw]) == [code]
    assert evaluate(cec_is_zero_sql, [raw]) == [zero]


ROWS = [
    # province, county, 選區, township, village, station, legislative?, level
    ("00", "000", "00", "000", "0000", "0000", False, "national"),
    ("00", "000", "01", "000", "0000", "0000", False, "national"),
    ("63", "000", "01", "000", "0000", "0000", False, "county"),
    ("09", "007", "00", "000", "0000", "0000", False, "county"),
    ("09", "007", "00", "010", "0000", "0000", False, "district"),
    ("09", "007", "00", "010", "0001", "0000", False, "village"),
    ("09", "007", "00", "010", "0A01", "0000", False, "village"),
    ("09", "007", "00", "010", "0001", "0001", False, "station"),
    ("'01", "'000", "'01", "'001", "'0001", "1", False, "station"),
    ("'01", "'000", "'01", "'001", "'0001", "0", False, "village"),
    ("'01", "'000", "'01", "'000", "'0000", "0", True, "constituency"),
    ("'01", "'000", "'00", "'000", "'0000", "0", True, "county"),
    ("63", "000", "03", "110", "0000", "0000", True, "district"),
]


@pytest.mark.parametrize(("p", "c", "e", "t", "v", "s", "legislative", "level"), ROWS)
def test_level_from_zero_codes(
    p: str, c: str, e: str, t: str, v: str, s: str, legislative: bool, level: str
) -> None:
    sql = cec_level_sql("p", "c", "e", "t", "v", "s", constituency_level=legislative)
    row = (
        duckdb.connect()
        .execute(f"SELECT {sql} FROM (SELECT ? p, ? c, ? e, ? t, ? v, ? s)", [p, c, e, t, v, s])
        .fetchall()
    )
    assert row == [(level,)]


def test_level_without_station_column_for_elbase() -> None:
    sql = cec_level_sql("p", "c", "e", "t", "v")
    rows = (
        duckdb.connect()
        .execute(
            f"SELECT {sql} FROM (VALUES ('00','000','00','000','0000'), "
            "('63','000','00','010','0002')) x(p, c, e, t, v)"
        )
        .fetchall()
    )
    assert rows == [("national",), ("village",)]
