"""Parsing MOE school directories, as DuckDB SQL expression builders.

縣市名稱 is ``[code]name`` (``[01]新北市``), 地址 carries its postal code in brackets
(``[234]新北市永和區…``) and values may be padded with spaces or U+3000.
"""

from __future__ import annotations

from kaifang.sources.sqltext import trim_padding_sql

_BRACKETED = r"^\s*\[([^\]]*)\]\s*(.*)$"


def bracket_code_sql(expr: str) -> str:
    """The code in ``[code]name`` (``[01]新北市`` → ``01``), kept as text; NULL without one."""
    return f"nullif(trim(regexp_extract({trim_padding_sql(expr)}, '{_BRACKETED}', 1)), '')"


def bracket_name_sql(expr: str) -> str:
    """The name in ``[code]name`` (``[01]新北市`` → ``新北市``), or the whole trimmed value when
    there is no bracketed code."""
    text = trim_padding_sql(expr)
    name = trim_padding_sql(f"regexp_extract({text}, '{_BRACKETED}', 2)")
    return (
        f"CASE WHEN regexp_matches({text}, '{_BRACKETED}') THEN {name} ELSE nullif({text}, '') END"
    )


def postal_code_sql(expr: str) -> str:
    """The postal code of ``[234]新北市…`` (``234``) when it is 3 to 6 digits, else NULL."""
    code = bracket_code_sql(expr)
    return f"CASE WHEN regexp_matches({code}, '^[0-9]{{3,6}}$') THEN {code} END"


def address_sql(expr: str) -> str:
    """The address without its bracketed postal code, padding trimmed."""
    return bracket_name_sql(expr)
