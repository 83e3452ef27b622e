"""Factories for storage tests: small stores and record batch readers."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pytest

from kaifang.settings import Settings
from kaifang.storage import VersionStore


def make_table(rows: int, *, start: int = 0, days: int = 3) -> pa.Table:
    numbers = pa.array(range(start, start + rows), pa.int64())
    return pa.table(
        {
            "day": pa.array([f"2024-01-{(n % days) + 1:02d}" for n in range(start, start + rows)]),
            "n": numbers,
            "label": pa.array([f"站{n % 7}" for n in range(start, start + rows)]),
        }
    )


def reader_of(table: pa.Table, *, batch_rows: int = 1_000) -> pa.RecordBatchReader:
    return pa.RecordBatchReader.from_batches(
        table.schema, table.to_batches(max_chunksize=batch_rows)
    )


def batches_of(table: pa.Table, *, batch_rows: int = 1_000) -> Iterator[pa.RecordBatch]:
    yield from table.to_batches(max_chunksize=batch_rows)


@pytest.fixture
def store(settings: Settings) -> VersionStore:
    return VersionStore(settings, row_group_rows=1_000, rows_per_file=4_000)
