"""A repeatable sample of the rows a publish writes, drawn while they stream to Parquet.

The screening gate classifies columns on a sample of about 100,000 rows. Drawing it from the
batches on their way to the version's files costs one vectorized filter per batch; a
reservoir sample of the written files would read every column of every row once more. Each
row is kept with the same probability (``size / total``), from a seeded generator per batch,
so the same file gives the same sample.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from kaifang.privacy.screen import DEFAULT_SAMPLE_ROWS

_SEED = 42


class StreamSample:
    """Keeps about ``size`` of ``total_rows`` rows from the batches :meth:`tap` passes on."""

    def __init__(self, total_rows: int, size: int = DEFAULT_SAMPLE_ROWS) -> None:
        self.probability = 1.0 if total_rows <= size else size / total_rows
        self._kept: list[pa.RecordBatch] = []
        self._schema: pa.Schema | None = None

    def tap(self, reader: pa.RecordBatchReader) -> pa.RecordBatchReader:
        """The same batches as ``reader``; a share of each is kept on the way."""
        self._schema, self._kept = reader.schema, []
        return pa.RecordBatchReader.from_batches(reader.schema, self._batches(reader))

    def _batches(self, reader: pa.RecordBatchReader) -> Iterator[pa.RecordBatch]:
        for index, batch in enumerate(reader):
            if self.probability >= 1.0:
                self._kept.append(batch)
            elif batch.num_rows:
                draws = pc.random(batch.num_rows, initializer=_SEED + index)
                self._kept.append(batch.filter(pc.less(draws, self.probability)))
            yield batch

    def table(self) -> pa.Table:
        """The rows kept so far (all of them when the rows were fewer than ``size``)."""
        if self._schema is None:
            raise RuntimeError("nothing was sampled: tap a reader first")
        return pa.Table.from_batches(self._kept, schema=self._schema)
