"""XLSX downloads written as the sheet's XML by DuckDB, a batch at a time, and zipped as they
stream: no per-cell Python (xlsxwriter took 47 s for 288,000 rows; see docs/benchmarks.md).

Cells keep their types: numbers are numbers, dates, times and timestamps are Excel serial
numbers with a number format (``yyyy-mm-dd``, ``hh:mm:ss``, ``yyyy-mm-dd hh:mm:ss``; dates
before 1900-03-01, which Excel cannot show, stay ISO text), booleans are booleans, and text
(codes with leading zeros included) is an inline string. An inline string is never run as a
formula, so text is written exactly as published: no apostrophe in front of ``=1+1``.
Nested values are JSON text. Excel shows at most 1,048,576 rows: the rest is left out.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

import duckdb
from duckdb.sqltypes import DuckDBPyType

from kaifang.export.values import text_sql
from kaifang.sqlutil import quote_ident

BATCH_ROWS = 50_000
XLSX_MAX_ROWS = 1_048_575  # one row is the header
MAX_CELL_CHARS = 32_767  # Excel's limit on one cell's text

# styles: 0 default, 1 date, 2 timestamp, 3 time, 4 header (bold)
_DATE, _TIMESTAMP, _TIME = 1, 2, 3
_NUMBERS = {
    "tinyint", "smallint", "integer", "bigint", "hugeint", "utinyint", "usmallint",
    "uinteger", "ubigint", "uhugeint", "decimal",
}  # fmt: skip
_FLOATS = {"float", "double"}
_CONTROL = "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>'
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/>'
    '<numFmt numFmtId="166" formatCode="hh:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"


def _plain(expr: str) -> str:
    text = f"left({expr}, {MAX_CELL_CHARS})"
    text = f"regexp_replace({text}, '_(x[0-9A-Fa-f]{{4}})_', '_x005F_\\1_', 'g')"
    return f"replace(replace(replace({text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


def _escape_text(expr: str) -> str:
    """SQL: ``expr`` (VARCHAR) as the character data of an inline string. XML 1.0 has no
    control characters and Excel reads ``_xHHHH_`` as an escape: both are written the way
    Excel itself escapes them, so the cell shows the published text."""
    plain = _plain(expr)
    escaped = plain
    for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]:
        escaped = f"replace({escaped}, chr({code}), '_x{code:04X}_')"
    return f"CASE WHEN regexp_matches({expr}, '{_CONTROL}') THEN {escaped} ELSE {plain} END"


ROW_MARK = "\x01"
"""Stands for the row number in the cell references DuckDB writes (``r="B\\x01"``); Python
puts the number in, one ``str.replace`` a row. Text never holds it: control characters in
text are written as ``_x0001_``."""


def column_letters(index: int) -> str:
    """``A`` for column 0, ... ``Z``, ``AA``... (Excel's column names)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_sql(name: str, dtype: DuckDBPyType, index: int) -> str:
    """SQL writing column ``name`` (the ``index``-th) as one ``<c>`` element with its cell
    reference; nothing for NULL."""
    col = quote_ident(name)
    kind = str(dtype.id)
    ref = f"{column_letters(index)}{ROW_MARK}"

    def number(value: str, style: int = 0) -> str:
        attr = f' s="{style}"' if style else ""
        return f"'<c r=\"{ref}\"{attr}><v>' || CAST({value} AS VARCHAR) || '</v></c>'"

    def inline(expr: str) -> str:
        start = f'\'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">\''
        return f"{start} || {_escape_text(expr)} || '</t></is></c>'"

    if kind in _NUMBERS:
        cell = number(col)
    elif kind in _FLOATS:
        cell = f"CASE WHEN isfinite({col}) THEN {number(col)} ELSE '' END"
    elif kind == "boolean":
        value = f"CASE WHEN {col} THEN '1' ELSE '0' END"
        cell = f"'<c r=\"{ref}\" t=\"b\"><v>' || {value} || '</v></c>'"
    elif kind == "date":
        serial = f"({col} - DATE '1899-12-30')"
        cell = (
            f"CASE WHEN {col} >= DATE '1900-03-01' AND {col} < DATE '10000-01-01' "
            f"THEN {number(serial, _DATE)} ELSE {inline(f'CAST({col} AS VARCHAR)')} END"
        )
    elif kind.startswith("timestamp"):
        serial = f"(epoch_us({col}) / 86400000000.0 + 25569)"
        cell = (
            f"CASE WHEN {serial} >= 61 AND {serial} < 2958466 "
            f"THEN {number(serial, _TIMESTAMP)} ELSE {inline(text_sql(col, dtype))} END"
        )
    elif kind == "time":
        cell = number(f"(epoch({col}) / 86400.0)", _TIME)
    else:
        cell = inline(text_sql(col, dtype) if kind != "varchar" else col)
    return f"CASE WHEN {col} IS NULL THEN '' ELSE {cell} END"


def _header(columns: list[str]) -> str:
    cells = "".join(
        f'<c r="{column_letters(i)}1" t="inlineStr" s="4"><is><t xml:space="preserve">'
        + name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        + "</t></is></c>"
        for i, name in enumerate(columns)
    )
    return f'<row r="1">{cells}</row>'


class _Chunks:
    """A write-only, unseekable file for ``zipfile``: what is written is taken by ``take``."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def write_xlsx(rel: duckdb.DuckDBPyRelation) -> Iterator[bytes]:
    """The workbook, one sheet ``data`` with a frozen header row, as chunks of the zip."""
    columns = list(rel.columns)
    cells = " || ".join(
        cell_sql(name, dtype, i)
        for i, (name, dtype) in enumerate(zip(columns, rel.dtypes, strict=True))
    )
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for part, text in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/styles.xml", STYLES),
        ):
            zf.writestr(part, text)
        yield sink.take()
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write((SHEET_START + _header(columns)).encode())
            if columns:
                line_rel = rel.limit(XLSX_MAX_ROWS).project(f"{cells} AS line")
                number = 1
                for batch in line_rel.to_arrow_reader(BATCH_ROWS):
                    lines = batch.column(0).to_pylist()
                    body = "".join(
                        f'<row r="{n}">{line.replace(ROW_MARK, str(n))}</row>'
                        for n, line in enumerate(lines, start=number + 1)
                    )
                    number += len(lines)
                    sheet.write(body.encode())
                    yield sink.take()
            sheet.write(SHEET_END.encode())
    yield sink.take()
