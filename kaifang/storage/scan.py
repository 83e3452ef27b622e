"""The one right way to name a version's files in DuckDB SQL.

Partitioned versions live in ``<column>=<value>/`` folders. DuckDB (and Spark) would read
such names as Hive partitions and put the folder's text, with a guessed type, in place of
the column stored in the files (``001`` becomes the integer 1). The files hold every column
with its true type, so readers turn Hive partitioning off.
"""

from __future__ import annotations

from collections.abc import Sequence

from kaifang.errors import ValidationError
from kaifang.sqlutil import quote_literal


def parquet_scan_sql(files: Sequence[str]) -> str:
    """``read_parquet([...], hive_partitioning = false)`` over ``files`` (from version_files)."""
    if not files:
        raise ValidationError(
            "no Parquet files to read",
            hint="Pass store.version_files(resource_id, version); every version has a file.",
        )
    listed = ", ".join(quote_literal(str(path)) for path in files)
    return f"read_parquet([{listed}], hive_partitioning = false)"
