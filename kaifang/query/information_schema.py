"""``information_schema.tables`` and ``information_schema.columns`` for SQL users.

The sandbox never shows DuckDB's own catalog (it would list the engine's views and settings).
Instead the guard (:mod:`kaifang.query.guard`) turns these two schema-qualified names into
the plain table names :data:`TABLES` and :data:`COLUMNS`, and the resolver answers them with
an in-memory table built here from the catalog and the stored versions: one row per name the
resolver itself answers (each resource with a current version, and ``<id>__v<N>`` for each
version), nothing else. The columns follow the SQL standard's views (``table_catalog``,
``table_schema``, ``table_name``, ``column_name``, ``ordinal_position``, ``data_type``,
``is_nullable``) with kaifang's own after them; ``data_type`` is the type the engine reads
(DuckDB's name for it, as ``typeof()`` gives it), ``field_type`` the Table Schema type.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.dataset as pads
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kaifang.catalog.db import Catalog
from kaifang.catalog.models import Resource
from kaifang.errors import NotFoundError
from kaifang.query.guard import INFORMATION_SCHEMA
from kaifang.storage import VersionStore

TABLES = INFORMATION_SCHEMA["tables"]
COLUMNS = INFORMATION_SCHEMA["columns"]
NAMES = frozenset({TABLES, COLUMNS})
"""The table names the guard gives ``information_schema.tables`` / ``.columns``: a dot is no
resource id character, so no resource can take them."""
CATALOG_NAME = "kaifang"
TABLE_SCHEMA = "main"

TABLES_SCHEMA = pa.schema(
    [
        ("table_catalog", pa.string()),
        ("table_schema", pa.string()),
        ("table_name", pa.string()),
        ("table_type", pa.string()),
        ("table_comment", pa.string()),
        ("dataset_id", pa.string()),
        ("version", pa.int64()),
        ("is_current", pa.bool_()),
        ("row_count", pa.int64()),
    ]
)
COLUMNS_SCHEMA = pa.schema(
    [
        ("table_catalog", pa.string()),
        ("table_schema", pa.string()),
        ("table_name", pa.string()),
        ("column_name", pa.string()),
        ("ordinal_position", pa.int64()),
        ("data_type", pa.string()),
        ("is_nullable", pa.string()),
        ("column_comment", pa.string()),
        ("field_type", pa.string()),
    ]
)


@dataclass(frozen=True)
class _Column:
    name: str
    data_type: str
    description: str | None
    field_type: str | None


@dataclass(frozen=True)
class _Table:
    name: str
    dataset_id: str
    title: str
    version: int
    current: bool
    rows: int
    storage: str  # the resource's storage name: its files, and the key of their columns


def information_schema_source(
    catalog: Catalog, store: VersionStore
) -> Callable[[str], pads.Dataset | None]:
    """``source(name)``: for :data:`TABLES` or :data:`COLUMNS`, that view as a pyarrow
    Dataset (read from the catalog at the time of the query); None for any other name. A
    version's columns are read once (its files never change) and remembered."""
    known: dict[tuple[str, int], list[_Column]] = {}
    lock = threading.Lock()

    def columns_of(table: _Table) -> list[_Column]:
        key = (table.storage, table.version)
        with lock:
            if key in known:
                return known[key]
        found = _version_columns(store, table.storage, table.version)
        with lock:
            known[key] = found
        return found

    def source(name: str) -> pads.Dataset | None:
        if name not in NAMES:
            return None
        tables = _published(catalog)
        if name == TABLES:
            return pads.dataset(_tables_table(tables))
        return pads.dataset(_columns_table(tables, columns_of))

    return source


def _published(catalog: Catalog) -> list[_Table]:
    """Every table name the resolver answers, in name order (see resolver.published_tables)."""
    with catalog.read() as session:
        resources = session.scalars(
            select(Resource)
            .options(selectinload(Resource.versions), selectinload(Resource.dataset))
            .order_by(Resource.slug)
        ).all()
        tables: list[_Table] = []
        for resource in resources:
            rows = {v.number: v.rows for v in resource.versions}
            current = resource.current_version
            names = [(resource.slug, current)] if current in rows else []
            names += [(f"{resource.slug}__v{n}", n) for n in sorted(rows)]
            tables.extend(
                _Table(
                    name=name,
                    dataset_id=resource.dataset.slug,
                    title=resource.dataset.title,
                    version=number,
                    current=number == current,
                    rows=rows[number],
                    storage=resource.storage,
                )
                for name, number in names
                if number is not None
            )
    return tables


def _tables_table(tables: list[_Table]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "table_catalog": CATALOG_NAME,
                "table_schema": TABLE_SCHEMA,
                "table_name": t.name,
                "table_type": "BASE TABLE",
                "table_comment": t.title,
                "dataset_id": t.dataset_id,
                "version": t.version,
                "is_current": t.current,
                "row_count": t.rows,
            }
            for t in tables
        ],
        schema=TABLES_SCHEMA,
    )


def _columns_table(tables: list[_Table], columns_of: Callable[[_Table], list[_Column]]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "table_catalog": CATALOG_NAME,
                "table_schema": TABLE_SCHEMA,
                "table_name": t.name,
                "column_name": column.name,
                "ordinal_position": position,
                "data_type": column.data_type,
                "is_nullable": "YES",
                "column_comment": column.description,
                "field_type": column.field_type,
            }
            for t in tables
            for position, column in enumerate(columns_of(t), start=1)
        ],
        schema=COLUMNS_SCHEMA,
    )


def _version_columns(store: VersionStore, storage: str, version: int) -> list[_Column]:
    """The version's columns: names and engine types from its Parquet schema, Table Schema
    types and descriptions from its manifest."""
    try:
        schema = store.dataset(storage, version).schema
        described = store.read_manifest(storage, version).get("schema", {}).get("fields", [])
    except NotFoundError:
        return []  # files gone: the query on the table itself says so
    fields = {f.get("name"): f for f in described if isinstance(f, dict)}
    types = duckdb_types(schema)
    return [
        _Column(
            name=name,
            data_type=types[name],
            description=fields.get(name, {}).get("description") or None,
            field_type=fields.get(name, {}).get("type"),
        )
        for name in schema.names
    ]


_local = threading.local()


def duckdb_types(schema: pa.Schema) -> dict[str, str]:
    """DuckDB's name for each column type of ``schema`` (``BIGINT``, ``VARCHAR``,
    ``TIMESTAMP``, ``STRUCT(...)[]``...), asked of a DuckDB that reads nothing."""
    con: duckdb.DuckDBPyConnection | None = getattr(_local, "con", None)
    if con is None:
        con = duckdb.connect(":memory:", config={"enable_external_access": False, "threads": 1})
        _local.con = con
    con.register("kaifang_schema", schema.empty_table())
    try:
        described = con.execute("DESCRIBE SELECT * FROM kaifang_schema").fetchall()
    finally:
        con.unregister("kaifang_schema")
    return {str(row[0]): str(row[1]) for row in described}
