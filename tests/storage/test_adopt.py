"""VersionStore.adopt_version: finished Parquet files become a version, atomically, on local
disk and in the object store."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads
import pyarrow.fs as pafs
import pyarrow.parquet as pq
import pytest

from kaifang.errors import ConflictError, ValidationError
from kaifang.storage import AdoptedFile, FileEntry, VersionStore
from kaifang.storage.store import BeforeCommit
from tests.storage.conftest import make_table, reader_of

MANIFEST = {"title": "adopted"}


def written_elsewhere(folder: Path, table: pa.Table) -> list[AdoptedFile]:
    """One Parquet file per ``day``, as another engine would write them."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for day in sorted(set(table.column("day").to_pylist())):
        path = folder / f"day-{day}.parquet"
        pq.write_table(table.filter(pc.equal(table.column("day"), day)), path)
        files.append(AdoptedFile(str(path), {"day": day}))
    return files


def adopt(
    store: VersionStore,
    version: int,
    files: list[AdoptedFile],
    *,
    reuse: Sequence[FileEntry] = (),
    before_commit: BeforeCommit | None = None,
) -> None:
    with store.lock("theft"):
        store.adopt_version(
            "theft", version, files, dict(MANIFEST), reuse=reuse, before_commit=before_commit
        )


def test_adopted_files_become_a_partitioned_version(store: VersionStore, tmp_path: Path) -> None:
    table = make_table(3_000)
    files = written_elsewhere(tmp_path / "spark", table)
    digests = [hashlib.sha256(Path(f.source).read_bytes()).hexdigest() for f in files]

    adopt(store, 1, files)

    manifest = store.read_manifest("theft", 1)
    assert [f["path"] for f in manifest["files"]] == [
        f"v000001/day=2024-01-0{d}/part-0.parquet" for d in (1, 2, 3)
    ]
    assert [f["rows"] for f in manifest["files"]] == [1_000, 1_000, 1_000]
    assert [f["sha256"] for f in manifest["files"]] == digests
    assert [f["partition"] for f in manifest["files"]] == [
        {"day": f"2024-01-0{d}"} for d in (1, 2, 3)
    ]
    assert manifest["rows"] == 3_000
    assert store.dataset("theft", 1).to_table().sort_by("n").equals(table)
    assert not any(Path(f.source).exists() for f in files)  # renamed, not copied


def test_adopted_version_reuses_earlier_files(store: VersionStore, tmp_path: Path) -> None:
    with store.lock("theft"):
        first = store.write_version(
            "theft", 1, reader_of(make_table(3_000)), dict(MANIFEST), partition_by="day"
        )
    later = make_table(1_000, start=10_000, days=1)
    adopt(store, 2, written_elsewhere(tmp_path / "spark", later), reuse=first.files[1:])

    paths = [e.path for e in store.file_entries("theft", 2)]
    assert paths[:2] == [e.path for e in first.files[1:]]
    assert paths[2] == "v000002/day=2024-01-01/part-0.parquet"
    assert store.read_manifest("theft", 2)["rows"] == 3_000


@pytest.mark.parametrize(
    "problem",
    ["before_commit", "schema", "conflict", "partition column", "reuse"],
)
def test_a_failed_adoption_leaves_no_version_and_no_staged_files(
    store: VersionStore, tmp_path: Path, problem: str
) -> None:
    with store.lock("theft"):
        store.write_version("theft", 1, reader_of(make_table(10)), dict(MANIFEST))
    files = written_elsewhere(tmp_path / "spark", make_table(3_000))
    version, check, reuse = 2, None, []
    expected: type[Exception] = ValidationError
    if problem == "before_commit":

        def refuse(staged: pads.Dataset) -> dict[str, object]:
            assert staged.count_rows() == 3_000
            raise PermissionError("refused")

        check, expected = refuse, PermissionError
    elif problem == "schema":
        other = tmp_path / "other.parquet"
        pq.write_table(make_table(10).drop_columns(["label"]), other)
        files.append(AdoptedFile(str(other), {"day": "2024-01-09"}))
    elif problem == "conflict":
        version, expected = 1, ConflictError
    elif problem == "reuse":
        reuse = [FileEntry("v000001/part-9.parquet", 1, 1, "00")]
    else:
        files = [AdoptedFile(f.source, {"station": "x"}) for f in files]

    with pytest.raises(expected):
        adopt(store, version, files, reuse=reuse, before_commit=check)
    # Refused before anything moved, the sources stay; after the moves they went with staging.
    assert all(Path(f.source).exists() for f in files) == (problem != "before_commit")

    assert store.list_versions("theft") == [1]
    resource = Path(store.location.path("theft"))
    assert sorted(p.name for p in resource.iterdir()) == ["_staging", "v000001"]
    assert list((resource / "_staging").iterdir()) == []


def test_adopting_nothing_is_refused(store: VersionStore) -> None:
    with pytest.raises(ValidationError, match="no files to adopt"):
        adopt(store, 1, [])


def test_adoption_into_the_object_store_copies_and_commits_last(
    s3_store: VersionStore, tmp_path: Path
) -> None:
    table = make_table(3_000)
    files = written_elsewhere(tmp_path / "spark", table)
    digests = [hashlib.sha256(Path(f.source).read_bytes()).hexdigest() for f in files]

    def refuse(staged: pads.Dataset) -> dict[str, object]:
        raise PermissionError("refused")

    with pytest.raises(PermissionError):
        adopt(s3_store, 1, files, before_commit=refuse)
    assert s3_store.list_versions("theft") == []
    left = pafs.FileSelector(s3_store.location.path("theft"), recursive=True, allow_not_found=True)
    assert not any(info.is_file for info in s3_store.location.filesystem.get_file_info(left))

    adopt(s3_store, 1, files)
    entries = s3_store.file_entries("theft", 1)
    assert [e.sha256 for e in entries] == digests
    assert s3_store.dataset("theft", 1).to_table().sort_by("n").equals(table)
    assert all(Path(f.source).exists() for f in files)  # copied: the sources stay
