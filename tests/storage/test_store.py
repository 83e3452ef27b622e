"""VersionStore on local disk: round trip, partitioning, reuse, conflicts, listing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

from kaifang.errors import ConflictError, NotFoundError, ValidationError
from kaifang.storage import FORMAT_VERSION, FileEntry, VersionStore, parquet_scan_sql
from tests.storage.conftest import make_table, reader_of

MANIFEST = {"title": "竊盜點位", "source": {"name": "theft.csv", "sha256": "ab" * 32}}


def write(
    store: VersionStore,
    version: int,
    table: pa.Table,
    *,
    partition_by: str | None = None,
    reuse: Sequence[FileEntry] = (),
) -> list[FileEntry]:
    with store.lock("theft"):
        stored = store.write_version(
            "theft",
            version,
            reader_of(table),
            dict(MANIFEST),
            partition_by=partition_by,
            reuse=reuse,
        )
    return list(stored.files)


def read_back(store: VersionStore, version: int) -> pa.Table:
    scan = parquet_scan_sql(store.version_files("theft", version))
    return duckdb.sql(f"SELECT * FROM {scan} ORDER BY n").to_arrow_table()


def test_round_trip_keeps_rows_schema_and_manifest(store: VersionStore) -> None:
    table = make_table(10_000)
    files = write(store, 1, table)

    assert read_back(store, 1).equals(table)
    manifest = store.read_manifest("theft", 1)
    assert manifest["title"] == "竊盜點位"
    assert manifest["source"] == MANIFEST["source"]
    assert manifest["rows"] == 10_000
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["files"] == [entry.to_dict() for entry in files]
    assert manifest["bytes"] == sum(Path(f).stat().st_size for f in store.version_files("theft", 1))
    assert manifest["content_hash"].startswith("sha256:")
    assert [entry.path for entry in files] == [f"v000001/part-{k}.parquet" for k in range(3)]
    assert [entry.rows for entry in files] == [4_000, 4_000, 2_000]


def test_parquet_is_zstd_with_small_row_groups_and_statistics(store: VersionStore) -> None:
    write(store, 1, make_table(10_000))
    metadata = pq.ParquetFile(store.version_files("theft", 1)[0]).metadata
    assert metadata.num_row_groups == 4
    for group in range(metadata.num_row_groups):
        assert metadata.row_group(group).num_rows == 1_000
        column = metadata.row_group(group).column(1)
        assert column.compression == "ZSTD"
        assert column.statistics.has_min_max


def test_same_data_gives_same_content_hash(store: VersionStore) -> None:
    write(store, 1, make_table(5_000))
    write(store, 2, make_table(5_000))
    write(store, 3, make_table(5_000, start=1))
    hashes = [store.read_manifest("theft", v)["content_hash"] for v in (1, 2, 3)]
    assert hashes[0] == hashes[1] != hashes[2]


def test_partitioned_files_hold_one_value_each(store: VersionStore) -> None:
    table = make_table(9_000, days=3)
    files = write(store, 1, table, partition_by="day")

    assert [(e.path, e.partition) for e in files][:2] == [
        ("v000001/day=2024-01-01/part-0.parquet", {"day": "2024-01-01"}),
        ("v000001/day=2024-01-02/part-0.parquet", {"day": "2024-01-02"}),
    ]
    for entry, uri in zip(files, store.version_files("theft", 1), strict=True):
        days = set(pq.read_table(uri, columns=["day"]).column("day").to_pylist())
        assert days == {entry.partition["day"]} if entry.partition else set()
    assert read_back(store, 1).equals(table)


def test_partition_values_are_encoded_into_one_safe_segment(store: VersionStore) -> None:
    table = pa.table({"place": ["../etc", "臺北市/大安區", None], "n": [1, 2, 3]})
    files = write(store, 1, table, partition_by="place")
    assert [e.path for e in files] == [
        "v000001/place=..%2Fetc/part-0.parquet",
        "v000001/place=%E8%87%BA%E5%8C%97%E5%B8%82%2F%E5%A4%A7%E5%AE%89%E5%8D%80/part-0.parquet",
        "v000001/place=__HIVE_DEFAULT_PARTITION__/part-0.parquet",
    ]
    assert [e.partition for e in files][2] == {"place": None}
    assert read_back(store, 1).equals(table)


def test_reuse_names_earlier_files_without_copying(store: VersionStore) -> None:
    first = write(store, 1, make_table(9_000, days=3), partition_by="day")
    kept = [e for e in store.file_entries("theft", 1) if e.partition != {"day": "2024-01-02"}]
    new_day = make_table(500, start=100_000, days=1).set_column(
        0, "day", pa.array(["2024-01-04"] * 500)
    )
    files = write(store, 2, new_day, partition_by="day", reuse=kept)

    assert files[: len(kept)] == kept
    assert all(e.path.startswith("v000001/") for e in kept)
    assert files[-1].path == "v000002/day=2024-01-04/part-0.parquet"
    assert not (Path(store.location.base) / "theft" / "v000002" / "day=2024-01-01").exists()
    days = duckdb.sql(
        f"SELECT day, count(*) FROM {parquet_scan_sql(store.version_files('theft', 2))} GROUP BY 1 "
        "ORDER BY 1"
    ).fetchall()
    assert days == [("2024-01-01", 3_000), ("2024-01-03", 3_000), ("2024-01-04", 500)]
    assert store.read_manifest("theft", 2)["rows"] == 6_500
    assert store.file_entries("theft", 1) == first  # the old version is untouched


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("v000002/part-0.parquet", "earlier versions"),
        ("v000001/part-9.parquet", "has no file"),
        ("v000001/../../x.parquet", "not a Parquet file inside a version folder"),
        ("/etc/passwd.parquet", "not a Parquet file inside a version folder"),
    ],
)
def test_reuse_refuses_files_that_are_not_earlier_committed_files(
    store: VersionStore, path: str, message: str
) -> None:
    write(store, 1, make_table(100))
    with pytest.raises(ValidationError, match=message):
        write(store, 2, make_table(100), reuse=[FileEntry(path, 1, 1, "x")])
    assert store.list_versions("theft") == [1]


def test_reuse_refuses_a_file_listed_twice(store: VersionStore) -> None:
    write(store, 1, make_table(100))
    entry = store.file_entries("theft", 1)[0]
    with pytest.raises(ValidationError, match="reused twice"):
        write(store, 2, make_table(10), reuse=[entry, entry])


def test_reuse_refuses_another_schema(store: VersionStore) -> None:
    write(store, 1, make_table(100))
    other = pa.table({"n": [1, 2]})
    with pytest.raises(ValidationError, match="another schema"):
        write(store, 2, other, reuse=store.file_entries("theft", 1))


def test_existing_version_is_a_conflict_and_stays_unchanged(store: VersionStore) -> None:
    write(store, 1, make_table(1_000))
    before = store.read_manifest("theft", 1)
    with pytest.raises(ConflictError, match="already has version 1"):
        write(store, 1, make_table(50, start=7))
    assert store.read_manifest("theft", 1) == before
    assert read_back(store, 1).num_rows == 1_000
    assert list((Path(store.location.base) / "theft" / "_staging").iterdir()) == []


def test_list_versions_ignores_staging_and_folders_without_manifest(
    store: VersionStore,
) -> None:
    assert store.list_versions("theft") == []
    write(store, 2, make_table(10))
    write(store, 10, make_table(10))
    resource = Path(store.location.base) / "theft"
    (resource / "v000003").mkdir()  # a folder without manifest is no version
    (resource / "v000004").mkdir()
    (resource / "v000004" / "part-0.parquet").write_bytes(b"PAR1")
    (resource / "_staging" / "f00").mkdir(parents=True)
    (resource / "_staging" / "f00" / "manifest.json").write_text("{}")
    (resource / "v7").mkdir()  # not a version folder name
    (resource / "v7" / "manifest.json").write_text("{}")
    assert store.list_versions("theft") == [2, 10]
    assert [store.has_version("theft", n) for n in (2, 3, 4, 10, 11)] == [
        True,
        False,
        False,
        True,
        False,
    ]


def test_empty_input_writes_one_empty_file_with_the_schema(store: VersionStore) -> None:
    table = make_table(0)
    files = write(store, 1, table, partition_by="day")
    assert [(e.path, e.rows) for e in files] == [("v000001/part-0.parquet", 0)]
    assert pq.read_table(store.version_files("theft", 1)[0]).schema == table.schema


def test_dataset_and_open_input_read_the_version(store: VersionStore) -> None:
    table = make_table(5_000)
    files = write(store, 1, table)
    assert store.dataset("theft", 1).to_table().equals(table)
    with store.open_input("theft", 1, files[0].path) as stream:
        assert stream.read() == Path(store.version_files("theft", 1)[0]).read_bytes()
    with pytest.raises(NotFoundError, match="has no file"):
        store.open_input("theft", 1, "v000001/manifest.json")


@pytest.mark.parametrize(
    "resource_id", ["", "Theft", "1theft", "the-ft", "../theft", "theft/x", "a" * 64, "天"]
)
def test_resource_ids_are_validated_everywhere(store: VersionStore, resource_id: str) -> None:
    with pytest.raises(ValidationError, match="invalid resource id"):
        store.list_versions(resource_id)
    with pytest.raises(ValidationError, match="invalid resource id"):
        store.write_version(resource_id, 1, reader_of(make_table(1)), {})
    with pytest.raises(ValidationError, match="invalid resource id"):
        store.lock(resource_id)


@pytest.mark.parametrize("version", [0, -1, True])
def test_versions_are_positive_integers(store: VersionStore, version: int) -> None:
    with pytest.raises(ValidationError, match="invalid version"):
        store.write_version("theft", version, reader_of(make_table(1)), {})


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ({"rows": 3}, "already has rows"),
        ({"files": [], "content_hash": "x"}, "already has content_hash, files"),
        ({"created": object()}, "not plain JSON"),
    ],
)
def test_manifest_keys_owned_by_the_store_are_refused(
    store: VersionStore, manifest: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        store.write_version("theft", 1, reader_of(make_table(1)), manifest)
    assert store.list_versions("theft") == []


def test_unknown_partition_column_is_refused_before_anything_is_visible(
    store: VersionStore,
) -> None:
    with pytest.raises(ValidationError, match="no such column"):
        write(store, 1, make_table(10), partition_by="nope")
    assert store.list_versions("theft") == []
    assert list((Path(store.location.base) / "theft" / "_staging").iterdir()) == []


def test_missing_version_is_not_found_with_the_stored_versions(store: VersionStore) -> None:
    write(store, 1, make_table(10))
    with pytest.raises(NotFoundError, match="no version 2") as caught:
        store.read_manifest("theft", 2)
    assert caught.value.hint == "Stored versions: 1."


def test_manifest_is_utf8_json_on_disk(store: VersionStore) -> None:
    write(store, 1, make_table(10))
    raw = (Path(store.location.base) / "theft" / "v000001" / "manifest.json").read_bytes()
    assert json.loads(raw.decode("utf-8"))["title"] == "竊盜點位"
    assert "竊盜點位".encode() in raw


def test_before_commit_sees_the_written_rows_and_adds_to_the_manifest(
    store: VersionStore,
) -> None:
    table = make_table(10_000)
    seen: list[int] = []

    def check(staged: pads.Dataset) -> dict[str, object]:
        seen.append(staged.count_rows())
        assert not store.has_version("theft", 1)  # not visible yet
        return {"screening": {"status": "passed"}}

    with store.lock("theft"):
        store.write_version("theft", 1, reader_of(table), dict(MANIFEST), before_commit=check)
    assert seen == [10_000]
    assert store.read_manifest("theft", 1)["screening"] == {"status": "passed"}


def test_a_failing_before_commit_leaves_no_version_and_no_files(store: VersionStore) -> None:
    write(store, 1, make_table(100))

    def refuse(staged: pads.Dataset) -> dict[str, object]:
        raise PermissionError("refused")

    with store.lock("theft"), pytest.raises(PermissionError, match="refused"):
        store.write_version(
            "theft", 2, reader_of(make_table(10_000)), dict(MANIFEST), before_commit=refuse
        )
    assert store.list_versions("theft") == [1]
    resource = Path(store.location.path("theft"))
    assert sorted(p.name for p in resource.iterdir()) == ["_staging", "v000001"]
    assert [p for p in (resource / "_staging").iterdir() if p.suffix != ".lock"] == []
