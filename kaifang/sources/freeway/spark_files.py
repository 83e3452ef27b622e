"""Spark writes a version's files itself: partitioned, sorted, zstd, with fingerprints.

:func:`write_partitioned_spark` shapes the files as :class:`kaifang.storage.VersionStore`
writes them, so the store can adopt them as they are
(:func:`kaifang.publish.adopted.publish_files`):

- one folder per partition value (``Date``), the column kept inside the files (Spark's own
  ``partitionBy`` drops it, so a hidden copy of the column names the folders instead);
- within a partition, rows sorted by the publish's clustering (e.g. gantry, then time), each
  partition written by one task, so one file per partition unless it passes
  :data:`~kaifang.storage.ROWS_PER_FILE` rows;
- zstd, row groups of the store's :data:`~kaifang.storage.ROW_GROUP_ROWS` (122,880) rows:
  Spark's ``parquet.block.size`` counts buffered bytes, and the bytes a row takes depend on
  the data (generated trips encode to about 10 bytes a row, so 16 MiB would hold 1.6 M of
  them), so the row count is set directly with parquet-java's
  ``parquet.block.row.count.limit``; ``parquet.block.size`` =
  :data:`PARQUET_BLOCK_BYTES` (32 MiB) only caps a row group of unusually wide rows.

**Fingerprints.** ``publish_relation``'s fingerprint of a partition is ``rows:sum`` of
DuckDB's ``hash()`` over the row; DuckDB's hash function (its own MurmurHash-based mixing,
per type) has no Spark equivalent, so Spark's fingerprint is its own scheme:
``spark-xxhash64:<rows>:<sum>``, the sum (as a 38-digit decimal, no overflow) of Spark's
``xxhash64`` over every column of the row, computed on the cluster from the files as written.
It is order independent like DuckDB's, and its prefix makes it differ from every DuckDB
fingerprint: after an import on the other engine every day counts as changed and is written
again, never wrongly reused.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from kaifang.publish.adopted import PartitionedFiles
from kaifang.storage import ROW_GROUP_ROWS, ROWS_PER_FILE, AdoptedFile
from kaifang.storage.layout import NULL_PARTITION

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

PARQUET_BLOCK_BYTES = 32 * 1024 * 1024
FINGERPRINT_SCHEME = "spark-xxhash64"
SOURCE_FORMAT = "spark-parquet"
_FOLDER_KEY = "_kaifang_partition"


def _ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def write_partitioned_spark(
    frame: DataFrame, folder: Path, *, partition_by: str, order_by: Sequence[str]
) -> PartitionedFiles:
    """Write ``frame`` under ``folder`` (replaced) as described in the module docstring and
    return the files, in partition order, with each partition's fingerprint."""
    from pyspark.sql.functions import col, expr

    columns = list(frame.columns)
    keyed = frame.withColumn(_FOLDER_KEY, col(_ident(partition_by)).cast("string"))
    ordered = keyed.repartition(_FOLDER_KEY).sortWithinPartitions(
        _FOLDER_KEY, *(col(_ident(c)) for c in order_by)
    )
    (
        ordered.write.mode("overwrite")
        .partitionBy(_FOLDER_KEY)
        .option("compression", "zstd")
        .option("parquet.block.size", str(PARQUET_BLOCK_BYTES))
        .option("parquet.block.row.count.limit", str(ROW_GROUP_ROWS))
        .option("maxRecordsPerFile", str(ROWS_PER_FILE))
        .parquet(str(folder))
    )
    session = frame.sparkSession
    hashed = ", ".join(_ident(c) for c in columns)
    key = f"CAST({_ident(partition_by)} AS STRING)"
    rows = (
        session.read.parquet(str(folder))
        .selectExpr(f"{key} AS k", f"CAST(xxhash64({hashed}) AS DECIMAL(38, 0)) AS h")
        .groupBy("k")
        .agg(expr("count(*)").alias("n"), expr("sum(h)").alias("s"))
        .collect()
    )
    prints = {
        (
            NULL_PARTITION if r["k"] is None else str(r["k"])
        ): f"{FINGERPRINT_SCHEME}:{r['n']}:{r['s']}"
        for r in rows
    }
    return PartitionedFiles(_files(folder, partition_by), prints, SOURCE_FORMAT)


def _files(folder: Path, partition_by: str) -> list[AdoptedFile]:
    files: list[AdoptedFile] = []
    for directory in sorted(folder.glob(f"{_FOLDER_KEY}=*")):
        raw = unquote(directory.name.split("=", 1)[1])
        value = None if raw == NULL_PARTITION else raw
        files.extend(
            AdoptedFile(str(path), {partition_by: value})
            for path in sorted(directory.glob("*.parquet"))
        )
    return files
