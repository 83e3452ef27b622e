"""XLSX downloads of 288,000 rows (one day of M03A on the whole network): kaifang's writer
against openpyxl's write-only mode and xlsxwriter's constant-memory mode (kaifang's writer
before issue 18), same rows, same run; then the other download formats for scale.

    python benchmarks/bench_exports.py
    python benchmarks/bench_exports.py --rows 50000        # quick check

The rows are generated in DuckDB with M03A's columns (TimeInterval timestamp, GantryID and
Direction text codes, VehicleType and Volume integers) plus a date and a double. Every
writer gets the same typed values: the peers get Python rows read from the same Arrow
batches (the time to make those rows is counted, as a server would have to). Each writer's
workbook is read back with python-calamine to check that it has every row. Prints JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

import duckdb
from python_calamine import CalamineWorkbook

from kaifang.export import stream_rows

M03A_DAY = """
    SELECT TIMESTAMP '2024-03-25 00:00:00' + INTERVAL (5 * (i % 288)) MINUTE AS TimeInterval,
           printf('%02dF%04d%s', i // 288 % 50, (i // 14400) % 1000, ['N', 'S'][1 + i % 2])
               AS GantryID,
           ['N', 'S'][1 + i % 2] AS Direction,
           [31, 32, 41, 42, 5][1 + i % 5] AS VehicleType,
           (hash(i) % 500)::INTEGER AS Volume,
           DATE '2024-03-25' AS Date,
           round((hash(i) % 12000) / 100.0, 2)::DOUBLE AS Speed
    FROM range({rows}) t(i)
"""


def python_rows(rel: duckdb.DuckDBPyRelation) -> Iterator[list[Any]]:
    for batch in rel.to_arrow_reader(50_000):
        yield from (list(row) for row in zip(*(c.to_pylist() for c in batch.columns), strict=True))


def kaifang_xlsx(rel: duckdb.DuckDBPyRelation) -> bytes:
    return b"".join(stream_rows(rel, "xlsx"))


def openpyxl_write_only(rel: duckdb.DuckDBPyRelation) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append(rel.columns)
    for row in python_rows(rel):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsxwriter_constant_memory(rel: duckdb.DuckDBPyRelation) -> bytes:
    import xlsxwriter

    with tempfile.TemporaryFile() as tmp:
        workbook = xlsxwriter.Workbook(tmp, {"constant_memory": True})
        sheet = workbook.add_worksheet("data")
        stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        sheet.write_row(0, 0, rel.columns)
        for number, row in enumerate(python_rows(rel), start=1):
            sheet.write_row(number, 0, row)
            sheet.write_datetime(number, 0, row[0], stamp)
        workbook.close()
        tmp.seek(0)
        return tmp.read()


def timed(write: Callable[[duckdb.DuckDBPyRelation], bytes], rel: duckdb.DuckDBPyRelation) -> Any:
    start = time.perf_counter()
    data = write(rel)
    seconds = time.perf_counter() - start
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    return {"seconds": round(seconds, 2), "bytes": len(data), "rows_read_back": sheet.height - 1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=288_000)
    args = parser.parse_args()
    con = duckdb.connect(config={"threads": 1})
    con.execute(f"CREATE TABLE day AS {M03A_DAY.format(rows=args.rows)}")
    rel = con.table("day")
    report: dict[str, Any] = {"rows": args.rows, "xlsx": {}, "other_formats_seconds": {}}
    for name, write in (
        ("kaifang", kaifang_xlsx),
        ("openpyxl write-only", openpyxl_write_only),
        ("xlsxwriter constant_memory", xlsxwriter_constant_memory),
    ):
        report["xlsx"][name] = timed(write, rel)
    for fmt in ("csv", "json", "xml", "parquet"):
        start = time.perf_counter()
        size = sum(len(chunk) for chunk in stream_rows(rel, fmt))
        report["other_formats_seconds"][fmt] = [round(time.perf_counter() - start, 2), size]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
