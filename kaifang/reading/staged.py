"""What every format's reader hands to inference: ways to read the rows as text columns
``c0, c1, ...`` in SQL, plus what was learnt while reading (encoding, dialect, header)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from kaifang.reading.model import Note
from kaifang.sqlutil import quote_literal


@dataclass(frozen=True)
class Source:
    """A file DuckDB reads as columns ``c0, c1, ...``: delimited text read with explicit
    options (``skip`` lines first), or Parquet (workbooks and JSON, staged as text)."""

    path: Path
    width: int
    kind: str = "csv"
    skip: int = 0
    delimiter: str = ","
    options: str = ""
    max_line_size: int = 2 * 1024 * 1024

    @property
    def native_types(self) -> bool:
        """Whether DuckDB's reader itself can parse columns as typed values."""
        return self.kind == "csv"

    def sql(self, types: Mapping[str, str] | None = None) -> str:
        """The table expression; ``types`` maps column names to DuckDB types (else VARCHAR)."""
        if self.kind == "parquet":
            return f"read_parquet({quote_literal(str(self.path))})"
        types = types or {}
        columns = ", ".join(
            f"{quote_literal(f'c{i}')}: {quote_literal(types.get(f'c{i}', 'VARCHAR'))}"
            for i in range(self.width)
        )
        return (
            f"read_csv({quote_literal(str(self.path))}, header=false, auto_detect=false, "
            f"skip={self.skip}, delim={quote_literal(self.delimiter)}, quote='\"', "
            f"escape='\"', max_line_size={int(self.max_line_size)}, "
            f"columns={{{columns}}}{self.options})"
        )


@dataclass
class Staged:
    """``attempts`` yields sources to try in order (a stricter, faster reader first); the
    first that reads every row is used. Each holds VARCHAR columns :attr:`sources`."""

    attempts: Iterator[Source]
    names: list[str]
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None
    undecodable_bytes: int = 0
    notes: list[Note] = field(default_factory=list)
    field_notes: dict[str, list[str]] = field(default_factory=dict)
    sample_rows: list[list[str]] | None = None

    @property
    def sources(self) -> list[str]:
        return [f"c{i}" for i in range(len(self.names))]


def private_connection(workdir: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection whose memory is capped and which spills into ``workdir``."""
    spill = workdir / "spill"
    spill.mkdir(exist_ok=True)
    return duckdb.connect(
        config={
            "memory_limit": "512MB",
            "temp_directory": str(spill),
            "preserve_insertion_order": "true",
        }
    )
