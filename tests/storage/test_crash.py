"""kill -9 at several points of a write leaves the previous version intact and no partial
version visible (a real child process kills itself; see crash_writer.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.storage.conftest import make_table, reader_of
from tests.storage.crash_writer import BATCH_ROWS, BATCHES, run_crashing_writer


def assert_old_version_intact_and_new_all_or_nothing(store: VersionStore) -> None:
    versions = store.list_versions("theft")
    assert versions in ([1], [1, 2])
    assert store.dataset("theft", 1).to_table().equals(make_table(3_000))
    resource = store.location.path("theft")
    if versions == [1, 2]:  # the kill came after the rename: the version is whole
        assert store.dataset("theft", 2).count_rows() == BATCHES * BATCH_ROWS
    elif store.location.is_local:
        assert not Path(resource, "v000002").exists()


@pytest.mark.parametrize(
    ("kill_point", "parquet_staged"),
    [
        ("after-batches:3", False),  # rows still buffered: no row group written yet
        ("after-batches:12", True),  # row groups written, files still open
        ("after-batches:40", True),  # first part files rolled over and fsynced
        ("at-end", True),  # every batch read, last files and manifest not written
    ],
)
def test_kill_during_a_local_write_leaves_no_version(
    settings: Settings, store: VersionStore, kill_point: str, parquet_staged: bool
) -> None:
    with store.lock("theft"):
        store.write_version("theft", 1, reader_of(make_table(3_000)), {})

    run_crashing_writer(settings, kill_point)

    assert store.list_versions("theft") == [1]
    assert_old_version_intact_and_new_all_or_nothing(store)
    staging = Path(store.location.path("theft", "_staging"))
    orphans = [p for p in staging.iterdir() if p.is_dir()]
    assert len(orphans) == 1  # the dead writer's folder
    assert bool(list(orphans[0].rglob("part-*.parquet"))) is parquet_staged
    assert not list(orphans[0].rglob("manifest.json"))
    assert store.cleanup_staging() == [str(orphans[0])]  # its lock died with the process
    assert list(staging.iterdir()) == []
    with store.lock("theft"):
        stored = store.write_version("theft", 2, reader_of(make_table(10)), {})
    assert store.list_versions("theft") == [1, 2]
    assert stored.rows == 10


def test_kill_between_manifest_and_rename_is_all_or_nothing(
    settings: Settings, store: VersionStore
) -> None:
    with store.lock("theft"):
        store.write_version("theft", 1, reader_of(make_table(3_000)), {})

    run_crashing_writer(settings, "at-manifest")

    assert_old_version_intact_and_new_all_or_nothing(store)
    staging = Path(store.location.path("theft", "_staging"))
    if store.list_versions("theft") == [1]:  # died in the window: manifest staged, no rename
        assert len(list(staging.glob("*/manifest.json"))) == 1
    store.cleanup_staging()
    assert list(staging.iterdir()) == []
