"""Stream a DuckDB relation in a download format without holding it in memory.

Columnar all the way: CSV through Arrow's writer, JSON lines through DuckDB's ``to_json``,
Parquet through Arrow's writer, XLSX as sheet XML written by DuckDB (:mod:`.xlsx`). Values
are spelled as :mod:`.values` says (ISO 8601 timestamps; nested values as JSON).
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from kaifang.export.values import spelled
from kaifang.export.xlsx import write_xlsx
from kaifang.sqlutil import quote_ident, quote_literal

BATCH_ROWS = 50_000
_FORMULA_START = "^[=+\\-@\t\r]"


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    extension: str
    write: Callable[[duckdb.DuckDBPyRelation, bool], Iterator[bytes]]


def escape_formulas(rel: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """Prefix text cells, and column names, that a spreadsheet would run as a formula with
    an apostrophe (the header row is a row of cells too)."""
    exprs = []
    for name, dtype in zip(rel.columns, rel.dtypes, strict=True):
        col = quote_ident(name)
        alias = quote_ident("'" + name if re.match(_FORMULA_START, name) else name)
        if str(dtype) == "VARCHAR":
            exprs.append(
                f"CASE WHEN regexp_matches({col}, '{_FORMULA_START}') "
                f"THEN '''' || {col} ELSE {col} END AS {alias}"
            )
        else:
            exprs.append(f"{col} AS {alias}")
    return rel.project(", ".join(exprs)) if exprs else rel


def _csv(rel: duckdb.DuckDBPyRelation, bom: bool) -> Iterator[bytes]:
    if bom:
        yield "\ufeff".encode()
    reader = escape_formulas(spelled(rel, flat=True)).to_arrow_reader(BATCH_ROWS)
    header = True
    for batch in reader:
        buf = io.BytesIO()
        pa_csv.write_csv(
            pa.Table.from_batches([batch]),
            buf,
            write_options=pa_csv.WriteOptions(include_header=header, quoting_style="needed"),
        )
        header = False
        yield buf.getvalue()
    if header:  # no rows: still write the header line
        buf = io.BytesIO()
        pa_csv.write_csv(pa.Table.from_batches([], schema=reader.schema), buf)
        yield buf.getvalue()


def _json_lines(rel: duckdb.DuckDBPyRelation) -> Iterator[str]:
    """One JSON object per row, serialized by DuckDB (vectorized)."""
    rel = spelled(rel, flat=False)
    cols = ", ".join(quote_ident(c) for c in rel.columns)
    line_rel = rel.project(f"to_json(struct_pack({cols}))::VARCHAR AS line") if cols else rel
    for batch in line_rel.to_arrow_reader(BATCH_ROWS):
        lines = batch.column(0).to_pylist()
        if lines:
            yield "\n".join(lines)


def _ndjson(rel: duckdb.DuckDBPyRelation, bom: bool) -> Iterator[bytes]:
    for chunk in _json_lines(rel):
        yield (chunk + "\n").encode()


def _json(rel: duckdb.DuckDBPyRelation, bom: bool) -> Iterator[bytes]:
    yield b"["
    first = True
    for chunk in _json_lines(rel):
        yield ((b"" if first else b",\n") + chunk.replace("\n", ",\n").encode())
        first = False
    yield b"]\n"


def _xml_text(expr: str) -> str:
    """SQL that escapes ``expr`` (cast to text) for XML character data."""
    return (
        f"replace(replace(replace(CAST({expr} AS VARCHAR), '&', '&amp;'), '<', '&lt;'), "
        "'>', '&gt;')"
    )


def _xml(rel: duckdb.DuckDBPyRelation, bom: bool) -> Iterator[bytes]:
    """``<records><record><field name="...">value</field>...</record></records>``; column
    names go in an attribute because Chinese or spaced names are not valid element names."""
    parts = []
    for name in rel.columns:
        attr = name.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        literal = quote_literal(f'<field name="{attr}"')
        parts.append(
            f"CASE WHEN {quote_ident(name)} IS NULL THEN {literal} || ' nil=\"true\"/>' "
            f"ELSE {literal} || '>' || {_xml_text(quote_ident(name))} || '</field>' END"
        )
    body = " || ".join(parts) if parts else "''"
    yield b'<?xml version="1.0" encoding="UTF-8"?>\n<records>\n'
    line_rel = spelled(rel, flat=True).project(f"'<record>' || {body} || '</record>' AS line")
    for batch in line_rel.to_arrow_reader(BATCH_ROWS):
        lines = batch.column(0).to_pylist()
        if lines:
            yield ("\n".join(lines) + "\n").encode()
    yield b"</records>\n"


def _parquet(rel: duckdb.DuckDBPyRelation, bom: bool) -> Iterator[bytes]:
    reader = rel.to_arrow_reader(BATCH_ROWS)
    with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as spool:
        with pq.ParquetWriter(spool, reader.schema, compression="zstd") as writer:
            for batch in reader:
                writer.write_batch(batch)
        spool.seek(0)
        while chunk := spool.read(1024 * 1024):
            yield chunk


def _xlsx(rel: duckdb.DuckDBPyRelation, bom: bool) -> Iterator[bytes]:
    return write_xlsx(rel)


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", "csv", _csv),
    "json": ExportFormat("json", "application/json", "json", _json),
    "ndjson": ExportFormat("ndjson", "application/x-ndjson", "ndjson", _ndjson),
    "xml": ExportFormat("xml", "application/xml", "xml", _xml),
    "parquet": ExportFormat("parquet", "application/vnd.apache.parquet", "parquet", _parquet),
    "xlsx": ExportFormat(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        _xlsx,
    ),
}


def stream_rows(rel: duckdb.DuckDBPyRelation, fmt: str, *, bom: bool = False) -> Iterator[bytes]:
    """The rows of ``rel`` in format ``fmt`` (a key of :data:`FORMATS`), chunk by chunk."""
    return FORMATS[fmt].write(rel, bom)
