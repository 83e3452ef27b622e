"""Child process for the kill -9 tests: writes a large version and SIGKILLs itself.

Usage: python crash_writer.py SETTINGS_JSON RESOURCE VERSION KILL_POINT (the tests call
:func:`run_crashing_writer`).

KILL_POINT is ``after-batches:<n>`` (die when the writer asks for batch n+1),
``at-end`` (die when the writer asks for a batch after the last one, before its last files
are flushed and before the manifest) or ``at-manifest`` (a thread dies as soon as a manifest
appears in the staging folder, i.e. between the manifest and the rename). The package is not
patched: the process only kills itself from its own batch generator or thread.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from kaifang.settings import Settings, load_settings
from kaifang.storage import VersionStore

BATCHES = 60
BATCH_ROWS = 5_000
SCHEMA = pa.schema([("n", pa.int64()), ("day", pa.string()), ("text", pa.string())])


def batch(index: int) -> pa.RecordBatch:
    start = index * BATCH_ROWS
    numbers = pa.array(range(start, start + BATCH_ROWS), pa.int64())
    return pa.record_batch(
        [
            numbers,
            pa.array([f"2024-02-{(index % 4) + 1:02d}"] * BATCH_ROWS),
            pa.array([f"row {n}" for n in range(start, start + BATCH_ROWS)]),
        ],
        schema=SCHEMA,
    )


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def batches(kill_point: str) -> Iterator[pa.RecordBatch]:
    kill_after = int(kill_point.split(":")[1]) if kill_point.startswith("after-batches:") else -1
    for index in range(BATCHES):
        if index == kill_after:
            die()
        yield batch(index)
    if kill_point == "at-end":
        die()


def die_when_manifest_is_staged(staging_root: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if any(staging_root.glob("*/manifest.json")):
            die()
        time.sleep(0.0005)


REPO = Path(__file__).resolve().parents[2]
CHILD = Path(__file__)


def run_crashing_writer(settings: Settings, kill_point: str) -> None:
    overrides = {
        "data_dir": str(settings.data_dir),
        "storage_url": settings.storage_url,
        "s3_endpoint": settings.s3_endpoint,
        "s3_access_key": settings.s3_access_key,
        "s3_secret_key": settings.s3_secret_key,
    }
    child = subprocess.run(
        [sys.executable, str(CHILD), json.dumps(overrides), "theft", "2", kill_point],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr


def main() -> None:
    overrides, resource_id, version, kill_point = (
        json.loads(sys.argv[1]),
        sys.argv[2],
        int(sys.argv[3]),
        sys.argv[4],
    )
    settings = load_settings({}, **{**overrides, "data_dir": Path(overrides["data_dir"])})
    store = VersionStore(settings, row_group_rows=10_000, rows_per_file=40_000)
    if kill_point == "at-manifest":
        staging_root = Path(store.location.base) / resource_id / "_staging"
        threading.Thread(
            target=die_when_manifest_is_staged, args=(staging_root,), daemon=True
        ).start()
    reader = pa.RecordBatchReader.from_batches(SCHEMA, batches(kill_point))
    with store.lock(resource_id):
        store.write_version(resource_id, version, reader, {"title": "crash"}, partition_by="day")


if __name__ == "__main__":
    main()
