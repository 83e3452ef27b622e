"""Compare two tables in DuckDB: counts of rows added, removed and changed, and the first few.

With a key (columns that identify a row in both tables), rows are matched by key: a key only
in the new table is added, only in the old one removed, in both with other values changed.
Without a key, rows are compared whole: each table is reduced to the 64-bit hash of every
row's values (over the columns both tables have) with its multiplicity, and the difference of
those multisets gives the rows added and removed (a changed row is one of each).

Only hashes and keys are joined, so memory stays small per row, and DuckDB spills to its
temporary directory beyond its memory limit. The rows that differ are kept in a temporary
table: the counts come from it, and the first rows shown are fetched by key (or hash) from
the two tables once more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb

from kaifang.sqlutil import quote_ident

# Columns tried as an inferred key (unique and non-null in both versions), in schema order.
KEY_CANDIDATES = 4
KEY_TYPES = ("integer", "string", "date", "datetime")


@dataclass(frozen=True)
class Side:
    """One table to compare: a DuckDB table expression and its Table Schema fields."""

    sql: str
    fields: Sequence[Mapping[str, Any]]

    @property
    def columns(self) -> list[str]:
        return [str(f["name"]) for f in self.fields]


def _cols(names: Sequence[str], prefix: str = "") -> str:
    return ", ".join(f"{prefix}{quote_ident(n)}" for n in names)


def _hash(names: Sequence[str], prefix: str = "") -> str:
    return f"hash({_cols(names, prefix)})" if names else "0"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def common_columns(before: Side, after: Side) -> list[str]:
    old = set(before.columns)
    return [name for name in after.columns if name in old]


def infer_key(con: duckdb.DuckDBPyConnection, before: Side, after: Side) -> str | None:
    """The first column (of a few candidates, in schema order) that is unique and never
    empty in both tables. Non-empty counts come from one pass; uniqueness is checked one
    candidate at a time, so a leading id column costs one distinct count per table."""
    types = {str(f["name"]): f.get("type", "string") for f in after.fields}
    candidates = [c for c in common_columns(before, after) if types[c] in KEY_TYPES]
    candidates = candidates[:KEY_CANDIDATES]
    for side in (before, after):
        if not candidates:
            return None
        checks = ", ".join(f"count({quote_ident(c)}) = count(*)" for c in candidates)
        found = con.execute(f"SELECT {checks} FROM {side.sql}").fetchone()
        assert found is not None  # an aggregate returns one row
        candidates = [c for c, full in zip(candidates, found, strict=True) if full]
    for column in candidates:
        if key_is_unique(con, before, [column]) and key_is_unique(con, after, [column]):
            return column
    return None


def key_is_unique(con: duckdb.DuckDBPyConnection, side: Side, key: Sequence[str]) -> bool:
    cols = _cols(key)
    found = con.execute(
        f"SELECT count(*) = (SELECT count(*) FROM (SELECT DISTINCT {cols} FROM {side.sql})) "
        f"FROM {side.sql}"
    ).fetchone()
    return bool(found and found[0])


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description or []]
    return [{n: _jsonable(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    found = con.execute(sql).fetchone()
    return int(found[0] or 0) if found else 0


def keyed_diff(
    con: duckdb.DuckDBPyConnection, before: Side, after: Side, key: Sequence[str], show: int
) -> dict[str, Any]:
    """Rows added, removed and changed, matched by ``key``."""
    values = [c for c in common_columns(before, after) if c not in key]
    keys = _cols(key)
    on = " AND ".join(f"b.{quote_ident(k)} = a.{quote_ident(k)}" for k in key)
    merged = ", ".join(
        f"coalesce(a.{quote_ident(k)}, b.{quote_ident(k)}) AS {quote_ident(k)}" for k in key
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE kaifang_diff AS "
        f"SELECT {merged}, "
        f"b.h IS NULL AS is_added, a.h IS NULL AS is_removed "
        f"FROM (SELECT {keys}, {_hash(values)} AS h FROM {before.sql}) b "
        f"FULL OUTER JOIN (SELECT {keys}, {_hash(values)} AS h FROM {after.sql}) a ON {on} "
        f"WHERE b.h IS DISTINCT FROM a.h"
    )
    counts = con.execute(
        "SELECT count_if(is_added), count_if(is_removed), "
        "count_if(NOT is_added AND NOT is_removed) FROM kaifang_diff"
    ).fetchone()
    assert counts is not None
    added, removed, changed = (int(v or 0) for v in counts)
    if show <= 0:  # counts only (history): no more passes over the tables
        empty: dict[str, Any] = {"added": [], "removed": [], "changed": []}
        return {"added": added, "removed": removed, "changed": changed, "samples": empty}

    def first(side: Side, which: str) -> list[dict[str, Any]]:
        """The rows of ``side`` for the first ``show`` keys (in key order) that are ``which``."""
        chosen = f"SELECT {keys} FROM kaifang_diff WHERE {which} ORDER BY {keys} LIMIT {show}"
        return _rows(
            con,
            f"SELECT t.* FROM {side.sql} AS t SEMI JOIN ({chosen}) AS s USING ({keys}) "
            f"ORDER BY {_cols(key, 't.')}",
        )

    both = "NOT is_added AND NOT is_removed"
    samples: dict[str, Any] = {
        "added": first(after, "is_added"),
        "removed": first(before, "is_removed"),
    }
    old, new = first(before, both), first(after, both)
    samples["changed"] = [
        {
            "key": {k: b[k] for k in key},
            "changes": {c: [b[c], a[c]] for c in values if b[c] != a[c]},
        }
        for b, a in zip(old, new, strict=True)
    ]
    return {"added": added, "removed": removed, "changed": changed, "samples": samples}


def hashed_diff(
    con: duckdb.DuckDBPyConnection, before: Side, after: Side, show: int
) -> dict[str, Any]:
    """Rows added and removed, comparing whole rows (over the columns both tables have)."""
    common = common_columns(before, after)
    h = _hash(common)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE kaifang_diff AS "
        f"SELECT h, coalesce(a.n, 0) - coalesce(b.n, 0) AS delta "
        f"FROM (SELECT {h} AS h, count(*) AS n FROM {before.sql} GROUP BY ALL) b "
        f"FULL OUTER JOIN (SELECT {h} AS h, count(*) AS n FROM {after.sql} GROUP BY ALL) a "
        f"USING (h) WHERE coalesce(a.n, 0) <> coalesce(b.n, 0)"
    )
    counts = con.execute(
        "SELECT sum(delta) FILTER (delta > 0), -sum(delta) FILTER (delta < 0) FROM kaifang_diff"
    ).fetchone()
    assert counts is not None
    added, removed = (int(v or 0) for v in counts)
    if show <= 0:
        empty: dict[str, Any] = {"added": [], "removed": [], "changed": []}
        return {"added": added, "removed": removed, "changed": None, "samples": empty}

    def first(side: Side, sign: str) -> list[dict[str, Any]]:
        """Rows of ``side`` whose hash is ``sign`` 0, each as many times as it differs."""
        names = _cols(side.columns, "t.")
        return _rows(
            con,
            f"SELECT {_cols(side.columns)} FROM (SELECT {names}, d.delta, row_number() OVER "
            f"(PARTITION BY d.h) AS copy FROM {side.sql} AS t JOIN kaifang_diff AS d "
            f"ON {_hash(common, 't.')} = d.h WHERE d.delta {sign} 0) "
            f"WHERE copy <= abs(delta) LIMIT {show}",
        )

    samples = {"added": first(after, ">"), "removed": first(before, "<"), "changed": []}
    return {"added": added, "removed": removed, "changed": None, "samples": samples}


def row_count(con: duckdb.DuckDBPyConnection, side: Side) -> int:
    return _count(con, f"SELECT count(*) FROM {side.sql}")
