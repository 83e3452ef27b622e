"""lock(resource_id) serializes publishes across real processes."""

from __future__ import annotations

import itertools
import multiprocessing
import time
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest

from kaifang.errors import ConflictError
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.storage.conftest import make_table, reader_of

WRITERS = 4


def publish_next_version(settings: Settings, log: str, index: int) -> None:
    """What a publisher does: under the lock, pick the next number and write it."""
    store = VersionStore(settings, row_group_rows=1_000, rows_per_file=4_000)
    with store.lock("theft"):
        entered = time.monotonic()
        version = max(store.list_versions("theft"), default=0) + 1
        time.sleep(0.2)  # widen the window in which an unlocked writer would collide
        store.write_version("theft", version, reader_of(make_table(2_000, start=index)), {})
        left = time.monotonic()
    with Path(log).open("a") as handle:
        handle.write(f"{index} {version} {entered} {left}\n")


def test_concurrent_publishers_get_distinct_versions_one_at_a_time(
    settings: Settings, store: VersionStore, tmp_path: Path
) -> None:
    log = tmp_path / "log.txt"
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=publish_next_version, args=(settings, str(log), index))
        for index in range(WRITERS)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0] * WRITERS

    records = sorted(
        (float(entered), float(left), int(version))
        for _, version, entered, left in (line.split() for line in log.read_text().splitlines())
    )
    assert [version for _, _, version in records] == list(range(1, WRITERS + 1))
    for (_, left, _), (entered, _, _) in itertools.pairwise(records):
        assert left <= entered  # no two publishers were inside the lock at once
    assert store.list_versions("theft") == list(range(1, WRITERS + 1))


def hold_lock(settings: Settings, ready: Event, release: Event) -> None:
    with VersionStore(settings).lock("theft"):
        ready.set()
        release.wait(timeout=60)


def test_lock_held_by_another_process_times_out_with_conflict(
    settings: Settings, store: VersionStore
) -> None:
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=hold_lock, args=(settings, ready, release))
    holder.start()
    try:
        assert ready.wait(timeout=60)
        with pytest.raises(ConflictError, match="locked by another process"):
            with store.lock("theft", timeout=0.2):
                pass
    finally:
        release.set()
        holder.join(timeout=60)
    assert holder.exitcode == 0
    with store.lock("theft", timeout=5):  # released when the holder exits
        pass


def test_locks_of_different_resources_are_independent(store: VersionStore) -> None:
    with store.lock("theft"), store.lock("schools", timeout=0.1):
        pass
    assert sorted(p.name for p in (store.settings.data_dir / "locks").iterdir()) == [
        "schools.lock",
        "theft.lock",
    ]
