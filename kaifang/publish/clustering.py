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
CODE_WORDS = frozenset({"id", "code", "no", "key"})
CODE_CHARACTERS = ("代碼", "代號", "編號", "編碼", "識別碼")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def is_code_like(name: str) -> bool:
    """``GantryID_O``, ``station_code``, ``StopNo``, ``村里代碼`` are; ``VehicleType`` is not."""
    if any(chars in name for chars in CODE_CHARACTERS):
        return True
    return any(word.lower() in CODE_WORDS for word in _WORD.findall(name))


def cluster_columns(fields: Sequence[Field]) -> list[str]:
    """The ORDER BY columns for these fields: at most one time column and one key column."""
    time = next((f.name for f in fields if f.type in TIME_TYPES), None)
    key = next(
        (f.name for f in fields if f.type in ("string", "integer") and is_code_like(f.name)),
        None,
    )
    return [name for name in (time, key) if name is not None]


def clustered(relation: duckdb.DuckDBPyRelation, columns: Sequence[str]) -> duckdb.DuckDBPyRelation:
    if not columns:
        return relation
    return relation.order(", ".join(f"{quote_ident(c)} NULLS LAST" for c in columns))
