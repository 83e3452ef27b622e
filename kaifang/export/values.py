"""How values are spelled in the text download formats, written as SQL over the relation.

One spelling everywhere (CSV, JSON, NDJSON, XML and the APIs' JSON, which
:func:`kaifang.jsonable.jsonable` writes): dates ``2024-03-25``, times ``08:05:00``,
timestamps ISO 8601 with a ``T`` (``2024-03-25T08:05:00``, microseconds only when there are
some, as Python's ``isoformat``), time-zone-aware timestamps in UTC with ``+00:00``. Nested
values (lists, structs, maps: M06A's ``TripInformation``) are JSON, with the same spelling
inside; the JSON formats keep them as JSON values, the flat formats (CSV, XLSX, XML) as JSON
text in one cell. Everything is a DuckDB expression: no per-row Python.
"""

from __future__ import annotations

import duckdb
from duckdb.sqltypes import DuckDBPyType

from kaifang.sqlutil import quote_ident, quote_literal

NESTED = frozenset({"list", "struct", "map", "array", "union"})
_SECOND = "%Y-%m-%dT%H:%M:%S"


def is_nested(dtype: DuckDBPyType) -> bool:
    return str(dtype.id) in NESTED


def _children(dtype: DuckDBPyType) -> list[tuple[str, DuckDBPyType]]:
    """The child types of a nested type (a list's ``child``, a struct's fields, a map's key
    and value); an array's ``size`` entry is not a type and is left out."""
    return [(name, t) for name, t in dtype.children if isinstance(t, DuckDBPyType)]


def _needs_iso(dtype: DuckDBPyType) -> bool:
    kind = str(dtype.id)
    if kind.startswith("timestamp") or kind == "time":
        return True
    if kind in NESTED:
        return any(_needs_iso(child) for _, child in _children(dtype))
    return False


def _iso_timestamp(expr: str) -> str:
    return (
        f"CASE WHEN microsecond({expr}) % 1000000 = 0 THEN strftime({expr}, '{_SECOND}') "
        f"ELSE strftime({expr}, '{_SECOND}.%f') END"
    )


def iso_sql(expr: str, dtype: DuckDBPyType, depth: int = 0) -> str:
    """``expr`` with every timestamp in it (nested ones too) as ISO 8601 text."""
    kind = str(dtype.id)
    if not _needs_iso(dtype):
        return expr
    if kind == "timestamp with time zone":
        utc = f"timezone('UTC', {expr})"
        return f"({_iso_timestamp(utc)} || '+00:00')"
    if kind == "time":
        return f"CAST({expr} AS VARCHAR)"
    if kind.startswith("timestamp"):
        return _iso_timestamp(expr)
    if kind in {"list", "array"}:
        var = f"__x{depth}"
        inner = iso_sql(var, dict(_children(dtype))["child"], depth + 1)
        return f"list_transform({expr}, lambda {var}: {inner})"
    if kind == "struct":
        fields = ", ".join(
            f"{quote_ident(name)} := "
            f"{iso_sql(f'struct_extract({expr}, {quote_literal(name)})', child, depth)}"
            for name, child in _children(dtype)
        )
        return f"CASE WHEN {expr} IS NULL THEN NULL ELSE struct_pack({fields}) END"
    # maps (and unions) with timestamps inside: their JSON text, as DuckDB spells it
    return expr


def text_sql(expr: str, dtype: DuckDBPyType) -> str:
    """``expr`` as one flat cell: ISO timestamps, nested values as JSON text, the rest as is."""
    iso = iso_sql(expr, dtype)
    if is_nested(dtype):
        return f"CAST(to_json({iso}) AS VARCHAR)"
    return iso


def spelled(rel: duckdb.DuckDBPyRelation, *, flat: bool) -> duckdb.DuckDBPyRelation:
    """``rel`` with timestamps as ISO text; nested columns as JSON text when ``flat``."""
    exprs = []
    changed = False
    for name, dtype in zip(rel.columns, rel.dtypes, strict=True):
        col = quote_ident(name)
        expr = text_sql(col, dtype) if flat else iso_sql(col, dtype)
        changed = changed or expr != col
        exprs.append(f"{expr} AS {col}")
    return rel.project(", ".join(exprs)) if changed else rel
