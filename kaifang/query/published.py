"""``kaifang query``: read-only SQL over published resources through the safe query layer.

Tables are resource ids (current version) or ``<id>__v<N>`` (a pinned version); the catalog's
resolver maps them to the version's files, and :func:`kaifang.query.run_sql` validates the
SQL and runs it in the sandboxed engine with the time, row and memory limits of settings; with
``engine="spark"`` the same SQL runs on ``settings.spark_master``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kaifang.catalog.db import open_catalog
from kaifang.jsonable import jsonable
from kaifang.query import run_sql
from kaifang.query.resolver import catalog_resolver
from kaifang.settings import Settings
from kaifang.storage import VersionStore


def query_published(
    settings: Settings,
    sql: str,
    *,
    engine: str = "duckdb",
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """``{columns, rows, truncated}`` of ``sql``; at most ``settings.query_max_rows`` rows.
    ``engine`` is ``duckdb`` (a fresh sandbox) or ``spark``, which starts only once the guard
    has accepted the query and tells ``progress`` how it goes (start-up, tasks, and whether
    ``spark_query_timeout`` is shorter than the start-up it waited for)."""
    with open_catalog(settings) as catalog:
        resolver = catalog_resolver(catalog, VersionStore(settings))
        if engine == "spark":
            from kaifang.query.spark_engine import SparkEngine  # PySpark is an optional extra

            spark = SparkEngine(settings, progress=progress)
            result = spark.run_sql(sql, resolver=resolver)
            if progress is not None and spark.limit_below_startup():
                progress(
                    f"Note: spark_query_timeout ({settings.spark_query_timeout:g} s) is "
                    f"shorter than Spark's start-up here ({spark.startup_seconds:.0f} s)."
                )
        else:
            result = run_sql(sql, resolver=resolver, settings=settings)
    return {
        "columns": result.columns,
        "rows": [[jsonable(v) for v in row] for row in result.rows],
        "truncated": result.truncated,
    }
