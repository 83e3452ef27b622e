"""Streaming Parquet writes: row groups, file roll-over, many partitions, failures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kaifang.errors import ConflictError
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.storage.conftest import make_table, reader_of


@pytest.mark.parametrize(
    ("rows", "row_group_rows", "rows_per_file", "batch_rows", "files", "groups"),
    [
        (10_000, 1_000, 4_000, 333, [4_000, 4_000, 2_000], [1_000] * 10),
        (10_000, 3_000, 10_000, 10_000, [10_000], [3_000, 3_000, 3_000, 1_000]),
        (5_000, 2_000, 3_000, 700, [3_000, 2_000], [2_000, 1_000, 2_000]),
        (7, 122_880, 10_000_000, 1, [7], [7]),
    ],
)
def test_rows_are_regrouped_into_full_row_groups_and_files(
    settings: Settings,
    rows: int,
    row_group_rows: int,
    rows_per_file: int,
    batch_rows: int,
    files: list[int],
    groups: list[int],
) -> None:
    store = VersionStore(settings, row_group_rows=row_group_rows, rows_per_file=rows_per_file)
    table = make_table(rows)
    with store.lock("theft"):
        stored = store.write_version("theft", 1, reader_of(table, batch_rows=batch_rows), {})

    assert [entry.rows for entry in stored.files] == files
    sizes = [
        pq.ParquetFile(uri).metadata.row_group(k).num_rows
        for uri in store.version_files("theft", 1)
        for k in range(pq.ParquetFile(uri).metadata.num_row_groups)
    ]
    assert sizes == groups
    assert store.dataset("theft", 1).to_table().equals(table)


def test_interleaved_partitions_beyond_the_open_file_limit(settings: Settings) -> None:
    """Unsorted input over 40 values, more than the 32 open files: more parts, same rows."""
    store = VersionStore(settings, row_group_rows=100, rows_per_file=100_000)
    table = make_table(20_000, days=40).set_column(
        0, "day", pa.array([f"d{n % 40:02d}" for n in range(20_000)])
    )
    with store.lock("theft"):
        stored = store.write_version(
            "theft", 1, reader_of(table, batch_rows=400), {}, partition_by="day"
        )
    assert {entry.partition["day"] for entry in stored.files if entry.partition} == {
        f"d{k:02d}" for k in range(40)
    }
    assert len(stored.files) > 40  # evicted partitions restarted in new parts
    result = store.dataset("theft", 1).to_table().sort_by("n")
    assert result.equals(table)
    for entry, uri in zip(stored.files, store.version_files("theft", 1), strict=True):
        assert pq.read_metadata(uri).num_rows == entry.rows
        assert entry.partition is not None
        assert set(pq.read_table(uri).column("day").to_pylist()) == {entry.partition["day"]}


def test_integer_partitions_are_named_by_their_text(settings: Settings) -> None:
    store = VersionStore(settings)
    table = pa.table({"year": pa.array([113, 112, 113], pa.int32()), "n": [1, 2, 3]})
    with store.lock("theft"):
        stored = store.write_version("theft", 1, reader_of(table), {}, partition_by="year")
    assert [(e.path, e.partition, e.rows) for e in stored.files] == [
        ("v000001/year=113/part-0.parquet", {"year": "113"}, 2),
        ("v000001/year=112/part-0.parquet", {"year": "112"}, 1),
    ]
    assert store.dataset("theft", 1).schema.field("year").type == pa.int32()


def failing_batches(table: pa.Table) -> Iterator[pa.RecordBatch]:
    yield from table.to_batches(max_chunksize=1_000)[:5]
    raise OSError("the source file vanished")


def test_a_failing_source_leaves_nothing_behind(store: VersionStore) -> None:
    table = make_table(10_000)
    reader = pa.RecordBatchReader.from_batches(table.schema, failing_batches(table))
    with store.lock("theft"), pytest.raises(OSError, match="the source file vanished"):
        store.write_version("theft", 1, reader, {})
    assert store.list_versions("theft") == []
    assert list(Path(store.location.path("theft", "_staging")).iterdir()) == []


def test_cleanup_spares_a_live_writer_and_old_orphans_without_lock(store: VersionStore) -> None:
    removed_during_write: list[list[str]] = []

    def batches() -> Iterator[pa.RecordBatch]:
        yield from make_table(5_000).to_batches(max_chunksize=1_000)
        removed_during_write.append(store.cleanup_staging(older_than=0.0))

    staging = Path(store.location.path("theft", "_staging"))
    reader = pa.RecordBatchReader.from_batches(make_table(0).schema, batches())
    with store.lock("theft"):
        store.write_version("theft", 1, reader, {})
    assert removed_during_write == [[]]  # its own live staging folder was kept

    lockless = staging / "0123abcd"
    lockless.mkdir()
    assert store.cleanup_staging() == []  # young: its writer may be about to lock it
    assert store.cleanup_staging(older_than=-1.0) == [str(lockless)]
    assert store.list_versions("theft") == [1]


def test_a_folder_without_manifest_blocks_its_version_with_a_clear_error(
    store: VersionStore,
) -> None:
    stray = Path(store.location.path("theft", "v000001"))
    stray.mkdir(parents=True)
    (stray / "notes.txt").write_text("copied by hand")
    with store.lock("theft"), pytest.raises(ConflictError, match="has no manifest"):
        store.write_version("theft", 1, reader_of(make_table(10)), {})
    assert (stray / "notes.txt").read_text() == "copied by hand"
