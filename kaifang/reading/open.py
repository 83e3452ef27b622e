"""``open_table``: any supported file -> an analysed :class:`Table`.

Pipeline: sniff the format; make the rows readable as text columns in DuckDB (CSV directly
or from a staged UTF-8 copy; workbooks and JSON staged as Parquet); plan each column's type
in SQL (:mod:`kaifang.reading.plan`); locate problems with SQL; the typed relation is a
SELECT over the same source.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

from kaifang.errors import ReadError, ValidationError
from kaifang.reading.csv_file import stage_csv
from kaifang.reading.json_array import stage_json
from kaifang.reading.limits import DEFAULT_LIMITS, ReadLimits
from kaifang.reading.model import FIELD_TYPES, Field, Note
from kaifang.reading.normalize import normalized_view, raw
from kaifang.reading.plan import Analysis, analyse_columns, output_select
from kaifang.reading.problems import find_problems
from kaifang.reading.ragged import find_ragged
from kaifang.reading.sniff_encoding import read_head, sniff_format
from kaifang.reading.spreadsheet import stage_spreadsheet
from kaifang.reading.staged import Source, Staged, private_connection
from kaifang.reading.table import Table, new_workdir

_HINT = "Check the file's format, or pass encoding=/delimiter= explicitly."


def open_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    header: bool | None = None,
    column_names: Sequence[str] | None = None,
    column_types: Mapping[str, str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Table:
    """Open ``path`` and analyse it; see :mod:`kaifang.reading.table` for the contract.

    ``header`` None detects a header row; ``column_names`` names the columns of a headerless
    source (a detected header row is then skipped); ``column_types`` forces Table Schema
    types by column name; ``encoding`` and ``delimiter`` override sniffing. ``limits``
    bounds columns, line and cell length and how far a workbook may expand (checked first).
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
                header=header,
                column_names=names,
                encoding=encoding,
                delimiter=delimiter,
                max_line_bytes=limits.max_line_bytes,
            )
        elif file_format in ("xlsx", "ods"):
            limits.check_zip(file)
            staged = stage_spreadsheet(
                file,
                workdir,
                file_format=file_format,
                sheet=sheet,
                header=header,
                column_names=names,
                limits=limits,
            )
        else:
            staged = stage_json(file, workdir, con)
        limits.check_columns(len(staged.names), file)
        _check_columns(column_types, staged.names)
        table = _analyse(file, staged, workdir, con, column_types or {}, limits)
        con.close()
        return table
    except duckdb.Error as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        message = str(exc).strip().splitlines()[0]
        raise ReadError(f"cannot read the file ({message})", file=file, hint=_HINT) from None
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


def _check_columns(column_types: Mapping[str, str] | None, names: Sequence[str]) -> None:
    unknown = set(column_types or {}) - set(names)
    if unknown:
        raise ValidationError(
            f"column_types names unknown column(s): {', '.join(sorted(unknown))}",
            hint=f"Columns are: {', '.join(names)}.",
        )


def _first_readable(
    con: duckdb.DuckDBPyConnection,
    file: Path,
    staged: Staged,
    column_types: Mapping[str, str],
    limits: ReadLimits,
) -> tuple[Source, Analysis]:
    """The first of the staged readers that reads every row, and its column analysis."""
    error = ""
    for source in staged.attempts:
        try:
            analysis = analyse_columns(
                con,
                staged.names,
                staged.sources,
                source.sql(),
                column_types,
                count_undecodable=staged.undecodable_bytes > 0,
                sample_rows=staged.sample_rows,
            )
        except duckdb.Error as exc:
            too_long = limits.line_error(str(exc), file)
            if too_long is not None:
                raise too_long from None
            error = str(exc).strip().splitlines()[0]
            continue
        return source, analysis
    raise ReadError(
        f"cannot parse as delimited text with delimiter {staged.delimiter!r}: {error}",
        file=file,
        hint=_HINT,
    )


def _check_cells(
    con: duckdb.DuckDBPyConnection,
    file: Path,
    staged: Staged,
    source: Source,
    analysis: Analysis,
    limits: ReadLimits,
) -> None:
    """Refuse a cell longer than ``limits.max_cell_chars``, naming its row and column (the
    analysis found each column's longest cell; the first row past the limit is looked up
    only then)."""
    for i, longest in enumerate(analysis.longest):
        if longest <= limits.max_cell_chars:
            continue
        view = normalized_view(staged.sources, source.sql(), row_number=True, only=[i])
        found = con.execute(
            f"SELECT data_row, length({raw(i)}) FROM {view} "
            f"WHERE length({raw(i)}) > {int(limits.max_cell_chars)} ORDER BY data_row LIMIT 1"
        ).fetchone()
        row, length = found if found else (None, longest)
        raise ReadError(
            f"a cell holds {length:,} characters; at most {limits.max_cell_chars:,} are accepted",
            file=file,
            row=row,
            column=staged.names[i],
            hint="Check the quotes around that cell (an unclosed quote swallows the lines "
            "after it), publish long texts as documents rather than cells, or raise the "
            "read_max_cell_chars setting.",
        )


def _analyse(
    file: Path,
    staged: Staged,
    workdir: Path,
    con: duckdb.DuckDBPyConnection,
    column_types: Mapping[str, str],
    limits: ReadLimits,
) -> Table:
    source, analysis = _first_readable(con, file, staged, column_types, limits)
    _check_cells(con, file, staged, source, analysis, limits)
    plans = analysis.plans
    problems = find_problems(
        con,
        plans,
        staged.sources,
        source.sql(),
        undecodable=analysis.undecodable,
        encoding=staged.encoding,
    )
    ragged = find_ragged(con, source, staged.names)
    if ragged.rows:
        problems = sorted([*problems, *ragged.problems], key=lambda p: p.row or 0)
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
    for name, messages in staged.field_notes.items():
        notes.extend(Note("header-cleaned", message, column=name) for message in messages)
    fields = []
    for plan in plans:
        field_notes = staged.field_notes.get(plan.name, []) + [n.message for n in plan.notes]
        fields.append(Field(name=plan.name, type=plan.type, notes=field_notes))
        notes.extend(plan.notes)
    return Table(
        file,
        format=staged.format,
        encoding=staged.encoding,
        delimiter=staged.delimiter,
        header_row=staged.header_row,
        fields=fields,
        rows=analysis.rows,
        select_sql=output_select(plans, source),
        notes=notes,
        problems=problems,
        ragged_rows=ragged.rows,
        unlisted_problems=ragged.rows - len(ragged.problems),
        workdir=workdir,
    )
