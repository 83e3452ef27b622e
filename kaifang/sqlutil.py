"""Quoting for SQL that kaifang generates (DuckDB / Spark dialects share these rules)."""

from __future__ import annotations


def quote_ident(name: str) -> str:
    """A double-quoted identifier; embedded quotes are doubled."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A single-quoted string literal; embedded quotes are doubled."""
    return "'" + text.replace("'", "''") + "'"
