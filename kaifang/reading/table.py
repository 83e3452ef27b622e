"""The table handle that ``open_table`` returns.

Contract (relied on by privacy, storage and publish):

- ``open_table(path, ...)`` analyses the whole file once (sniffing, header detection, type
  inference over every value), so ``fields``, ``rows``, ``notes`` and ``problems`` are complete
  when it returns. It may stage intermediate files in a private temporary folder.
- ``relation(con)`` gives the typed, normalized rows as a DuckDB relation on ``con`` (cells that
  failed their column's type are NULL and listed in ``problems``).
- ``batches()`` streams the same rows as Arrow record batches; memory stays bounded.
- ``close()`` (or leaving the ``with`` block) removes the staged files.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa

from kaifang.reading.model import Field, Note, Problem


class Table:
    def __init__(
        self,
        file: Path,
        *,
        format: str,
        encoding: str | None,
        delimiter: str | None,
        header_row: int | None,
        fields: list[Field],
        rows: int,
        select_sql: str,
        notes: list[Note] | None = None,
        problems: list[Problem] | None = None,
        ragged_rows: int = 0,
        unlisted_problems: int = 0,
        workdir: Path | None = None,
    ) -> None:
        self.file = file
        self.format = format
        self.encoding = encoding
        self.delimiter = delimiter
        self.header_row = header_row
        self.fields = fields
        self.rows = rows
        self.notes = notes or []
        self.problems = problems or []
        # Rows with more or fewer cells than the header (each an extra-/missing-cells problem;
        # past the first MAX_RAGGED_PROBLEMS they are counted, not listed).
        self.ragged_rows = ragged_rows
        self._unlisted = unlisted_problems
        self._select_sql = select_sql
        self._workdir = workdir

    # -- data -----------------------------------------------------------------------------
    def relation(self, con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
        """The typed rows, as a relation on ``con``."""
        return con.sql(self._select_sql)

    def batches(self, batch_rows: int = 65_536) -> pa.RecordBatchReader:
        """The typed rows as a stream of Arrow batches (memory stays bounded)."""
        con = duckdb.connect(config={"memory_limit": "512MB", "preserve_insertion_order": "true"})
        reader: pa.RecordBatchReader = self.relation(con).to_arrow_reader(batch_rows)
        return reader

    @property
    def problem_count(self) -> int:
        """Every problem found, listed or not."""
        return len(self.problems) + self._unlisted

    # -- description ----------------------------------------------------------------------
    def table_schema(self) -> dict[str, Any]:
        return {"fields": [f.to_schema() for f in self.fields]}

    def report(self, preview: int = 5) -> dict[str, Any]:
        """The ``kaifang inspect --json`` object."""
        con = duckdb.connect(config={"memory_limit": "512MB"})
        rel = self.relation(con).limit(preview) if preview > 0 else None
        preview_rows = [
            [_jsonable(v) for v in row] for row in (rel.fetchall() if rel is not None else [])
        ]
        return {
            "file": str(self.file),
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "header_row": self.header_row,
            "rows": self.rows,
            "columns": [{"name": f.name, "type": f.type, "notes": f.notes} for f in self.fields],
            "notes": [n.to_dict() for n in self.notes],
            "problem_count": self.problem_count,
            "ragged_rows": self.ragged_rows,
            "problems": [p.to_dict() for p in self.problems],
            "preview": preview_rows,
        }

    # -- lifecycle ------------------------------------------------------------------------
    def close(self) -> None:
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def __enter__(self) -> Table:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def new_workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="kaifang-read-"))
