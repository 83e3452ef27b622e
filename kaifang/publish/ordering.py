"""Keeping a file's own order when it is already clustered, instead of sorting it again.

Agencies' files are often written in time order already (a freeway trip file is sorted by
its first detection time). Sorting ten million such rows again costs more than reading them,
so the publish first streams the rows in file order through :func:`in_order`, which checks
each batch against the first clustering column with vectorized comparisons. If every batch
follows on, the version is written in one pass with no sort; at the first row out of order
:class:`OutOfOrder` is raised, the half-written version is discarded (it was never visible),
and the publish writes the sorted rows instead. Files out of order from their first rows
cost one batch; only a file that breaks its order late pays a second pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc


class OutOfOrder(Exception):
    """The rows are not in order of the column; the caller sorts them instead."""


def in_order(reader: pa.RecordBatchReader, column: str) -> pa.RecordBatchReader:
    """The batches of ``reader``, raising :class:`OutOfOrder` as soon as ``column`` is not
    ascending with nulls last (the order ``ORDER BY column NULLS LAST`` gives)."""
    return pa.RecordBatchReader.from_batches(reader.schema, _checked(reader, column))


def _checked(reader: pa.RecordBatchReader, column: str) -> Iterator[pa.RecordBatch]:
    index = reader.schema.get_field_index(column)
    last: Any = None  # the last non-null value seen
    nulls_started = False
    for batch in reader:
        values = batch.column(index)
        valid = len(values) - values.null_count
        if valid and nulls_started:
            raise OutOfOrder(column)
        if values.null_count:
            if valid and pc.any(pc.is_null(values.slice(0, valid))).as_py():
                raise OutOfOrder(column)  # a null before a value
            nulls_started = True
            values = values.slice(0, valid)
        if valid:
            first = values[0]
            if last is not None and pc.less(first, last).as_py():
                raise OutOfOrder(column)
            if (
                valid > 1
                and not pc.all(
                    pc.greater_equal(values.slice(1), values.slice(0, valid - 1))
                ).as_py()
            ):
                raise OutOfOrder(column)
            last = values[valid - 1]
        yield batch
