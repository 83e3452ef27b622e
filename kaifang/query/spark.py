"""The same validated query, transpiled for Spark SQL when data outgrows one machine."""

from __future__ import annotations

from collections.abc import Mapping

from kaifang.query.guard import ValidatedQuery


def to_spark_sql(validated: ValidatedQuery, tables: Mapping[str, str] | None = None) -> str:
    """Spark SQL for ``validated``; ``tables`` maps each resource name to the Spark table
    (e.g. a temp view registered over the version's Parquet). By default a resource keeps
    its name, so ``<id>__v<N>`` becomes a Spark view of that name. Each renamed table keeps
    the resource name as its alias, so qualified column references still work."""
    names = {name: name for name in validated.tables}
    names.update(tables or {})
    return validated.rename_tables(names, dialect="spark").sql(dialect="spark")
