"""Factories for storage tests: small stores and record batch readers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest

from kaifang.settings import Settings, load_settings
from kaifang.storage import VersionStore
from tests.storage.s3_server import ACCESS_KEY, REGION, SECRET_KEY, S3Server, running_s3_server


def make_table(rows: int, *, start: int = 0, days: int = 3) -> pa.Table:
    numbers = pa.array(range(start, start + rows), pa.int64())
    return pa.table(
        {
            "day": pa.array(
                [f"2024-01-{(n % days) + 1:02d}" for n in range(start, start + rows)], pa.string()
            ),
            "n": numbers,
            "label": pa.array([f"站{n % 7}" for n in range(start, start + rows)], pa.string()),
        }
    )


def reader_of(table: pa.Table, *, batch_rows: int = 1_000) -> pa.RecordBatchReader:
    return pa.RecordBatchReader.from_batches(
        table.schema, table.to_batches(max_chunksize=batch_rows)
    )


@pytest.fixture
def store(settings: Settings) -> VersionStore:
    return VersionStore(settings, row_group_rows=1_000, rows_per_file=4_000)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    log_path = tmp_path_factory.mktemp("s3") / "server.log"
    with running_s3_server(log_path) as server:
        yield server


@pytest.fixture
def s3_settings(s3_server: S3Server, tmp_path: Path) -> Settings:
    """Settings whose versions live in a fresh bucket of the real S3 test server."""
    bucket = f"kaifang-{uuid.uuid4().hex[:12]}"
    s3_server.create_bucket(bucket)
    return load_settings(
        {},
        data_dir=tmp_path / "data",
        storage_url=f"s3://{bucket}/tables",
        s3_endpoint=s3_server.endpoint,
        s3_access_key=ACCESS_KEY,
        s3_secret_key=SECRET_KEY,
        s3_region=REGION,
    )


@pytest.fixture
def s3_store(s3_settings: Settings) -> VersionStore:
    return VersionStore(s3_settings, row_group_rows=1_000, rows_per_file=4_000)
