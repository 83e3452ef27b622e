"""DataStore actions: searching a resource's current version (``datastore_search``,
``datastore_search_sql``, ``datastore_info``) and writing one (``datastore_create``: the
records become a new version through the publish path). Versions are immutable, so the actions
that change rows in place (``datastore_upsert``, ``datastore_delete``) answer a CKAN error
that says what to do instead."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from kaifang.api.compat.ckan.core import (
    Call,
    CkanError,
    action,
    boolean,
    integer,
    invalid,
    json_value,
    required,
    strings,
)
from kaifang.api.compat.ckan.writes import publish_to_resource, resolve_resource_target
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
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
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
    field's ``type`` is the PostgreSQL name of its values' type."""
    sql = required(call.params, "sql")
    result, types = call.service.sql_typed(sql)
    return {
        "sql": sql,
        "fields": [
            {"id": c, "type": VALUE_PG_TYPES.get(t or "", "text")}
            for c, t in zip(result.columns, types, strict=True)
        ],
        "records": [dict(zip(result.columns, row, strict=True)) for row in result.rows],
        "records_truncated": result.truncated,
    }


@action("datastore_info")
def datastore_info(call: Call) -> dict[str, Any]:
    """The fields (with PostgreSQL types) and row count of resource ``id``."""
    resource = call.service.get_resource(required(call.params, "id"))
    schema = {c["name"]: c for c in resource["schema"]["fields"]}
    return {
        "meta": {"count": resource["rows"] or 0, "id": resource["id"]},
        "fields": [_field(name, schema) for name in [ROW_ID, *schema]],
    }


@action("datastore_create", writes=True)
def datastore_create(call: Call) -> dict[str, Any]:
    """``records`` (a list of objects) become the new current version of resource
    ``resource_id`` (or of a new resource ``resource: {package_id, name}``), through the
    publish path: reading, screening and the privacy gate. ``fields`` may name the columns
    (their order); types are inferred from the values, as for a file."""
    user = call.user()
    records = json_value(call.params, "records")
    if (
        not isinstance(records, list)
        or not records
        or not all(isinstance(r, dict) for r in records)
    ):
        raise invalid("records", "records: give the rows as a non-empty list of objects")
    dataset_ref, resource_ref = resolve_resource_target(call, user)
    names = [str(f.get("id")) for f in json_value(call.params, "fields") or [] if f.get("id")]
    names += [k for r in records for k in r if k not in names]
    with tempfile.TemporaryDirectory(prefix="kaifang-upload-") as tmp:
        path = Path(tmp) / f"{resource_ref or 'records'}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(names)
            for r in records:
                writer.writerow([_cell(r.get(n)) for n in names])
        published = publish_to_resource(call, user, dataset_ref, resource_ref, path)
    resource = call.service.get_resource(published)
    schema = {c["name"]: c for c in resource["schema"]["fields"]}
    return {
        "resource_id": published,
        "fields": [_field(n, schema) for n in schema],
        "method": "insert",
        "version": resource["current_version"],
    }


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def _immutable(name: str) -> CkanError:
    return invalid(
        "method",
        f"{name}: kaifang's versions are immutable, so rows cannot be changed in place; send "
        "the whole table as a new version with datastore_create (records) or resource_update "
        "(upload)",
    )


@action("datastore_upsert", writes=True)
def datastore_upsert(call: Call) -> None:
    """Refused: versions are immutable; ``datastore_create`` publishes a whole new version."""
    call.user()
    raise _immutable("datastore_upsert")


@action("datastore_delete", writes=True)
def datastore_delete(call: Call) -> None:
    """Refused: versions are immutable and kept; ``package_delete`` withdraws a dataset."""
    call.user()
    raise _immutable("datastore_delete")
