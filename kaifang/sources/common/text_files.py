"""Getting an agency's CSV into DuckDB as text: decode (UTF-8 BOM, UTF-8, then CP950) to a
UTF-8 copy, then one ``read_csv`` with every column VARCHAR so the importer's SQL decides
each type (codes stay strings)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

import duckdb

from kaifang.errors import ReadError
from kaifang.sqlutil import quote_ident, quote_literal


@dataclass(frozen=True)
class DecodedFile:
    path: Path
    encoding: str
    replaced: int  # bytes CP950 could not decode, written as U+FFFD


def decode_text(raw: bytes) -> tuple[str, str, int]:
    """``(text, encoding, replaced)``: sniffed in the order BOM, strict UTF-8, CP950."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig", 0
    try:
        return raw.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        text = raw.decode("cp950", errors="replace")
        return text, "cp950", text.count("\ufffd")


def utf8_copy(file: Path, target: Path, *, skip_lines: int = 0) -> DecodedFile:
    """Write ``file`` as UTF-8 (without its first ``skip_lines`` lines) to ``target``."""
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise ReadError(
            f"cannot read ({error.strerror})", file=file, hint="Check the path."
        ) from None
    text, encoding, replaced = decode_text(raw)
    if skip_lines:
        text = "".join(text.splitlines(keepends=True)[skip_lines:])
    target.write_text(text, encoding="utf-8")
    return DecodedFile(target, encoding, replaced)


def expect_header(
    decoded: DecodedFile, names: Sequence[str], *, file: Path, row: int = 1, hint: str
) -> None:
    """Refuse ``file`` unless its header row (the first line of its UTF-8 copy, line ``row``
    of the file) names ``names`` in that order. Importers read columns by position, so any
    other header (another layout, a reordered export, a file that is not this source's)
    would publish values under the wrong names; padding and trailing empty cells are
    tolerated."""
    try:
        with decoded.path.open(encoding="utf-8", newline="") as handle:
            first = next(csv.reader(handle), [])
    except csv.Error as error:  # a cell past the csv module's limit: not a header
        raise ReadError(f"the header row cannot be read ({error})", file=file, row=row,
                        hint=hint) from None  # fmt: skip
    found = [cell.strip(" \t\u3000") for cell in first]
    while found and found[-1] == "":
        found.pop()
    if found == list(names):
        return
    wrong = next((i for i, (f, n) in enumerate(zip_longest(found, names)) if f != n), len(names))
    column = found[wrong] if wrong < len(found) else names[wrong]
    raise ReadError(
        f"the header row is {_shown(found)!r}, not {','.join(names)!r}: the columns "
        "are read by position, so this layout would publish values under the wrong names",
        file=file,
        row=row,
        column=column,
        hint=hint,
    )


def _shown(cells: list[str], limit: int = 200) -> str:
    """The cells as a CSV line, cut to ``limit`` characters (a hostile header may be huge)."""
    line = ",".join(cells)
    return line if len(line) <= limit else line[:limit] + "…"


EXTRA_CELL = "kaifang_extra_cell"
"""A column past the layout's last: a row that fills it has more cells than the layout."""


def read_text_csv(
    con: duckdb.DuckDBPyConnection,
    file: Path,
    names: Sequence[str],
    *,
    header: bool,
    source: Path | None = None,
    lines_before: int = 0,
) -> duckdb.DuckDBPyRelation:
    """The rows of a UTF-8 CSV, every column VARCHAR and named ``names`` (short rows are
    padded with NULL; surrounding quotes removed by the CSV reader).

    A row with more cells than ``names`` is refused (ReadError naming ``source``, the file
    the agency gave, and the row's line there; ``lines_before`` lines of it precede ``file``):
    its last cells would otherwise be dropped without a word, usually because a value holds
    an unquoted comma or the layout gained a column."""
    columns = ", ".join(f"{quote_literal(n)}: 'VARCHAR'" for n in [*names, EXTRA_CELL])
    scan = (
        f"read_csv({quote_literal(str(file))}, header = {str(header).lower()}, "
        f"auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
        f"null_padding = true, strict_mode = false, columns = {{{columns}}})"
    )
    longer, first = con.sql(
        f"SELECT count(*), min(n) FROM (SELECT row_number() OVER () AS n, "
        f"{quote_ident(EXTRA_CELL)} AS extra FROM {scan}) WHERE extra IS NOT NULL"
    ).fetchall()[0]
    if longer:
        line = int(first) + lines_before + (1 if header else 0)
        raise ReadError(
            f"{longer} rows have more than the {len(names)} cells of this layout "
            f"({', '.join(names)}); the first is line {line}",
            file=source or file,
            row=line,
            hint="Quote values that hold a comma, or check that the file has this source's "
            "layout; nothing was published.",
        )
    listed = ", ".join(quote_ident(n) for n in names)
    return con.sql(f"SELECT {listed} FROM {scan}")
