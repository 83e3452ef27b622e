"""Choosing the sort order of a version: the first date/datetime column (time), then the first
code-like column (a key such as a gantry, station or district code). Sorted Parquet keeps row
group statistics tight, so filters on time and key skip most of the file."""

from __future__ import annotations

import re
from collections.abc import Sequence

import duckdb

from kaifang.reading import Field
from kaifang.sqlutil import quote_ident

TIME_TYPES = ("datetime", "date")
_CODE_NAME = re.compile(r"(id|code|no|key)$|(^|_)(id|code)(_|$)|代碼|代號|編號|編碼", re.IGNORECASE)


def cluster_columns(fields: Sequence[Field]) -> list[str]:
    """The ORDER BY columns for these fields: at most one time column and one key column."""
    time = next((f.name for f in fields if f.type in TIME_TYPES), None)
    key = next(
        (f.name for f in fields if f.type in ("string", "integer") and _CODE_NAME.search(f.name)),
        None,
    )
    return [name for name in (time, key) if name is not None]


def clustered(relation: duckdb.DuckDBPyRelation, columns: Sequence[str]) -> duckdb.DuckDBPyRelation:
    if not columns:
        return relation
    return relation.order(", ".join(f"{quote_ident(c)} NULLS LAST" for c in columns))
