"""Factories for privacy tests: relations from columns, and identifiers computed in Python
(independently of the SQL checksums they test)."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pyarrow as pa
import pytest

from kaifang.privacy import ScreeningReport, screen
from kaifang.settings import Settings

_CODES = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [
            10,
            11,
            12,
            13,
            14,
            15,
            16,
            17,
            34,
            18,
            19,
            20,
            21,
            22,
            35,
            23,
            24,
            25,
            26,
            27,
            28,
            29,
            32,
            30,
            31,
            33,
        ],
        strict=True,
    )
)


def tw_checksum_ok(value: str) -> bool:
    code = _CODES[value[0]]
    second = "ABCD".index(value[1]) if value[1] in "ABCD" else int(value[1])
    digits = [code // 10, code % 10, second, *map(int, value[2:])]
    weights = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1]
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 10 == 0


def with_check_digit(prefix9: str) -> str:
    """Complete a letter + 8 characters with the digit that makes the checksum valid."""
    for last in "0123456789":
        if tw_checksum_ok(prefix9 + last):
            return prefix9 + last
    raise AssertionError(prefix9)


def with_wrong_check_digit(prefix9: str) -> str:
    good = with_check_digit(prefix9)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


def national_ids(n: int) -> list[str]:
    return [
        with_check_digit(f"{'ABDEFHKPT'[i % 9]}{1 + i % 2}{i * 7919 % 10**7:07d}") for i in range(n)
    ]


def luhn_complete(prefix: str) -> str:
    for last in "0123456789":
        digits = [int(c) for c in prefix + last][::-1]
        total = sum(
            d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits)
        )
        if total % 10 == 0:
            return prefix + last
    raise AssertionError(prefix)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


@pytest.fixture
def make_relation(
    con: duckdb.DuckDBPyConnection,
) -> Callable[[dict[str, list[object]]], duckdb.DuckDBPyRelation]:
    def make(columns: dict[str, list[object]]) -> duckdb.DuckDBPyRelation:
        return con.from_arrow(pa.table(columns))

    return make


@pytest.fixture
def screen_columns(
    make_relation: Callable[[dict[str, list[object]]], duckdb.DuckDBPyRelation], settings: Settings
) -> Callable[[dict[str, list[object]]], ScreeningReport]:
    def run(columns: dict[str, list[object]]) -> ScreeningReport:
        return screen(make_relation(columns), settings=settings, table_name="t")

    return run
