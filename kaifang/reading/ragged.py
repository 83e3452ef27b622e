"""Ragged rows: data rows with more or fewer cells than the header.

DuckDB's fast reader refuses a file with a ragged row, and ``open_table`` then falls back to
the tolerant reader, which pads short rows with empty cells and drops the cells past the
header. Nothing may go missing without a word, so when the tolerant reader is the one used,
one more pass with DuckDB's strict reader collects the ragged rows in a rejects table (its
``line`` counts records, quoted newlines included): each becomes a problem with its data-row
number — ``extra-cells`` keeping the values that no column holds, ``missing-cells`` naming the
first empty column. Clean files never take this path, so it costs them nothing.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb

from kaifang.reading.model import Problem
from kaifang.reading.staged import Source

# Ragged rows listed as problems; ``Ragged.rows`` counts them all.
MAX_RAGGED_PROBLEMS = 100
_CODES = {"TOO MANY COLUMNS": "extra-cells", "MISSING COLUMNS": "missing-cells"}
_REJECTS = "kaifang_ragged_rows"
_STRICT = (
    ", parallel=false, store_rejects=true, ignore_errors=true, "
    f"rejects_table='{_REJECTS}', rejects_scan='kaifang_ragged_scans'"
)


@dataclass
class Ragged:
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)


def find_ragged(con: duckdb.DuckDBPyConnection, source: Source, names: Sequence[str]) -> Ragged:
    """The ragged rows of a delimited source that only the tolerant reader could read."""
    if source.kind != "csv" or not source.options:
        return Ragged()  # the strict reader read every row: none is ragged
    strict = dataclasses.replace(source, options=_STRICT)
    con.execute(f"SELECT count(*) FROM {strict.sql()}").fetchall()
    codes = ", ".join(f"'{code}'" for code in _CODES)
    counted = con.execute(
        f"SELECT count(DISTINCT line) FROM {_REJECTS} WHERE error_type IN ({codes})"
    ).fetchone()
    total = int(counted[0]) if counted else 0
    if not total:
        return Ragged()
    first = con.execute(
        f"SELECT line, any_value(error_type), any_value(csv_line) FROM {_REJECTS} "
        f"WHERE error_type IN ({codes}) GROUP BY line ORDER BY line LIMIT {MAX_RAGGED_PROBLEMS}"
    ).fetchall()
    problems = [
        _problem(int(line) - source.skip, _CODES[kind], text, names, source.delimiter)
        for line, kind, text in first
    ]
    return Ragged(total, problems)


def _cells(text: str, delimiter: str) -> list[str]:
    """The cells of one record (quoted values may hold line breaks). DuckDB's rejects table
    may start the record with the line break before it (CRLF files)."""
    record = text.lstrip("\r\n")
    parsed = next(csv.reader(io.StringIO(record, newline=""), delimiter=delimiter), None)
    return parsed or []


def _problem(row: int, code: str, text: str, names: Sequence[str], delimiter: str) -> Problem:
    cells = _cells(text, delimiter)
    width = len(names)
    if code == "extra-cells":
        extra = cells[width:]
        message = (
            f"row has {len(cells)} cells but the header has {width}; the value(s) past the "
            f"last column {extra!r} are in no column and are kept only in this problem"
        )
        return Problem(row, None, code, message, values=extra)
    missing = max(width - len(cells), 1)
    column = names[min(len(cells), width - 1)]
    message = (
        f"row has {len(cells)} cells but the header has {width}; the {missing} missing "
        f"cell(s) from column {column!r} on are read as empty"
    )
    return Problem(row, column, code, message)
