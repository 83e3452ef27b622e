from __future__ import annotations

from datetime import datetime

import pytest

from kaifang.sources.freeway.parse import (
    gantry_code_sql,
    gantry_id_sql,
    tdcs_timestamp_sql,
    trip_information_sql,
)
from tests.sources.sql import evaluate


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01F-000.5S", "01F0005S"),
        ("01F-356.1S", "01F3561S"),
        ("03A-001.5N", "03A0015N"),
        (" 01h-017.4n ", "01H0174N"),
        ("01F0005S", "01F0005S"),
        ("05FR143N", "05FR143N"),
        (None, None),
    ],
)
def test_gantry_id_from_either_spelling(raw: str | None, expected: str | None) -> None:
    assert evaluate(gantry_id_sql, [raw]) == [expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01F0005S", "01F-000.5S"),
        ("01F3561N", "01F-356.1N"),
        ("03A0015N", "03A-001.5N"),
        ("01F-000.5S", "01F-000.5S"),
        ("05FR143N", "05FR143N"),
    ],
)
def test_gantry_code_spelling(raw: str, expected: str) -> None:
    assert evaluate(gantry_code_sql, [raw]) == [expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-25 00:00", datetime(2024, 3, 25, 0, 0)),
        ("2024/04/16 00:05", datetime(2024, 4, 16, 0, 5)),
        ("2016/6/6 07:25", datetime(2016, 6, 6, 7, 25)),
        ("2013-11-20 22:55:00", datetime(2013, 11, 20, 22, 55)),
        (" 2019-08-30 08:00:01 ", datetime(2019, 8, 30, 8, 0, 1)),
        ("2024-02-30 00:00", None),
        ("TimeInterval", None),
    ],
)
def test_tdcs_timestamps(raw: str, expected: datetime | None) -> None:
    assert evaluate(tdcs_timestamp_sql, [raw]) == [expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "2024-03-25 08:00:01+01F0005S; 2024-03-25 08:03:10+01F0017S",
            [
                (datetime(2024, 3, 25, 8, 0, 1), "01F0005S"),
                (datetime(2024, 3, 25, 8, 3, 10), "01F0017S"),
            ],
        ),
        (
            "2019-08-30 08:00:00+03F0201N;2019-08-30 08:04:00+03F0150N;",
            [(datetime(2019, 8, 30, 8, 0), "03F0201N"), (datetime(2019, 8, 30, 8, 4), "03F0150N")],
        ),
        ("2024-03-25 23:59:59+01F0005N", [(datetime(2024, 3, 25, 23, 59, 59), "01F0005N")]),
        ("", []),
    ],
)
def test_trip_information(raw: str, expected: list[tuple[datetime, str]]) -> None:
    [parsed] = evaluate(trip_information_sql, [raw])
    assert [(p["time"], p["gantry"]) for p in parsed] == expected
