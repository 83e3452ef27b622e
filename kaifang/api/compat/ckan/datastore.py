"""DataStore actions: searching a resource's current version (``datastore_search``,
``datastore_search_sql``, ``datastore_info``) and writing one. Versions are immutable, so a
write publishes a new version through the publish path: ``datastore_create`` the records
given, ``datastore_upsert`` the current rows merged with them. ``datastore_delete`` answers a
CKAN error that says what to do instead."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from kaifang.api.compat.ckan.core import (
    Call,
    action,
    boolean,
    integer,
    invalid,
    json_value,
    required,
    strings,
)
from kaifang.api.compat.ckan.writes import publish_to_resource, resolve_resource_target
from kaifang.errors import KaifangError
from kaifang.service.data import ROW_ID

PG_TYPES = {
    "integer": "int8",
    "number": "float8",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
    "time": "time",
    "year": "int4",
    "object": "json",
    "array": "json",
}
"""Table Schema types as PostgreSQL names (CKAN's DataStore lives in PostgreSQL)."""
VALUE_PG_TYPES = {
    "int": "int8",
    "float": "float8",
    "Decimal": "numeric",
    "bool": "bool",
    "date": "date",
    "datetime": "timestamp",
    "time": "time",
    "timedelta": "interval",
    "dict": "json",
    "list": "json",
    "bytes": "bytea",
}
"""The Python type of a query's values as PostgreSQL names (``datastore_search_sql``)."""
ENGINE_PG_TYPES = {
    "BIGINT": "int8",
    "INTEGER": "int4",
    "SMALLINT": "int2",
    "TINYINT": "int2",
    "DOUBLE": "float8",
    "FLOAT": "float4",
    "VARCHAR": "text",
    "BOOLEAN": "bool",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "INTERVAL": "interval",
    "BLOB": "bytea",
}
"""The query engine's type names as PostgreSQL names, for columns without a value to tell."""


def _sort(params: dict[str, Any], columns: set[str]) -> list[tuple[str, bool]]:
    raw = params.get("sort")
    if not raw:
        return []
    out = []
    for part in str(raw).split(","):
        words = part.strip().split()
        if not words:
            continue
        name = words[0].strip('"')
        desc = len(words) > 1 and words[1].lower() == "desc"
        if name not in columns:
            raise invalid("sort", f"sort: field {name!r} not in resource")
        out.append((name, desc))
    return out


def _filters(params: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    filters = json_value(params, "filters") or {}
    if not isinstance(filters, dict):
        raise invalid("filters", "filters: must be a JSON object")
    unknown = [k for k in filters if k not in schema]
    if unknown:
        raise invalid("filters", f"filters: field(s) not in resource: {', '.join(unknown)}")
    return filters


def _q(params: dict[str, Any], schema: dict[str, Any]) -> str | dict[str, str] | None:
    q = json_value(params, "q")
    if not q:
        return None
    if isinstance(q, dict):
        unknown = [k for k in q if k not in schema]
        if unknown:
            raise invalid("q", f"q: field(s) not in resource: {', '.join(unknown)}")
        return {str(k): str(v) for k, v in q.items()}
    return str(q)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, dict | list):  # a nested value: JSON text, as in CSV downloads
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


def _field(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    if name == ROW_ID:
        return {"id": ROW_ID, "type": "int4"}
    return {"id": name, "type": PG_TYPES.get(schema[name].get("type", "string"), "text")}


@action("datastore_search")
def datastore_search(call: Call) -> dict[str, Any]:
    """Rows of resource ``resource_id``'s current version: ``filters`` (a JSON object; a
    list value means any of), ``q`` (every word must occur; or ``{column: words}``),
    ``distinct``, ``fields``, ``sort`` (``"col desc, other"``), ``limit`` (default 100),
    ``offset``, ``include_total``, ``records_format`` (``objects``, ``lists`` or ``csv``).
    Rows carry ``_id``, their position in the version."""
    params, service = call.params, call.service
    resource = service.get_resource(required(params, "resource_id"))
    schema = {c["name"]: c for c in resource["schema"]["fields"]}
    filters = _filters(params, schema)
    distinct = boolean(params, "distinct", False)
    fields = strings(params, "fields") or ([] if distinct else [ROW_ID]) + list(schema)
    bad = [f for f in fields if f not in schema and f != ROW_ID]
    if bad:
        raise invalid("fields", f"fields: field(s) not in resource: {', '.join(bad)}")
    limit = integer(params, "limit", 100, maximum=service.settings.query_max_rows)
    offset = integer(params, "offset", 0)
    records_format = str(params.get("records_format") or "objects")
    if records_format not in {"objects", "lists", "csv"}:
        raise invalid("records_format", "records_format: must be objects, lists or csv")
    page = service.datastore(
        resource["id"],
        filters=filters,
        q=_q(params, schema),
        sort=_sort(params, {*schema, ROW_ID}),
        fields=fields,
        limit=limit,
        offset=offset,
        include_total=boolean(params, "include_total", True),
        distinct=distinct,
    )
    records: Any = page.records
    if records_format == "lists":
        records = [[r.get(c) for c in page.columns] for r in page.records]
    elif records_format == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        for r in page.records:
            writer.writerow([_csv_cell(r.get(c)) for c in page.columns])
        records = buf.getvalue()
    action_url = f"/api/3/action/datastore_search?resource_id={resource['id']}"
    result: dict[str, Any] = {
        "resource_id": resource["id"],
        "fields": [_field(c, schema) for c in page.columns],
        "records": records,
        "records_format": records_format,
        "limit": limit,
        "offset": offset,
        "_links": {
            "start": action_url,
            "next": f"{action_url}&offset={offset + limit}&limit={limit}",
        },
    }
    if page.total is not None:
        result["total"] = page.total
        result["total_was_estimated"] = False
    return result


@action("datastore_search_sql")
def datastore_search_sql(call: Call) -> dict[str, Any]:
    """A read-only SQL query over published tables (the query layer of ``/api/sql``); each
    field's ``type`` is the PostgreSQL name of the column's type as the engine declares it
    (``int4`` for an INTEGER column), or of its values' type where the engine cannot say."""
    sql = required(call.params, "sql")
    result, values = call.service.sql_typed(sql)
    declared = _engine_types(call, sql, result.columns)
    return {
        "sql": sql,
        "fields": [
            {"id": c, "type": d or VALUE_PG_TYPES.get(v or "", "text")}
            for c, d, v in zip(result.columns, declared, values, strict=True)
        ],
        "records": [dict(zip(result.columns, row, strict=True)) for row in result.rows],
        "records_truncated": result.truncated,
    }


def _engine_types(call: Call, sql: str, columns: list[str]) -> list[str | None]:
    """The PostgreSQL name of each result column's type as the engine declares it: the
    query, cut to no rows, is read under a one-row LEFT JOIN, so ``typeof`` sees its columns
    without running it again. None where that cannot be asked (repeated names) or fails."""
    unknown: list[str | None] = [None] * len(columns)
    if not columns or len(set(columns)) != len(columns):
        return unknown
    probes = ", ".join('typeof("' + c.replace('"', '""') + '")' for c in columns)
    query = sql.strip().rstrip(";")
    probe = (
        f"SELECT {probes} FROM (SELECT 1) AS kaifang_one "
        f"LEFT JOIN (SELECT * FROM ({query}) AS q LIMIT 0) AS q ON true"
    )
    try:
        answer, _types = call.service.sql_typed(probe)
    except KaifangError:
        return unknown
    return [_pg_name(str(name)) for name in answer.rows[0]] if answer.rows else unknown


def _pg_name(engine_type: str) -> str:
    if engine_type.startswith("DECIMAL"):
        return "numeric"
    if engine_type.endswith("]") or engine_type.startswith(("STRUCT", "MAP")):
        return "json"
    return ENGINE_PG_TYPES.get(engine_type, "text")


@action("datastore_info")
def datastore_info(call: Call) -> dict[str, Any]:
    """The fields (with PostgreSQL types) and row count of resource ``id``."""
    resource = call.service.get_resource(required(call.params, "id"))
    schema = {c["name"]: c for c in resource["schema"]["fields"]}
    return {
        "meta": {"count": resource["rows"] or 0, "id": resource["id"]},
        "fields": [_field(name, schema) for name in [ROW_ID, *schema]],
    }


def _records(call: Call) -> list[dict[str, Any]]:
    records = json_value(call.params, "records")
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise invalid("records", "records: give the rows as a list of objects")
    if not records:
        raise invalid("records", "records: give at least one row")
    return records


def _write_records(path: Path, records: list[dict[str, Any]], names: list[str]) -> Path:
    rows = [{n: r.get(n) for n in names} for r in records]
    path.write_text(json.dumps(rows, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def _answer(call: Call, resource_id: str, method: str) -> dict[str, Any]:
    resource = call.service.get_resource(resource_id)
    schema = {c["name"]: c for c in resource["schema"]["fields"]}
    return {
        "resource_id": resource_id,
        "fields": [_field(n, schema) for n in schema],
        "method": method,
        "version": resource["current_version"],
        "total": resource["rows"],
    }


@action("datastore_create", writes=True)
def datastore_create(call: Call) -> dict[str, Any]:
    """``records`` (a list of objects) become the new current version of resource
    ``resource_id`` (or of a new resource ``resource: {package_id, name}``), through the
    publish path: reading, screening and the privacy gate. ``fields`` may name the columns
    (their order); types are inferred from the values, as for a file."""
    user = call.user()
    records = _records(call)
    dataset_ref, resource_ref = resolve_resource_target(call, user)
    names = [str(f.get("id")) for f in json_value(call.params, "fields") or [] if f.get("id")]
    names += [k for r in records for k in r if k not in names]
    names = list(dict.fromkeys(names))
    with tempfile.TemporaryDirectory(prefix="kaifang-upload-") as tmp:
        path = _write_records(Path(tmp) / f"{resource_ref}.json", records, names)
        published = publish_to_resource(call, user, dataset_ref, resource_ref, path)
    return _answer(call, published, "insert")


@action("datastore_upsert", writes=True)
def datastore_upsert(call: Call) -> dict[str, Any]:
    """``records`` merged into resource ``resource_id``'s current rows by ``method``:
    ``insert`` appends them, ``upsert`` (the default) replaces the rows with the same key and
    appends the others, ``update`` only replaces. The key is ``primary_key`` (a list of
    columns) or the dataset's metadata ``primary_key``. Versions are immutable: the merged
    table is published as a new version through the publish path (screening and gate
    included), and the earlier version stays."""
    user = call.user()
    records = _records(call)
    resource = call.service.get_resource(required(call.params, "resource_id"))
    method = str(call.params.get("method") or "upsert")
    key = strings(call.params, "primary_key") or call.service.get_dataset(
        resource["dataset_id"]
    ).get("primary_key", [])
    columns = [c["name"] for c in resource["schema"]["fields"]]
    names = list(dict.fromkeys([*columns, *(k for r in records for k in r)]))
    with tempfile.TemporaryDirectory(prefix="kaifang-upload-") as tmp:
        given = _write_records(Path(tmp) / "records.json", records, names)
        if resource["current_version"] is None:  # nothing to merge with: the first version
            merged = given
        else:
            merged = Path(tmp) / f"{resource['id']}.json"
            call.service.merge_records(resource["id"], given, merged, method=method, key=key)
        published = publish_to_resource(call, user, resource["dataset_id"], resource["id"], merged)
    return _answer(call, published, method)


@action("datastore_delete", writes=True)
def datastore_delete(call: Call) -> None:
    """Refused: versions are immutable and kept; ``package_delete`` withdraws a dataset,
    and ``datastore_create`` publishes a table without the rows to drop."""
    call.user()
    raise invalid(
        "filters",
        "datastore_delete: kaifang's versions are immutable and kept, so rows cannot be "
        "deleted in place; publish the table without them (datastore_create or "
        "resource_update) or withdraw the dataset (package_delete)",
    )
