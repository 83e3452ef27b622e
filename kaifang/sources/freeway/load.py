"""Reading every file of one TDCS dataset with ONE DuckDB ``read_csv`` and typing it in SQL.

The files are read as VARCHAR with the manual's column names (they have no header), kept in
insertion order so that a row's line in its file is ``rowid - first rowid of the file + 1``.
Lines that do not split into the right number of columns come back from DuckDB's rejects
table; lines whose values cannot be typed (a timestamp, a count) are left out too. Both are
:class:`ImportProblem` s with file and line; the import goes on without them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from kaifang.errors import ReadError
from kaifang.sources.freeway.columns import DATASETS, TdcsDataset
from kaifang.sources.freeway.parse import gantry_id_sql, tdcs_timestamp_sql, trip_information_sql
from kaifang.sources.model import SourceColumn
from kaifang.sources.sqltext import trim_padding_sql
from kaifang.sqlutil import quote_ident, quote_literal

MAX_PROBLEMS = 1_000
DATE_COLUMN = "Date"
# One column more than the manual's: a line with too many values fills it, and (with
# null_padding) a line with too few leaves the last real column NULL.
EXTRA_COLUMN = "_extra_values"


@dataclass(frozen=True)
class ImportProblem:
    """A line left out of the import, with a stable ``code`` slug."""

    code: str
    file: str
    line: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class LoadedDataset:
    """The typed rows (a table in the work database) and what was left out."""

    code: str
    table: str
    rows: int
    files: int
    problems: list[ImportProblem]
    problem_count: int


def time_column(dataset: TdcsDataset) -> str:
    """The column a row's date comes from (``DetectionTime_O`` for trips)."""
    return "DetectionTime_O" if dataset.code == "M06A" else "TimeInterval"


def typed_sql(column: SourceColumn) -> str:
    """The SQL that turns the raw VARCHAR column into its typed value (NULL when invalid)."""
    raw = quote_ident(column.name)
    if column.name == "TripInformation":
        return trip_information_sql(raw)
    if column.type == "datetime":
        return tdcs_timestamp_sql(raw)
    if column.type == "integer":
        return f"try_cast({trim_padding_sql(raw)} AS INTEGER)"
    if column.type == "number":
        return f"try_cast({trim_padding_sql(raw)} AS DOUBLE)"
    if column.name.startswith("Gantry"):
        return f"nullif({gantry_id_sql(raw)}, '')"
    return f"nullif({trim_padding_sql(raw)}, '')"


def _invalid_condition(dataset: TdcsDataset) -> str:
    checks = ["wrong_count", *(f"{quote_ident(c.name)} IS NULL" for c in dataset.columns)]
    if dataset.code == "M06A":
        checks.append(
            "len(TripInformation) = 0 OR "
            "list_bool_or(list_transform(TripInformation, lambda p: p.time IS NULL))"
        )
    return " OR ".join(checks)


def _read_csv_sql(dataset: TdcsDataset, files: list[Path], rejects: str) -> str:
    listed = ", ".join(quote_literal(str(f)) for f in files)
    names = [*(c.name for c in dataset.columns), EXTRA_COLUMN]
    columns = ", ".join(f"{quote_literal(name)}: 'VARCHAR'" for name in names)
    return (
        f"read_csv([{listed}], header = false, auto_detect = false, delim = ',', quote = '\"', "
        f"columns = {{{columns}}}, filename = 'source_file', store_rejects = true, "
        f"rejects_table = {quote_literal(rejects + '_errors')}, "
        f"rejects_scan = {quote_literal(rejects + '_scans')}, null_padding = true, "
        "strict_mode = false)"
    )


