"""JSON files holding an array of objects (one object per row); DuckDB streams them."""

from __future__ import annotations

from pathlib import Path

import duckdb

from kaifang.errors import NotTabularError
from kaifang.reading.staged import Source, Staged
from kaifang.sqlutil import quote_ident, quote_literal

_NESTED_PREFIXES = ("STRUCT", "MAP", "UNION", "JSON")


def stage_json(path: Path, workdir: Path, con: duckdb.DuckDBPyConnection) -> Staged:
    source = f"read_json({quote_literal(str(path))}, format='array', records=true)"
    try:
        described = con.sql(f"DESCRIBE SELECT * FROM {source}").fetchall()
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        raise NotTabularError(
            f"not a JSON array of objects ({message})",
            file=path,
            hint='kaifang reads JSON of the form [{"column": value, ...}, ...].',
        ) from None
    names = [str(row[0]) for row in described]
    if names == ["json"]:
        raise NotTabularError("the JSON array does not hold objects", file=path)
    selects = []
    for i, (name, type_name, *_rest) in enumerate(described):
        column = quote_ident(str(name))
        scalar = "[" not in str(type_name) and not str(type_name).startswith(_NESTED_PREFIXES)
        if scalar:
            selects.append(f"CAST({column} AS VARCHAR) AS c{i}")
        else:
            selects.append(f"CAST(to_json({column}) AS VARCHAR) AS c{i}")
    parquet = workdir / "staged.parquet"
    con.execute(
        f"COPY (SELECT {', '.join(selects)} FROM {source}) TO {quote_literal(str(parquet))} "
        "(FORMAT parquet)"
    )
    return Staged(
        attempts=iter([Source(parquet, len(names), "parquet")]),
        names=names,
        format="json",
        encoding="utf-8",
        header_row=None,
    )
