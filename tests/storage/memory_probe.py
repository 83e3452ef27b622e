"""Child process for the memory test: writes ROWS generated rows, prints Arrow's peak bytes.

Usage: python memory_probe.py DATA_DIR ROWS [PARTITION_COLUMN]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from kaifang.settings import load_settings
from kaifang.storage import VersionStore

BATCH_ROWS = 50_000
SCHEMA = pa.schema([("n", pa.int64()), ("day", pa.string()), ("text", pa.string())])


def batches(rows: int) -> Iterator[pa.RecordBatch]:
    for start in range(0, rows, BATCH_ROWS):
        numbers = pa.array(range(start, start + BATCH_ROWS), pa.int64())
        day = pc.cast(pc.divide(numbers, rows // 4), pa.string())
        text = pc.binary_join_element_wise("row number ", pc.cast(numbers, pa.string()), "")
        yield pa.record_batch([numbers, day, text], schema=SCHEMA)


def main() -> None:
    data_dir, rows = Path(sys.argv[1]), int(sys.argv[2])
    partition_by = sys.argv[3] if len(sys.argv) > 3 else None
    store = VersionStore(load_settings({}, data_dir=data_dir))
    with store.lock("probe"):
        stored = store.write_version(
            "probe",
            1,
            pa.RecordBatchReader.from_batches(SCHEMA, batches(rows)),
            {},
            partition_by=partition_by,
        )
    assert stored.rows == rows
    sys.stdout.write(f"{pa.default_memory_pool().max_memory()}\n")


if __name__ == "__main__":
    main()
