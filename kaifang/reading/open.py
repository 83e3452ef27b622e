"""``open_table``: PROVISIONAL minimal reader (UTF-8 CSV with a header row), to be replaced by
the full reader (encodings, dialects, header detection, ROC dates, XLSX/ODS/JSON)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from kaifang.errors import NotTabularError, ReadError
from kaifang.reading.model import Field
from kaifang.reading.table import Table
from kaifang.sqlutil import quote_ident, quote_literal


def open_table(path: str | Path, *, sheet: str | None = None) -> Table:
    """Open ``path`` and analyse it; see :mod:`kaifang.reading.table` for the contract."""
    file = Path(path)
    if not file.is_file():
        raise ReadError("file not found", file=file, hint="Check the path.")
    if file.stat().st_size == 0:
        raise NotTabularError("the file is empty", file=file)
    con = duckdb.connect()
    source = (
        f"read_csv({quote_literal(str(file))}, header=true, all_varchar=true, "
        "auto_detect=true, sample_size=-1)"
    )
    try:
        names = [d[0] for d in con.sql(f"SELECT * FROM {source} LIMIT 0").description]
        rows = con.execute(f"SELECT count(*) FROM {source}").fetchone()
    except duckdb.Error as exc:
        raise NotTabularError(f"not a readable CSV file ({exc})", file=file) from None
    fields = [Field(name=n) for n in names]
    select = ", ".join(quote_ident(n) for n in names)
    return Table(
        file,
        format="csv",
        encoding="utf-8",
        delimiter=",",
        header_row=1,
        fields=fields,
        rows=int(rows[0]) if rows else 0,
        select_sql=f"SELECT {select} FROM {source}",
    )
