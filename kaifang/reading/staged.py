"""What every format's reader hands to inference: ways to read the rows as text columns
``c0, c1, ...`` in SQL, plus what was learnt while reading (encoding, dialect, header)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from kaifang.reading.model import Note


@dataclass
class Staged:
    """``attempts`` yields SQL table expressions to try in order (a stricter, faster reader
    first); the first that reads every row is used. Each holds VARCHAR columns
    :attr:`sources` in file order."""

    attempts: Iterator[str]
    names: list[str]
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None
    undecodable_bytes: int = 0
    notes: list[Note] = field(default_factory=list)
    field_notes: dict[str, list[str]] = field(default_factory=dict)

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
