"""Evaluate a SQL expression builder on literal inputs, as importers run it over columns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb


def evaluate(builder: Callable[[str], str], values: list[str | None]) -> list[Any]:
    """``builder('x')`` applied to each value, in order, in one DuckDB query."""
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE t (i INTEGER, x VARCHAR)")
        con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(values)))
        rows = con.execute(f"SELECT {builder('x')} FROM t ORDER BY i").fetchall()
    finally:
        con.close()
    return [row[0] for row in rows]
