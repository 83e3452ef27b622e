from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table as OdfTable
from odf.table import TableCell, TableRow
from odf.text import P

from kaifang.errors import NotTabularError, ReadError
from kaifang.reading import Table, open_table
from tests.reading.conftest import rows_of, types_of


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    workbook = openpyxl.Workbook()
    first = True
    for name, rows in sheets.items():
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        sheet.title = name
        first = False
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def write_ods(path: Path, rows: list[list[str]]) -> None:
    document = OpenDocumentSpreadsheet()
    table = OdfTable(name="第一頁")
    for cells in rows:
        row = TableRow()
        for value in cells:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(path))


XLSX_ROWS: list[list[object]] = [
    ["114學年度國民小學名錄", None, None, None],
    [None, None, None, None],
    ["代碼", "學校名稱", "學生數", "成立日期"],
    ["011601", "育才國小", 532, dt.date(1950, 8, 1)],
    ["011602", "林口國小", 1200, dt.date(1903, 4, 1)],
]


def test_xlsx_first_sheet_with_title_rows(tmp_path: Path) -> None:
    path = tmp_path / "schools.xlsx"
    write_xlsx(path, {"名錄": XLSX_ROWS, "說明": [["note"], ["x"]]})
    with open_table(path) as table:
        assert table.format == "xlsx"
        assert table.header_row == 3
        assert types_of(table) == {
            "代碼": "string",
            "學校名稱": "string",
            "學生數": "integer",
            "成立日期": "date",
        }
        assert rows_of(table)[0] == ("011601", "育才國小", 532, dt.date(1950, 8, 1))
        assert any(n.code == "other-sheets" for n in table.notes)


def test_xlsx_named_sheet(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    write_xlsx(path, {"a": XLSX_ROWS, "b": [["name", "n"], ["x", 1], ["y", 2]]})
    with open_table(path, sheet="b") as table:
        assert rows_of(table) == [("x", 1), ("y", 2)]
    with pytest.raises(ReadError, match="no sheet named 'c'") as raised:
        open_table(path, sheet="c")
    assert raised.value.hint == "Valid sheets: a, b."


def test_ods(tmp_path: Path) -> None:
    path = tmp_path / "t.ods"
    write_ods(path, [["編號", "發生日期"], ["1", "1040101"], ["2", "1120209"]])
    with open_table(path) as table:
        assert table.format == "ods"
        assert types_of(table) == {"編號": "integer", "發生日期": "date"}
        assert rows_of(table)[1] == (2, dt.date(2023, 2, 9))


def test_json_array_of_objects(read: Callable[..., Table]) -> None:
    records = [
        {"code": "011601", "name": "育才", "n": 5, "day": "105/05/14", "tags": ["a"]},
        {"code": "011602", "name": "林口", "n": 7, "day": "105/05/15", "tags": []},
    ]
    table = read(json.dumps(records, ensure_ascii=False), name="t.json")
    assert table.format == "json"
    assert types_of(table) == {
        "code": "string",
        "name": "string",
        "n": "integer",
        "day": "date",
        "tags": "string",
    }
    assert rows_of(table)[0] == ("011601", "育才", 5, dt.date(2016, 5, 14), '["a"]')


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (bytes(range(256)) * 8, "binary"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 50, "does not look like text"),
        (b"   \n\n  ", "blank"),
        (b"PK\x03\x04junk", "ZIP"),
        (b"[1, 2, 3]", "objects"),
    ],
)
def test_not_tabular(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "input.bin"
    path.write_bytes(data)
    with pytest.raises(NotTabularError, match=message) as raised:
        open_table(path)
    assert "input.bin" in raised.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="file not found"):
        open_table(tmp_path / "nope.csv")