def load_dataset(con: duckdb.DuckDBPyConnection, code: str, files: list[Path]) -> LoadedDataset:
    """Read ``files`` (all of dataset ``code``) into view ``typed_<code>`` of ``con``."""
    dataset = DATASETS[code]
    raw, typed, rejects = f"raw_{code}", f"typed_{code}", f"rejects_{code}"
    con.execute("SET preserve_insertion_order = true")
    try:
        source = _read_csv_sql(dataset, files, rejects)
        con.execute(f"CREATE OR REPLACE TABLE {raw} AS SELECT * FROM {source}")
    except duckdb.Error as error:
        raise ReadError(
            f"DuckDB could not read the {code} files ({error})",
            file=files[0],
            hint="Check the files are the upstream headerless CSV.",
        ) from None
    select = ", ".join(f"{typed_sql(c)} AS {quote_ident(c.name)}" for c in dataset.columns)
    last = quote_ident(dataset.columns[-1].name)
    time = quote_ident(time_column(dataset))
    # One parsing pass: typed values, the date and whether the line is left out.
    con.execute(
        f"CREATE OR REPLACE TABLE parsed_{code} AS SELECT *, ({_invalid_condition(dataset)}) "
        f"AS is_bad, CAST({time} AS DATE) AS {quote_ident(DATE_COLUMN)} FROM ("
        f"SELECT rowid AS row_id, source_file, ({quote_ident(EXTRA_COLUMN)} IS NOT NULL OR "
        f"{last} IS NULL) AS wrong_count, {select} FROM {raw})"
    )
    con.execute(f"DROP TABLE {raw}")
    names = ", ".join(quote_ident(c.name) for c in dataset.columns)
    con.execute(
        f"CREATE OR REPLACE VIEW {typed} AS SELECT {names}, {quote_ident(DATE_COLUMN)} "
        f"FROM parsed_{code} WHERE NOT is_bad"
    )
    problems, count = _problems(con, code, rejects, len(dataset.columns))
    rows = int(con.execute(f"SELECT count(*) FROM {typed}").fetchall()[0][0])
    if rows == 0:
        first = problems[0].message if problems else "the files hold no rows"
        raise ReadError(
            f"no {code} row could be read ({count} problem lines; first: {first})",
            file=files[0],
            hint="Check the files are TDCS " + code + " as the TDCS manual describes them.",
        )
    return LoadedDataset(code, typed, rows, len(files), problems, count)


def _problems(
    con: duckdb.DuckDBPyConnection, code: str, rejects: str, width: int
) -> tuple[list[ImportProblem], int]:
    """Lines left out: malformed ones (DuckDB's rejects, one per line) and untypeable ones.

    An untypeable row's line is its ordinal among the file's accepted rows, shifted past the
    file's rejected lines before it (only the reported rows are placed, never the whole data).
    """
    rejected = con.execute(
        f"SELECT s.file_path, e.line, arg_min(e.error_type || ': ' || e.error_message, "
        f"e.column_idx) FROM {rejects}_errors e JOIN {rejects}_scans s USING (scan_id, file_id) "
        f"GROUP BY ALL ORDER BY 1, 2"
    ).fetchall()
    invalid_sql = (
        f"WITH firsts AS (SELECT source_file, min(row_id) AS first_id FROM parsed_{code} "
        f"GROUP BY source_file) SELECT p.source_file, p.row_id - f.first_id + 1, p.wrong_count "
        f"FROM parsed_{code} p JOIN firsts f USING (source_file) WHERE p.is_bad"
    )
    invalid_total = int(con.execute(f"SELECT count(*) FROM ({invalid_sql})").fetchall()[0][0])
    invalid = con.execute(f"{invalid_sql} ORDER BY 1, 2 LIMIT {MAX_PROBLEMS}").fetchall()
    skipped: dict[str, list[int]] = {}
    for file, line, _ in rejected:
        skipped.setdefault(str(file), []).append(int(line))
    found = [("malformed_line", str(f), int(line), str(m)) for f, line, m in rejected]
    for file, ordinal, wrong_count in invalid:
        line = int(ordinal)
        for taken in skipped.get(str(file), []):
            if taken <= line:
                line += 1
        if wrong_count:
            found.append(("malformed_line", str(file), line, f"expected {width} values"))
        else:
            message = "a value cannot be read (timestamp, gantry or number)"
            found.append(("invalid_value", str(file), line, message))
    found.sort(key=lambda p: (p[1], p[2]))
    problems = [
        ImportProblem(c, Path(f).name, line, f"{Path(f).name} line {line}: {m}")
        for c, f, line, m in found[:MAX_PROBLEMS]
    ]
    return problems, invalid_total + len(rejected)
