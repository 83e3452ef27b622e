"""``open_table``: any supported file -> an analysed :class:`Table`.

Pipeline: sniff the format; stage the rows as all-text Parquet (CSV through DuckDB, from a
UTF-8 copy when needed; workbooks through python-calamine; JSON through DuckDB); one aggregate
pass infers each column's type; problems are located with SQL; the typed relation is a SELECT
over the staged file.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

from kaifang.errors import ReadError, ValidationError
from kaifang.reading.csv_file import stage_csv
from kaifang.reading.infer import ColumnPlan, column_stats, plan_column
from kaifang.reading.json_array import stage_json
from kaifang.reading.model import FIELD_TYPES, Field, Note
from kaifang.reading.normalize import normalized_view
from kaifang.reading.problems import type_problems, undecodable_problems
from kaifang.reading.sniff_encoding import read_head, sniff_format
from kaifang.reading.spreadsheet import stage_spreadsheet
from kaifang.reading.staged import Staged, private_connection
from kaifang.reading.table import Table, new_workdir
from kaifang.sqlutil import quote_ident, quote_literal


def open_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    header: bool | None = None,
    column_names: Sequence[str] | None = None,
    column_types: Mapping[str, str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Table:
    """Open ``path`` and analyse it; see :mod:`kaifang.reading.table` for the contract.

    ``header`` None detects a header row; ``column_names`` names the columns of a headerless
    source (a detected header row is then skipped); ``column_types`` forces Table Schema
    types by column name; ``encoding`` and ``delimiter`` override sniffing.
    """
    file = Path(path)
    if not file.is_file():
        raise ReadError("file not found", file=file, hint="Check the path.")
    _check_types(column_types)
    head = read_head(file)
    file_format = sniff_format(file, head)
    workdir = new_workdir()
    try:
        con = private_connection(workdir)
        names = list(column_names) if column_names is not None else None
        if file_format == "csv":
            staged = stage_csv(
                file,
                head,
                workdir,
                con,
                header=header,
                column_names=names,
                encoding=encoding,
                delimiter=delimiter,
            )
        elif file_format in ("xlsx", "ods"):
            staged = stage_spreadsheet(
                file,
                workdir,
                file_format=file_format,
                sheet=sheet,
                header=header,
                column_names=names,
            )
        else:
            staged = stage_json(file, workdir, con)
        table = _analyse(file, staged, workdir, con, column_types or {})
        con.close()
        return table
    except duckdb.Error as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        raise ReadError(
            f"cannot read the file ({str(exc).strip().splitlines()[0]})",
            file=file,
            hint="Check the file's format, or pass encoding=/delimiter= explicitly.",
        ) from None
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise


def _check_types(column_types: Mapping[str, str] | None) -> None:
    for name, type_name in (column_types or {}).items():
        if type_name not in FIELD_TYPES:
            raise ValidationError(
                f"column_types[{name!r}] = {type_name!r} is not a Table Schema type",
                hint=f"Use one of: {', '.join(FIELD_TYPES)}.",
            )


def _analyse(
    file: Path,
    staged: Staged,
    workdir: Path,
    con: duckdb.DuckDBPyConnection,
    column_types: Mapping[str, str],
) -> Table:
    table_sql = f"read_parquet({quote_literal(str(staged.parquet))})"
    unknown = set(column_types) - set(staged.names)
    if unknown:
        raise ValidationError(
            f"column_types names unknown column(s): {', '.join(sorted(unknown))}",
            hint=f"Columns are: {', '.join(staged.names)}.",
        )
    rows, stats = column_stats(con, staged.sources, table_sql)
    plans: list[ColumnPlan] = []
    for i, name in enumerate(staged.names):
        forced = column_types.get(name)
        plans.append(plan_column(name, i, stats[i], forced))
    problems = type_problems(con, plans, staged.sources, table_sql)
    notes = list(staged.notes)
    if staged.undecodable_bytes:
        notes.append(
            Note(
                "undecodable-bytes",
                f"{staged.undecodable_bytes} byte(s) not valid in {staged.encoding} were "
                "replaced by U+FFFD; their rows are listed in problems",
                count=staged.undecodable_bytes,
            )
        )
        problems = (
            undecodable_problems(con, staged.names, staged.sources, table_sql, staged.encoding)
            + problems
        )
    fields = []
    for plan in plans:
        field_notes = staged.field_notes.get(plan.name, []) + plan.notes
        fields.append(Field(name=plan.name, type=plan.type, notes=field_notes))
        for message in plan.notes:
            notes.append(Note(_note_code(message), message, column=plan.name))
    select = ", ".join(f"{p.typed_sql()} AS {quote_ident(p.name)}" for p in plans)
    return Table(
        file,
        format=staged.format,
        encoding=staged.encoding,
        delimiter=staged.delimiter,
        header_row=staged.header_row,
        fields=fields,
        rows=rows,
        select_sql=f"SELECT {select} FROM {normalized_view(staged.sources, table_sql)}",
        notes=notes,
        problems=problems,
        workdir=workdir,
    )


def _note_code(message: str) -> str:
    for needle, code in (
        ("trailing whitespace", "trailing-whitespace"),
        ("apostrophe", "apostrophe-prefix"),
        ("full-width", "full-width"),
        ("ROC", "roc-date"),
        ("leading zeros", "leading-zeros"),
        ("read as empty", "type-errors"),
    ):
        if needle in message:
            return code
    return "normalized"
