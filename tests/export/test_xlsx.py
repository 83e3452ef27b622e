"""XLSX downloads: typed cells (real Excel dates, numbers, text codes), read back by openpyxl
and by python-calamine (the reader kaifang itself uses for spreadsheets)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import duckdb
import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from kaifang.export import stream_rows

TYPED = """
    SELECT * FROM (VALUES
        ('007', DATE '2024-02-29', TIMESTAMP '2024-03-25 08:05:00', TIME '23:59:30', 42, TRUE),
        ('0100', DATE '1899-01-01', TIMESTAMP '2024-03-25 08:05:00.25', NULL, -1, FALSE)
    ) t(code, day, moment, clock, n, flag)
"""


def xlsx(sql: str) -> bytes:
    con = duckdb.connect()
    try:
        return b"".join(stream_rows(con.sql(sql), "xlsx"))
    finally:
        con.close()


def test_dates_and_timestamps_are_excel_dates_with_a_number_format() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx(TYPED))).active
    assert sheet is not None
    first, second = sheet.iter_rows(min_row=2)
    code, day, moment, clock, n, flag = first
    assert (code.value, code.data_type) == ("007", "s")  # codes keep their leading zeros
    assert (day.value, day.number_format) == (dt.datetime(2024, 2, 29), "yyyy-mm-dd")
    assert (moment.value, moment.number_format) == (
        dt.datetime(2024, 3, 25, 8, 5),
        "yyyy-mm-dd hh:mm:ss",
    )
    assert (clock.value, clock.number_format) == (dt.time(23, 59, 30), "hh:mm:ss")
    assert (n.value, n.data_type) == (42, "n")
    assert (flag.value, flag.data_type) == (True, "b")
    # Excel has no date before 1900-03-01: the ISO text is kept instead of a wrong day
    assert second[1].value == "1899-01-01"
    assert second[2].value == dt.datetime(2024, 3, 25, 8, 5, 0, 250000)
    assert second[3].value is None


def test_calamine_reads_the_same_typed_cells() -> None:
    rows = CalamineWorkbook.from_filelike(io.BytesIO(xlsx(TYPED))).get_sheet_by_index(0)
    header, first, _second = rows.to_python()
    assert header == ["code", "day", "moment", "clock", "n", "flag"]
    assert first == [
        "007",
        dt.date(2024, 2, 29),
        dt.datetime(2024, 3, 25, 8, 5),
        dt.time(23, 59, 30),
        42,
        True,
    ]


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x")',
        "a & b < c",
        "tab\there",
        "_x0041_ stays",
        "bell\x07",
        " pad ",
        "one\x01two",  # the row-number mark is escaped in text
    ],
)
def test_text_comes_back_exactly(text: str) -> None:
    sql = f"SELECT {duckdb_literal(text)} AS t"
    cell = CalamineWorkbook.from_filelike(io.BytesIO(xlsx(sql))).get_sheet_by_index(0)
    assert cell.to_python()[1] == [text]


def duckdb_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def test_the_header_is_frozen_and_the_workbook_is_a_valid_package() -> None:
    data = xlsx(TYPED)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert '<row r="3"><c r="A3" t="inlineStr">' in sheet_xml  # every cell has its reference
    assert 'r="D3"' not in sheet_xml  # a NULL is no cell at all
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None and sheet.freeze_panes == "A2"


def test_no_columns_and_no_rows_are_still_workbooks() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx(TYPED + " WHERE n > 99"))).active
    assert sheet is not None
    assert [c.value for c in next(sheet.iter_rows())] == [
        "code", "day", "moment", "clock", "n", "flag",
    ]  # fmt: skip
    assert sheet.max_row == 1
