"""XLSX and ODS workbooks (python-calamine reads both), one sheet at a time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from python_calamine import CalamineWorkbook

from kaifang.errors import NotTabularError, ReadError
from kaifang.reading.dialect import Record
from kaifang.reading.header import guess_header
from kaifang.reading.limits import ReadLimits
from kaifang.reading.model import Note
from kaifang.reading.staged import Source, Staged


def cell_text(value: Any) -> str:
    """A cell as the text a CSV export would hold (ISO dates, integral floats without .0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def stage_spreadsheet(
    path: Path,
    workdir: Path,
    *,
    file_format: str,
    sheet: str | None,
    header: bool | None,
    column_names: list[str] | None,
    limits: ReadLimits,
) -> Staged:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own untyped errors
        raise NotTabularError(f"cannot open the workbook ({exc})", file=path) from None
    names = list(workbook.sheet_names)
    if not names:
        raise NotTabularError("the workbook has no sheets", file=path)
    chosen = sheet if sheet is not None else names[0]
    if chosen not in names:
        raise ReadError(
            f"no sheet named {chosen!r}",
            file=path,
            hint=f"Valid sheets: {', '.join(names)}.",
        )
    rows = []
    for number, row in enumerate(
        workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False), start=1
    ):
        limits.check_columns(len(row), path)
        cells = [cell_text(v) for v in row]
        for column, text in enumerate(cells):
            limits.check_cell(text, path, number, column)
        rows.append(cells)
    records = [Record(cells, i + 1, i + 1) for i, cells in enumerate(rows)]
    guess = guess_header(records[:2000], header=header, column_names=column_names)
    width = len(guess.names)
    data = rows[guess.skip_lines :]
    columns = {
        f"c{i}": pa.array([r[i] if i < len(r) and r[i] != "" else None for r in data], pa.string())
        for i in range(width)
    }
    parquet = workdir / "staged.parquet"
    pq.write_table(pa.table(columns), parquet)
    staged = Staged(
        attempts=iter([Source(parquet, width, "parquet")]),
        names=guess.names,
        format=file_format,
        header_row=guess.header_line,
        notes=guess.notes,
        field_notes=guess.field_notes,
    )
    if len(names) > 1:
        others = ", ".join(n for n in names if n != chosen)
        staged.notes.append(Note("other-sheets", f"read sheet {chosen!r}; other sheets: {others}"))
    return staged
