"""SQL expression builders shared by the flagship sources' importers.

Each function takes a SQL expression (usually a quoted column name) and returns SQL text that
DuckDB evaluates over whole columns, so parsing millions of rows never loops in Python.
Invalid input gives NULL, never an error.
"""

from __future__ import annotations

# Spaces that pad values in government files: ASCII space, tab, ideographic space U+3000,
# no-break space.
PADDING = " \t\u3000\u00a0"


def trim_padding_sql(expr: str) -> str:
    """``expr`` without leading/trailing ASCII, ideographic (U+3000) or no-break spaces."""
    return f"trim({expr}, '{PADDING}')"


def unify_tai_sql(expr: str) -> str:
    """``expr`` with 台 written as 臺, the official form, as a key for grouping and matching."""
    return f"replace({expr}, '台', '臺')"


def roc_compact_date_sql(expr: str) -> str:
    """A DATE from a compact ROC date: ``1040101`` → 2015-01-01, ``0310316`` → 1942-03-16.

    Six digits (years before 民國100 without the leading zero) are accepted too; anything
    else, or an impossible date, is NULL.
    """
    text = trim_padding_sql(expr)
    return (
        f"CASE WHEN regexp_matches({text}, '^[0-9]{{6,7}}$') THEN "
        f"try_cast(concat(lpad(CAST(CAST(left({text}, length({text}) - 4) AS INTEGER) + 1911 "
        f"AS VARCHAR), 4, '0'), '-', substr({text}, -4, 2), '-', right({text}, 2)) AS DATE) "
        "END"
    )
