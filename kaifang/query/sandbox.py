"""A DuckDB connection that can read only the data it is given, and nothing else.

Configured once, in this order: no extension installing or autoloading, no Python
replacement scans, bounded memory / threads / spill space, Parquet footers cached (versions
are immutable), the published files (or their
directories) listed as the only external paths, then ``enable_external_access = false`` and
finally ``lock_configuration = true`` so that no later statement can undo any of it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import duckdb

from kaifang.settings import Settings
from kaifang.sqlutil import quote_literal


def sandboxed_connection(
    settings: Settings,
    *,
    allowed_directories: Iterable[str | Path] = (),
    allowed_paths: Iterable[str | Path] = (),
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose only readable files are ``allowed_*``, locked."""
    con = duckdb.connect(
        ":memory:",
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
            "python_enable_replacements": False,
        },
    )
    try:
        spill = temp_directory(settings)
        spill.mkdir(parents=True, exist_ok=True)  # DuckDB creates only the last folder
        directories = [_as_directory(path) for path in allowed_directories]
        paths = sorted({str(path) for path in allowed_paths})
        statements = [
            f"SET allowed_directories = {_list_literal(directories)}",
            f"SET allowed_paths = {_list_literal(paths)}",
            f"SET memory_limit = {quote_literal(settings.query_memory_limit)}",
            f"SET threads = {int(settings.query_threads)}",
            f"SET temp_directory = {quote_literal(str(spill))}",
            f"SET max_temp_directory_size = {quote_literal(settings.query_spill_limit)}",
            "SET allow_persistent_secrets = false",
            # stored versions never change in place, so their footers can be kept in memory
            # (DuckDB still re-reads a file whose modification time moved)
            "SET parquet_metadata_cache = true",
            "SET enable_external_access = false",
            "SET lock_configuration = true",
        ]
        for statement in statements:
            con.execute(statement)
    except BaseException:
        con.close()
        raise
    return con


def temp_directory(settings: Settings) -> Path:
    """Where DuckDB spills when a query outgrows its memory limit."""
    return settings.data_dir / "tmp" / "query"


def _as_directory(path: str | Path) -> str:
    text = str(path)
    return text if text.endswith(("/", os.sep)) else text + "/"


def _list_literal(items: list[str]) -> str:
    return "[" + ", ".join(quote_literal(item) for item in items) + "]"
