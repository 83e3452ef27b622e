"""The sample a publish draws from its rows while writing them."""

from __future__ import annotations

import pyarrow as pa
import pytest

from kaifang.publish.sampling import StreamSample


def reader(rows: int, batch: int = 1_000) -> pa.RecordBatchReader:
    table = pa.table({"n": pa.array(range(rows), pa.int64())})
    return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(batch))


def drawn(rows: int, size: int) -> list[int]:
    sample = StreamSample(rows, size)
    passed = [n for b in sample.tap(reader(rows)) for n in b.column(0).to_pylist()]
    assert passed == list(range(rows))  # every batch goes on, whole and in order
    return sample.table().column("n").to_pylist()


def test_small_inputs_are_kept_whole() -> None:
    assert drawn(500, 1_000) == list(range(500))


def test_a_large_input_gives_about_the_size_spread_over_the_rows() -> None:
    values = drawn(100_000, 2_000)
    assert 1_800 <= len(values) <= 2_200
    assert values == sorted(values) and len(set(values)) == len(values)
    quarters = [sum(1 for v in values if q * 25_000 <= v < (q + 1) * 25_000) for q in range(4)]
    assert min(quarters) >= 400  # drawn from the whole file, not its head


def test_the_sample_is_repeatable() -> None:
    assert drawn(50_000, 1_000) == drawn(50_000, 1_000)


def test_a_sample_needs_a_tapped_reader() -> None:
    with pytest.raises(RuntimeError, match="tap a reader"):
        StreamSample(10).table()
