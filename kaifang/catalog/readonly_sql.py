"""PROVISIONAL read-only SQL over published resources, until the safe query layer
(``kaifang.query.run_sql``) lands with the same inputs (``sql``, ``resolver``, ``settings``).

Each published name becomes a DuckDB view over its Parquet files; then file access is limited
to exactly those files, every other file operation is disabled, and the configuration is
locked before the user's SQL runs on an in-memory database (so it cannot change any data)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow.dataset as pads

from kaifang.catalog.db import open_catalog
from kaifang.catalog.resolver import Resolver, catalog_resolver, published_tables
from kaifang.errors import QueryError, QueryLimitError
from kaifang.settings import Settings
from kaifang.sqlutil import quote_ident, quote_literal
from kaifang.storage import VersionStore, parquet_scan_sql


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def run_readonly_sql(
    sql: str, *, resolver: Resolver, tables: Sequence[str], settings: Settings
) -> dict[str, Any]:
    """``{columns, rows}`` of ``sql``; at most ``settings.query_max_rows`` rows."""
    con = duckdb.connect(
        config={
            "memory_limit": settings.query_memory_limit,
            "threads": settings.query_threads,
        }
    )
    try:
        sources = {name: source for name in tables if (source := resolver(name)) is not None}
        files_by_table = {
            name: source
            for name, source in sources.items()
            if not isinstance(source, pads.Dataset) and source
        }
        for name, source in sources.items():
            if isinstance(source, pads.Dataset):  # an object store's version: no file access
                con.register(name, source)
        allowed = sorted({f for files in files_by_table.values() for f in files})
        if allowed:
            con.execute(f"SET allowed_paths = [{', '.join(quote_literal(f) for f in allowed)}]")
        for name, files in files_by_table.items():
            con.execute(
                f"CREATE VIEW {quote_ident(name)} AS SELECT * FROM {parquet_scan_sql(files)}"
            )
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        try:
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchmany(settings.query_max_rows + 1)
        except duckdb.Error as exc:
            raise QueryError(
                f"the query failed: {exc}",
                hint=f"Published tables: {', '.join(sorted(sources)) or 'none'}.",
            ) from None
        if len(rows) > settings.query_max_rows:
            raise QueryLimitError(
                f"the query returns more than {settings.query_max_rows} rows",
                hint="Add a LIMIT or aggregate; the row limit is KAIFANG_QUERY_MAX_ROWS.",
            )
        return {"columns": columns, "rows": [[_jsonable(v) for v in row] for row in rows]}
    finally:
        con.close()


def query_published(settings: Settings, sql: str) -> dict[str, Any]:
    """``{columns, rows}`` for ``kaifang query``. Tables are resource ids (current version)
    or ``<id>__v<N>`` (a pinned version)."""
    with open_catalog(settings) as catalog:
        resolver = catalog_resolver(catalog, VersionStore(settings))
        return run_readonly_sql(
            sql, resolver=resolver, tables=published_tables(catalog), settings=settings
        )
