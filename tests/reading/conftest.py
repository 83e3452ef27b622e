"""Helpers for reading tests: write bytes to a file in tmp_path and open it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kaifang.reading import Table, open_table


@pytest.fixture
def read(tmp_path: Path) -> Iterator[Callable[..., Table]]:
    """``read(data, name="t.csv", **options)`` writes ``data`` (bytes or str as UTF-8) and
    returns the opened table; every table is closed after the test."""
    opened: list[Table] = []

    def _read(data: bytes | str, name: str = "t.csv", **options: Any) -> Table:
        path = tmp_path / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        table = open_table(path, **options)
        opened.append(table)
        return table

    yield _read
    for table in opened:
        table.close()


def rows_of(table: Table) -> list[tuple[Any, ...]]:
    con = duckdb.connect()
    return [tuple(row) for row in table.relation(con).fetchall()]


def types_of(table: Table) -> dict[str, str]:
    return {f.name: f.type for f in table.fields}
