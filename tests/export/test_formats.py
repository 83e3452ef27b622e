"""kaifang.export: each download format from a DuckDB relation, edge cases included."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest

from kaifang.export import FORMATS, stream_rows

TRICKY = """
    SELECT * FROM (VALUES
        (1, '=1+1', 'a & b < c > d', DATE '2024-02-29', 1.5::DOUBLE),
        (2, '+886', NULL, NULL, -2.0),
        (3, '-x', '"quoted", comma', DATE '2024-03-01', NULL),
        (4, '@cmd', '換行\n第二行', DATE '2024-03-02', 0.0),
        (5, '\tTAB', 'plain', DATE '2024-03-03', 3.25)
    ) t(n, text, note, day, amount)
"""


def export(fmt: str, sql: str = TRICKY, *, bom: bool = False) -> bytes:
    con = duckdb.connect()
    try:
        return b"".join(stream_rows(con.sql(sql), fmt, bom=bom))
    finally:
        con.close()


def test_csv_round_trips_and_escapes_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(export("csv").decode("utf-8"))))
    assert [r["text"] for r in rows] == ["'=1+1", "'+886", "'-x", "'@cmd", "'\tTAB"]
    assert [r["note"] for r in rows] == [
        "a & b < c > d", "", '"quoted", comma', "換行\n第二行", "plain",
    ]  # fmt: skip
    assert [r["amount"] for r in rows] == ["1.5", "-2", "", "0", "3.25"]


def test_csv_bom_and_empty_result_keeps_the_header() -> None:
    assert export("csv", bom=True).startswith(b"\xef\xbb\xbf")
    empty = export("csv", TRICKY + " WHERE n > 99").decode()
    assert empty.splitlines() == ['"n","text","note","day","amount"']


@pytest.mark.parametrize("fmt", ["json", "ndjson"])
def test_json_formats_keep_types_and_raw_text(fmt: str) -> None:
    payload = export(fmt).decode()
    rows = json.loads(payload) if fmt == "json" else [json.loads(x) for x in payload.splitlines()]
    assert rows[0] == {"n": 1, "text": "=1+1", "note": "a & b < c > d", "day": "2024-02-29",
                       "amount": 1.5}  # fmt: skip
    assert rows[1]["note"] is None and rows[3]["note"] == "換行\n第二行"


@pytest.mark.parametrize("fmt", ["json", "ndjson", "xml", "csv"])
def test_empty_results_are_valid_documents(fmt: str) -> None:
    payload = export(fmt, TRICKY + " WHERE n > 99").decode()
    if fmt == "json":
        assert json.loads(payload) == []
    elif fmt == "ndjson":
        assert payload == ""
    elif fmt == "xml":
        assert list(ET.fromstring(payload)) == []


def test_xml_escapes_text_and_marks_nulls() -> None:
    root = ET.fromstring(export("xml"))
    records = [{f.get("name"): (f.text, f.get("nil")) for f in r} for r in root]
    assert records[0]["note"] == ("a & b < c > d", None)
    assert records[1]["note"] == (None, "true")
    assert records[0]["text"] == ("=1+1", None)  # XML is not run by spreadsheets


def test_xml_names_with_markup_stay_well_formed() -> None:
    root = ET.fromstring(export("xml", 'SELECT 1 AS "a<b&""c"'))
    assert [f.get("name") for f in root[0]] == ['a<b&"c']


def test_parquet_keeps_types() -> None:
    table = pq.read_table(io.BytesIO(export("parquet")))
    assert table.column_names == ["n", "text", "note", "day", "amount"]
    assert table.column("text").to_pylist()[0] == "=1+1"
    assert str(table.schema.field("day").type) == "date32[day]"


def test_xlsx_text_is_written_as_published_and_never_as_a_formula() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(export("xlsx"))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=2))
    assert [r[1].value for r in rows] == ["=1+1", "+886", "-x", "@cmd", "\tTAB"]
    assert all(r[1].data_type == "s" for r in rows)  # strings: a spreadsheet runs none
    assert [r[4].value for r in rows] == [1.5, -2, None, 0, 3.25]
    assert all(r[4].data_type == "n" for r in rows if r[4].value is not None)


def test_every_format_is_registered_with_a_media_type() -> None:
    assert set(FORMATS) == {"csv", "json", "ndjson", "xml", "parquet", "xlsx"}
    assert FORMATS["csv"].media_type == "text/csv; charset=utf-8"


def test_xlsx_decimals_and_big_integers_stay_numbers() -> None:
    sql = "SELECT 12.50::DECIMAL(10, 2) AS price, 9007199254740993::HUGEINT AS big"
    sheet = openpyxl.load_workbook(io.BytesIO(export("xlsx", sql))).active
    assert sheet is not None
    price, big = next(sheet.iter_rows(min_row=2))
    assert (price.value, price.data_type) == (12.5, "n")
    assert big.data_type == "n"
