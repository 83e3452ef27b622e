from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pyarrow as pa
import pytest

from kaifang.publish.prefetch import prefetched

SCHEMA = pa.schema([("n", pa.int64())])


def _reader(count: int, fail_at: int | None = None) -> pa.RecordBatchReader:
    def batches() -> Iterator[pa.RecordBatch]:
        for i in range(count):
            if i == fail_at:
                raise ValueError(f"batch {i} is broken")
            yield pa.record_batch([pa.array([i, i], pa.int64())], schema=SCHEMA)

    return pa.RecordBatchReader.from_batches(SCHEMA, batches())


@pytest.mark.parametrize(("count", "depth"), [(0, 2), (1, 1), (7, 2), (50, 3)])
def test_prefetched_yields_the_same_batches_in_order(count: int, depth: int) -> None:
    table = prefetched(_reader(count), depth).read_all()
    assert table.schema == SCHEMA
    assert table.column("n").to_pylist() == [i for i in range(count) for _ in range(2)]


def test_an_error_while_reading_ahead_reaches_the_consumer() -> None:
    reader = prefetched(_reader(10, fail_at=4))
    with pytest.raises(ValueError, match="batch 4 is broken"):
        reader.read_all()


def test_a_consumer_that_stops_early_stops_the_worker() -> None:
    reader = prefetched(_reader(1000), depth=1)
    first = reader.read_next_batch()
    reader.close()
    del reader
    gc.collect()
    assert first.column(0).to_pylist() == [0, 0]
    assert "kaifang-prefetch" not in {thread.name for thread in threading.enumerate()}
