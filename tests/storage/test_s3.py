"""VersionStore on a real S3-compatible server (moto.server over HTTP on 127.0.0.1)."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq
import pytest

from kaifang.errors import ConflictError, ValidationError
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.storage.conftest import make_table, reader_of
from tests.storage.crash_writer import run_crashing_writer


def write(store: VersionStore, version: int, table: pa.Table, **options: str | None) -> list[str]:
    with store.lock("theft"):
        stored = store.write_version(
            "theft", version, reader_of(table), {"title": "s3"}, partition_by=options.get("by")
        )
    return [entry.path for entry in stored.files]


def test_round_trip_through_the_object_store(s3_store: VersionStore, s3_settings: Settings) -> None:
    table = make_table(10_000)
    write(s3_store, 1, table, by="day")

    files = s3_store.version_files("theft", 1)
    bucket = s3_settings.storage_url.removeprefix("s3://").split("/")[0]
    assert all(uri.startswith(f"s3://{bucket}/tables/theft/v000001/day=") for uri in files)
    dataset = s3_store.dataset("theft", 1)
    assert duckdb.sql("SELECT count(*), sum(n) FROM dataset").fetchall() == [(10_000, 49_995_000)]
    assert dataset.to_table().sort_by("n").equals(table)
    manifest = s3_store.read_manifest("theft", 1)
    assert manifest["rows"] == 10_000
    assert manifest["title"] == "s3"


def test_open_input_streams_the_stored_bytes(s3_store: VersionStore) -> None:
    paths = write(s3_store, 1, make_table(3_000))
    with s3_store.open_input("theft", 1, paths[0]) as stream:
        data = stream.read()
    assert len(data) == s3_store.file_entries("theft", 1)[0].bytes
    assert pq.read_table(pa.BufferReader(data)).num_rows == 3_000


def test_a_version_without_manifest_does_not_exist(s3_store: VersionStore) -> None:
    write(s3_store, 1, make_table(100))
    leftover = s3_store.location.path("theft", "v000002", "part-7.parquet")
    with s3_store.location.filesystem.open_output_stream(leftover) as stream:
        stream.write(b"not yet a version")
    assert s3_store.list_versions("theft") == [1]
    assert (s3_store.has_version("theft", 1), s3_store.has_version("theft", 2)) == (True, False)

    write(s3_store, 2, make_table(50))  # a crashed attempt's objects are replaced

    assert s3_store.list_versions("theft") == [1, 2]
    assert s3_store.dataset("theft", 2).count_rows() == 50
    info = s3_store.location.filesystem.get_file_info(leftover)
    assert info.type == pafs.FileType.NotFound


def test_existing_version_is_a_conflict(s3_store: VersionStore) -> None:
    write(s3_store, 1, make_table(100))
    before = s3_store.read_manifest("theft", 1)
    with pytest.raises(ConflictError, match="already has version 1"):
        write(s3_store, 1, make_table(7))
    assert s3_store.read_manifest("theft", 1) == before
    assert s3_store.dataset("theft", 1).count_rows() == 100


def test_reuse_on_the_object_store(s3_store: VersionStore) -> None:
    write(s3_store, 1, make_table(6_000, days=3), by="day")
    kept = [e for e in s3_store.file_entries("theft", 1) if e.partition != {"day": "2024-01-01"}]
    with s3_store.lock("theft"):
        s3_store.write_version(
            "theft", 2, reader_of(make_table(0)), {}, partition_by="day", reuse=kept
        )
    entries = s3_store.file_entries("theft", 2)
    assert entries[:2] == kept
    assert [(e.path, e.rows) for e in entries[2:]] == [("v000002/part-0.parquet", 0)]
    assert s3_store.dataset("theft", 2).count_rows() == 4_000


def test_kill_during_an_object_store_write_leaves_no_version(
    s3_settings: Settings, s3_store: VersionStore
) -> None:
    with s3_store.lock("theft"):
        s3_store.write_version("theft", 1, reader_of(make_table(3_000)), {})

    run_crashing_writer(s3_settings, "after-batches:40")

    assert s3_store.list_versions("theft") == [1]
    assert s3_store.dataset("theft", 1).to_table().equals(make_table(3_000))
    selector = pafs.FileSelector(s3_store.location.path("theft", "v000002"), recursive=True)
    uploaded = s3_store.location.filesystem.get_file_info(selector)
    assert any(info.base_name.endswith(".parquet") for info in uploaded)  # parts, no manifest
    with s3_store.lock("theft"):
        s3_store.write_version("theft", 2, reader_of(make_table(10)), {})
    assert s3_store.dataset("theft", 2).count_rows() == 10


def test_a_missing_bucket_is_named(s3_settings: Settings) -> None:
    store = VersionStore(s3_settings.replace(storage_url="s3://no-such-bucket/tables"))
    assert store.list_versions("theft") == []
    with pytest.raises(ValidationError, match="bucket 'no-such-bucket' does not exist"):
        store.write_version("theft", 1, reader_of(make_table(1)), {})
