"""The second guard: DuckDB's own parser reads the exact SQL that will run.

sqlglot decides the shape of the statement; this check asks DuckDB (``json_serialize_sql``,
which parses and never executes) what it will actually call, so a difference between the two
parsers cannot smuggle a function in. Every function and table function must be on the
allow-lists of :mod:`kaifang.query.functions`, and only plain SELECT statements pass.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Collection
from typing import Any

import duckdb

from kaifang.errors import QueryError
from kaifang.query.functions import (
    AGGREGATE_FUNCTIONS,
    SCALAR_FUNCTIONS,
    TABLE_FUNCTIONS,
    WINDOW_FUNCTIONS,
    is_operator_name,
)

_FORBIDDEN_TABLE_REFS = frozenset({"SHOW_REF", "COLUMN_DATA", "DELIM_GET"})
_HINT = "Use the documented SQL functions (docs/query.md); files and settings are not reachable."

_local = threading.local()


def _parser() -> duckdb.DuckDBPyConnection:
    """A per-thread DuckDB used only to parse; it is locked down like the query engine."""
    con: duckdb.DuckDBPyConnection | None = getattr(_local, "con", None)
    if con is None:
        con = duckdb.connect(
            ":memory:",
            config={
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
                "enable_external_access": False,
                "threads": 1,
            },
        )
        con.execute("SET lock_configuration = true")
        _local.con = con
    return con


def duckdb_parse(sql: str) -> dict[str, Any]:
    """DuckDB's parse tree of ``sql`` as JSON; refuses anything but SELECT statements."""
    raw = _parser().execute("SELECT json_serialize_sql(?)", [sql]).fetchall()[0][0]
    tree: dict[str, Any] = json.loads(raw)
    if tree.get("error"):
        message = str(tree.get("error_message") or "DuckDB could not parse the statement")
        raise QueryError(
            f"the SQL is not a plain SELECT: {message.splitlines()[0]}",
            hint="Only SELECT, WITH and UNION / INTERSECT / EXCEPT queries are allowed.",
        )
    return tree


def check_duckdb_parse(sql: str, *, tables: Collection[str]) -> None:
    """Refuse ``sql`` unless DuckDB parses it as one SELECT calling only allowed functions
    and reading only ``tables`` (the resources the first guard accepted) or its own CTEs."""
    tree = duckdb_parse(sql)
    statements = tree.get("statements") or []
    if len(statements) != 1:
        raise QueryError(
            f"expected exactly one statement, found {len(statements)}",
            hint="Send one SELECT per request, without ';' between statements.",
        )
    _walk(statements[0], in_table_function=False)
    allowed = {name.lower() for name in tables} | _cte_names(statements[0])
    for name in _base_tables(statements[0]):
        if name.lower() not in allowed:
            raise QueryError(
                f"table {name!r} is not a published resource",
                hint="Name a published resource by its id; invisible or look-alike characters "
                "in names are not accepted.",
            )


def _cte_names(node: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(node, dict):
        cte_map = node.get("cte_map")
        if isinstance(cte_map, dict):
            names.update(str(entry.get("key", "")).lower() for entry in cte_map.get("map", []))
        for value in node.values():
            names |= _cte_names(value)
    elif isinstance(node, list):
        for item in node:
            names |= _cte_names(item)
    return names


def _base_tables(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "BASE_TABLE" and "class" not in node:
            found.append(str(node.get("table_name", "")))
        for value in node.values():
            found.extend(_base_tables(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_base_tables(item))
    return found


def _walk(node: Any, *, in_table_function: bool) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, in_table_function=in_table_function)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("class")
    node_type = node.get("type")
    if kind == "FUNCTION":
        _check_function(node, table_function=in_table_function)
    elif kind == "WINDOW":
        _check_name(node, WINDOW_FUNCTIONS, "window function")
    elif kind is None and node_type in _FORBIDDEN_TABLE_REFS:
        raise QueryError(f"a {node_type} clause is not allowed in a query", hint=_HINT)
    elif kind is None and node_type == "BASE_TABLE":
        if node.get("schema_name") or node.get("catalog_name"):
            raise QueryError(
                "tables cannot be qualified by a schema or catalog",
                hint="Name a published resource by its id alone.",
            )
    for key, value in node.items():
        _walk(value, in_table_function=node_type == "TABLE_FUNCTION" and key == "function")


def _check_function(node: dict[str, Any], *, table_function: bool) -> None:
    name = str(node.get("function_name", ""))
    if node.get("schema") or node.get("catalog"):
        raise QueryError(
            f"function {node.get('schema') or node.get('catalog')}.{name} is not allowed: "
            "functions cannot be qualified by a schema",
            hint=_HINT,
        )
    if table_function:
        if name.lower() not in TABLE_FUNCTIONS:
            raise QueryError(
                f"table function {name}() is not allowed: queries read published resources only",
                hint="Name a resource by its id as a table; allowed table functions: "
                + ", ".join(sorted(TABLE_FUNCTIONS))
                + ".",
            )
        return
    if node.get("is_operator") and is_operator_name(name):
        return
    _check_name(node, SCALAR_FUNCTIONS | AGGREGATE_FUNCTIONS, "function")


def _check_name(node: dict[str, Any], allowed: frozenset[str], what: str) -> None:
    name = str(node.get("function_name", ""))
    if name.lower() not in allowed:
        raise QueryError(f"{what} {name}() is not allowed in a query", hint=_HINT)
