"""Typed wrappers: DuckDB's stubs declare ``query``/``sql`` as possibly returning None (for
statements without a result); every query kaifang builds here is a SELECT."""

from __future__ import annotations

import duckdb


def query(relation: duckdb.DuckDBPyRelation, name: str, sql: str) -> duckdb.DuckDBPyRelation:
    """``sql`` over ``relation`` (visible in the SQL as ``name``), as a new relation."""
    out = relation.query(name, sql)
    if out is None:  # pragma: no cover - only for statements without a result
        raise TypeError(f"not a SELECT: {sql[:80]}")
    return out


def select(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.DuckDBPyRelation:
    out = con.sql(sql)
    if out is None:  # pragma: no cover - only for statements without a result
        raise TypeError(f"not a SELECT: {sql[:80]}")
    return out
