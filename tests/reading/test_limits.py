"""The reader's bounds: columns, line and cell length, and archives that expand too far,
each refused with an error naming the file (and row or line) and the setting to change."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from kaifang.errors import ReadError
from kaifang.reading import open_table
from kaifang.reading.limits import DEFAULT_LIMITS, ReadLimits
from kaifang.settings import Settings

SMALL = dataclasses.replace(DEFAULT_LIMITS, max_columns=10, max_line_bytes=1024, max_cell_chars=100)


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("data")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return path


def test_defaults_are_the_settings_defaults() -> None:
    assert ReadLimits.from_settings(Settings()) == DEFAULT_LIMITS
    assert DEFAULT_LIMITS.max_columns == 2_000


@pytest.mark.parametrize("width", [10, 11])
def test_columns_past_the_limit_are_refused(tmp_path: Path, width: int) -> None:
    path = tmp_path / "wide.csv"
    header = ",".join(f"name{i}" for i in range(width))
    path.write_text(header + "\n" + ",".join(str(i) for i in range(width)) + "\n")
    if width <= SMALL.max_columns:
        with open_table(path, limits=SMALL) as table:
            assert len(table.fields) == width
        return
    with pytest.raises(ReadError) as caught:
        open_table(path, limits=SMALL)
    assert "11 columns; at most 10" in caught.value.message
    assert "wide.csv" in caught.value.message
    assert "read_max_columns" in (caught.value.hint or "")


def test_a_line_past_the_limit_is_refused_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("a,b\n1,2\n3," + "x" * 3000 + "\n5,6\n")
    with pytest.raises(ReadError) as caught:
        open_table(path, limits=SMALL)
    assert "is longer than 1 KB" in caught.value.message
    assert "line 3" in caught.value.message
    assert "read_max_line_kb" in (caught.value.hint or "")


def test_a_spreadsheet_cell_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "cells.xlsx", [["name", "note"], ["a", "y" * 150]])
    with pytest.raises(ReadError) as caught:
        open_table(path, limits=SMALL)
    assert caught.value.row == 2
    assert "150 characters; at most 100" in caught.value.message


def test_a_wide_spreadsheet_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "wide.xlsx", [[f"c{i}" for i in range(12)]])
    with pytest.raises(ReadError, match="12 columns; at most 10"):
        open_table(path, limits=SMALL)


def test_a_workbook_that_expands_too_far_is_refused_before_expanding(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bomb.xlsx", [["name"], ["a"]])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.xml", b" " * (64 * 2**20))
    assert path.stat().st_size < 2**20
    started = time.monotonic()
    with pytest.raises(ReadError) as caught:
        open_table(path)
    assert time.monotonic() - started < 1.0, "the archive was expanded before the check"
    assert "times its size; at most 100 times" in caught.value.message
    assert "read_max_expansion_ratio" in (caught.value.hint or "")
    smaller = dataclasses.replace(DEFAULT_LIMITS, max_expanded_bytes=2**20)
    with pytest.raises(ReadError, match="expands to 64 MB or more; at most 1 MB"):
        open_table(path, limits=smaller)


def test_a_tar_member_past_the_limits_is_refused_before_extraction(tmp_path: Path) -> None:
    path = tmp_path / "day.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        data = b"0" * (32 * 2**20)
        info = tarfile.TarInfo("M03A/big.csv")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with tarfile.open(path, "r|gz") as tar, pytest.raises(ReadError, match="times its size"):
        for _member in DEFAULT_LIMITS.checked_tar(tar, path):
            pytest.fail("the member was handed out before the check")


@pytest.mark.parametrize("rows", [5, 12_000], ids=["sample-only", "full-pass"])
def test_a_csv_cell_past_the_limit_is_refused_with_row_and_column(
    tmp_path: Path, rows: int
) -> None:
    """A generated cell of 40,000 characters (under the line limit, over the default cell
    limit of 32,767) late in the file: refused, naming the file, row and column."""
    path = tmp_path / "cells.csv"
    bad_row = rows - 2
    with path.open("w", encoding="utf-8") as out:
        out.write("id,note,city\n")
        for row in range(1, rows + 1):
            note = "長" * 40_000 if row == bad_row else f"note {row}"
            out.write(f'{row},"{note}",Taipei\n')
    with pytest.raises(ReadError) as caught:
        open_table(path)
    error = caught.value
    assert (error.row, error.column) == (bad_row, "note")
    assert "40,000 characters; at most 32,767" in error.message
    assert f"file cells.csv, row {bad_row}, column 'note'" in error.message
    assert "read_max_cell_chars" in (error.hint or "")


def test_a_generated_huge_csv_line_is_refused_with_its_number(tmp_path: Path) -> None:
    """A 3 MB line (an unclosed quote, say) at the default 1 MB line limit."""
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("id,note\n1,short\n2,short\n")
        out.write("3," + "x" * (3 * 1024 * 1024) + "\n4,short\n")
    with pytest.raises(ReadError) as caught:
        open_table(path)
    assert "line 4 is longer than 1,024 KB" in caught.value.message
    assert "huge.csv" in caught.value.message


MEASURE = """
import resource, sys
from kaifang.reading import open_table
with open_table(sys.argv[1]) as table:
    assert len(table.fields) == int(sys.argv[2])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""
PER_COLUMN_BYTES = 128 * 1024
"""What one more column may add to a file read's peak memory (measured: about 15 KB)."""


def _peak_of_reading(tmp_path: Path, width: int) -> int:
    path = tmp_path / f"wide-{width}.csv"
    lines = [",".join(f"column{i}" for i in range(width))]
    lines += [",".join(str(row * i) for i in range(width)) for row in range(20)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), str(width)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(proc.stdout.split()[-1])


def test_memory_per_file_read_grows_by_a_small_constant_per_column(tmp_path: Path) -> None:
    """Peak memory of reading a 40-column and a 400-column file (each in a fresh process):
    the difference per column stays under PER_COLUMN_BYTES, so the 2,000 columns the
    limit allows cost a few tens of MB, not the GBs issue 17 saw before column limits."""
    narrow, wide = _peak_of_reading(tmp_path, 40), _peak_of_reading(tmp_path, 400)
    assert (wide - narrow) / 360 < PER_COLUMN_BYTES, (narrow, wide)
