"""``kaifang query --engine spark``: the same read-only SQL, run on the Spark cluster."""

from __future__ import annotations

from typing import Any

from kaifang.catalog.db import open_catalog
from kaifang.jsonable import jsonable
from kaifang.query.resolver import catalog_resolver
from kaifang.query.spark_engine import SparkEngine
from kaifang.settings import Settings
from kaifang.storage import VersionStore


def query_published_spark(settings: Settings, sql: str) -> dict[str, Any]:
    """``{columns, rows, truncated}`` of ``sql`` over published resources, run on
    ``settings.spark_master``. Tables are resource ids or ``<id>__v<N>``."""
    with open_catalog(settings) as catalog:
        resolver = catalog_resolver(catalog, VersionStore(settings))
        result = SparkEngine(settings).run_sql(sql, resolver=resolver)
    return {
        "columns": result.columns,
        "rows": [[jsonable(value) for value in row] for row in result.rows],
        "truncated": result.truncated,
    }
