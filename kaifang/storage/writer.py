"""Stream record batches into the Parquet files of one version, in bounded memory.

Rows are buffered per partition only until a row group is full (``row_group_rows``); across
partitions at most ``BUFFERED_ROW_GROUPS * row_group_rows`` rows are buffered (the largest buffer
is written early when more arrive), so memory stays bounded whatever the input size or the
number of partition values. A file rolls over to the next part after ``rows_per_file`` rows;
at most ``max_open_files`` files are open at once (the least recently used one is finished
first, and a later batch for its partition starts a new part). Each file is hashed and
counted as it is written.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kaifang.errors import ValidationError
from kaifang.storage.layout import part_name, partition_dir
from kaifang.storage.manifest import FileEntry

PARQUET_OPTIONS: dict[str, Any] = {"compression": "zstd", "write_statistics": True}
BUFFERED_ROW_GROUPS = 8
"""Rows buffered across all partitions, in row groups, before the largest buffer is written."""


class RawSink(Protocol):
    def write(self, data: bytes, /) -> Any: ...
    def close(self) -> Any: ...


class HashingSink:
    """A write-only file object that hashes and counts the bytes passing through.

    ``before_close`` runs when the file is completed (local disk passes an fsync there);
    :meth:`discard` closes without it, for files that are thrown away.
    """

    def __init__(self, raw: RawSink, *, before_close: Callable[[], None] | None = None) -> None:
        self._raw = raw
        self._before_close = before_close
        self._digest = hashlib.sha256()
        self.size = 0
        self.closed = False

    def write(self, data: bytes) -> int:
        self._digest.update(data)
        self.size += len(data)
        self._raw.write(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        """Parquet calls this often; the bytes reach the device in :meth:`close`."""

    def close(self) -> None:
        if self.closed:
            return
        if self._before_close is not None:
            self._before_close()
        self.discard()

    def discard(self) -> None:
        if not self.closed:
            self.closed = True
            self._raw.close()

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()


OpenSink = Callable[[str], HashingSink]
"""Opens a new file at a path relative to the version folder."""


@dataclass
class _OpenFile:
    order: tuple[int, int]
    relative: str
    sink: HashingSink
    writer: pq.ParquetWriter
    partition: dict[str, str | None] | None
    rows: int = 0


@dataclass
class _Partition:
    key: str | None
    directory: str
    partition: dict[str, str | None] | None
    seen: int = 0
    next_index: int = 0
    buffer: list[pa.RecordBatch] = field(default_factory=list)
    buffered: int = 0
    current: _OpenFile | None = None


class VersionWriter:
    """Writes one version's Parquet files; :meth:`finish` returns their entries in order."""

    def __init__(
        self,
        schema: pa.Schema,
        open_sink: OpenSink,
        *,
        version_dir: str,
        partition_by: str | None,
        row_group_rows: int,
        rows_per_file: int,
        max_open_files: int = 32,
    ) -> None:
        if partition_by is not None and schema.get_field_index(partition_by) < 0:
            raise ValidationError(
                f"cannot partition by {partition_by!r}: the data has no such column",
                hint=f"Valid columns: {', '.join(schema.names)}.",
                key="partition_by",
            )
        self._schema = schema
        self._open_sink = open_sink
        self._version_dir = version_dir
        self._partition_by = partition_by
        self._row_group_rows = max(1, row_group_rows)
        self._rows_per_file = max(1, rows_per_file)
        self._max_open_files = max(1, max_open_files)
        self._partitions: dict[str | None, _Partition] = {}
        self._open: OrderedDict[str | None, _Partition] = OrderedDict()
        self._entries: list[tuple[tuple[int, int], FileEntry]] = []
        self._buffered_budget = BUFFERED_ROW_GROUPS * self._row_group_rows
        self._buffered_total = 0

    def write(self, batch: pa.RecordBatch) -> None:
        if batch.num_rows == 0:
            return
        if not batch.schema.equals(self._schema):
            raise ValidationError(
                "a batch's schema differs from the reader's schema",
                hint=f"Expected {self._schema}, got {batch.schema}.",
            )
        if self._partition_by is None:
            self._append(None, batch)
            return
        for value, piece in _split_by_value(batch, self._partition_by):
            self._append(value, piece)

    def finish(self) -> list[FileEntry]:
        """Flush every buffer, close every file and return the entries in file order.

        File order is partitions in the order their first row arrived, then part number.
        """
        for partition in list(self._partitions.values()):
            self._flush_all(partition)
            self._close_file(partition)
        if not self._entries:  # no rows: one empty file keeps the schema readable
            empty = _Partition(None, self._version_dir, None)
            self._open_file(empty)
            self._close_file(empty)
        return [entry for _, entry in sorted(self._entries, key=lambda item: item[0])]

    def abort(self) -> None:
        """Drop open files without completing them (the caller removes them)."""
        for partition in self._partitions.values():
            current, partition.current = partition.current, None
            if current is None:
                continue
            try:
                current.writer.close()
            except Exception:  # the original failure matters, not this one
                current.writer.is_open = False  # or its __del__ would try again
            current.sink.discard()

    def _partition(self, value: str | None) -> _Partition:
        partition = self._partitions.get(value)
        if partition is None:
            if self._partition_by is None:
                partition = _Partition(None, self._version_dir, None)
            else:
                directory = f"{self._version_dir}/{partition_dir(self._partition_by, value)}"
                partition = _Partition(value, directory, {self._partition_by: value})
            partition.seen = len(self._partitions)
            self._partitions[value] = partition
        return partition

    def _append(self, value: str | None, batch: pa.RecordBatch) -> None:
        partition = self._partition(value)
        partition.buffer.append(batch)
        partition.buffered += batch.num_rows
        self._buffered_total += batch.num_rows
        while partition.buffered >= self._row_group_rows:
            self._flush(partition, self._row_group_rows)
        if self._partition_by is not None:
            self._keep_buffers_in_budget()

    def _keep_buffers_in_budget(self) -> None:
        """With many partition values, write out the largest buffers early (smaller row
        groups) rather than hold a row group's worth of rows for every value."""
        while self._buffered_total > self._buffered_budget:
            self._flush_all(max(self._partitions.values(), key=lambda p: p.buffered))

    def _flush_all(self, partition: _Partition) -> None:
        while partition.buffered:
            self._flush(partition, partition.buffered)

    def _flush(self, partition: _Partition, rows: int) -> None:
        """Write up to ``rows`` buffered rows into the partition's file, at most until it is
        full (the rest stays buffered and starts the next file with a whole row group)."""
        if rows <= 0:
            return
        current = partition.current or self._open_file(partition)
        chunk = min(rows, self._rows_per_file - current.rows)
        table = pa.Table.from_batches(partition.buffer, schema=self._schema)
        current.writer.write_table(table.slice(0, chunk), row_group_size=self._row_group_rows)
        current.rows += chunk
        partition.buffer = table.slice(chunk).to_batches()
        partition.buffered -= chunk
        self._buffered_total -= chunk
        if current.rows >= self._rows_per_file:
            self._close_file(partition)
        else:
            self._open.move_to_end(partition.key)  # most recently used

    def _open_file(self, partition: _Partition) -> _OpenFile:
        while len(self._open) >= self._max_open_files:
            self._evict(next(iter(self._open.values())))
        relative = f"{partition.directory}/{part_name(partition.next_index)}"
        partition.next_index += 1
        sink = self._open_sink(relative)
        writer = pq.ParquetWriter(sink, self._schema, **PARQUET_OPTIONS)
        order = (partition.seen, partition.next_index - 1)
        partition.current = _OpenFile(order, relative, sink, writer, partition.partition)
        self._open[partition.key] = partition
        return partition.current

    def _evict(self, partition: _Partition) -> None:
        """Finish the file of ``partition`` with what its buffer holds that still fits."""
        if partition.buffered:
            self._flush(partition, partition.buffered)
        self._close_file(partition)

    def _close_file(self, partition: _Partition) -> None:
        current = partition.current
        if current is None:
            return
        current.writer.close()
        current.sink.close()
        partition.current = None
        self._open.pop(partition.key, None)
        self._entries.append(
            (
                current.order,
                FileEntry(
                    path=current.relative,
                    rows=current.rows,
                    bytes=current.sink.size,
                    sha256=current.sink.sha256,
                    partition=current.partition,
                ),
            )
        )


def _split_by_value(batch: pa.RecordBatch, column: str) -> list[tuple[str | None, pa.RecordBatch]]:
    """Group a batch's rows by the text of ``column``, keeping row order within each group."""
    keys = batch.column(column)
    if not pa.types.is_string(keys.type):
        keys = pc.cast(keys, pa.string())
    encoded = pc.dictionary_encode(keys, null_encoding="encode")
    values = encoded.dictionary.to_pylist()
    if len(values) == 1:
        return [(values[0], batch)]
    order = pc.sort_indices(encoded.indices)
    ordered = batch.take(order)
    counts = pc.value_counts(encoded.indices)
    pieces: list[tuple[str | None, pa.RecordBatch]] = []
    offset = 0
    for code, count in sorted(
        zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True)
    ):
        pieces.append((values[code], ordered.slice(offset, count)))
        offset += count
    return pieces
