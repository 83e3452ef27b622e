"""Read ahead of a record batch stream on a worker thread, so producing batches (DuckDB
scanning and merging the sorted rows) overlaps with consuming them (Parquet encoding and zstd
compression in the storage writer). Both release the GIL, so on two cores the publish write
runs about as fast as the slower of the two instead of their sum.

At most ``depth`` batches wait in the queue, so memory stays bounded; an error on the worker
is raised in the consumer, and a consumer that stops early stops the worker.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

import pyarrow as pa

PREFETCH_DEPTH = 2
_POLL_SECONDS = 0.1


class _Done:
    """Queue marker: the stream ended (``error`` None) or failed."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


def prefetched(reader: pa.RecordBatchReader, depth: int = PREFETCH_DEPTH) -> pa.RecordBatchReader:
    """The same batches as ``reader``, read ahead by up to ``depth`` batches on a thread."""
    return pa.RecordBatchReader.from_batches(reader.schema, _batches(reader, max(1, depth)))


def _batches(reader: pa.RecordBatchReader, depth: int) -> Iterator[pa.RecordBatch]:
    pending: queue.Queue[pa.RecordBatch | _Done] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: pa.RecordBatch | _Done) -> bool:
        while not stop.is_set():
            try:
                pending.put(item, timeout=_POLL_SECONDS)
            except queue.Full:
                continue
            return True
        return False

    def produce() -> None:
        try:
            for batch in reader:
                if not put(batch):
                    return
        except BaseException as exc:  # handed to the consumer, which raises it
            put(_Done(exc))
            return
        put(_Done())

    worker = threading.Thread(target=produce, name="kaifang-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = pending.get()
            if isinstance(item, _Done):
                if item.error is not None:
                    raise item.error
                return
            yield item
    finally:
        stop.set()
        worker.join()
