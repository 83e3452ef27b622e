"""CKAN Action API subset under ``/api/3/action/`` (and ``/api/action/``, where the ckanapi
client sends its calls), so that CKAN clients work unchanged.

Actions: status_show, package_list, package_search, package_show, organization_list,
organization_show, resource_show, datastore_search, datastore_search_sql. Responses use CKAN's
``{help, success, result}`` envelope; errors use CKAN's ``__type`` names and HTTP statuses.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kaifang import __version__
from kaifang.api.capacity import is_heavy
from kaifang.api.errors import ckan_error
from kaifang.api.responses import CkanAnswer, ckan_errors, errors
from kaifang.catalog.dcat import to_ckan_package
from kaifang.errors import KaifangError, NotFoundError, QueryError
from kaifang.service import DatasetSearch
from kaifang.service.access import Service, link_base, service_of

router = APIRouter(tags=["CKAN Action API"])

CKAN_TYPES = {
    "integer": "int",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
    "time": "time",
    "year": "int",
}
MAX_ROWS = 1000


class CkanError(Exception):
    def __init__(self, kind: str, message: str, status: int, **fields: Any) -> None:
        super().__init__(message)
        self.kind, self.message, self.status, self.fields = kind, message, status, fields


def not_found(message: str) -> CkanError:
    return CkanError("Not Found Error", f"Not found: {message}", 404)


def invalid(field: str, message: str) -> CkanError:
    return CkanError("Validation Error", message, 409, **{field: [message]})


def ckan_error_response(action: str, exc: CkanError) -> JSONResponse:
    return ckan_error(action, exc.kind, exc.message, exc.status, **exc.fields)


def _help(action: str) -> str:
    return f"/api/3/action/help_show?name={action}"


Params = dict[str, Any]
ACTIONS: dict[str, Callable[[Service, Params, str], Any]] = {}


def action(name: str) -> Callable[[Callable[[Service, Params, str], Any]], Any]:
    def register(fn: Callable[[Service, Params, str], Any]) -> Any:
        ACTIONS[name] = fn
        return fn

    return register


async def _params(request: Request) -> Params:
    params: Params = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        params[key] = values if len(values) > 1 else values[0]
    if request.method == "POST":
        body = await request.body()
        if body:
            try:
                data = json.loads(body)
            except ValueError:
                raise CkanError("Validation Error", "request body is not valid JSON", 400) from None
            if not isinstance(data, dict):
                raise CkanError("Validation Error", "request body must be a JSON object", 400)
            params.update(data)
    return params


async def _dispatch(request: Request, name: str) -> JSONResponse:
    fn = ACTIONS.get(name)
    if fn is None:
        return ckan_error_response(
            name,
            CkanError(
                "Bad Request",
                f"Action name not known: {name}; known: {', '.join(sorted(ACTIONS))}",
                400,
            ),
        )
    try:
        params = await _params(request)
        result = fn(service_of(request), params, link_base(request))
    except CkanError as exc:
        return ckan_error_response(name, exc)
    except RecursionError:  # json.loads of a deeply nested body or filters
        return ckan_error_response(
            name, CkanError("Validation Error", "the JSON is nested too deeply", 400)
        )
    except NotFoundError as exc:
        return ckan_error_response(name, not_found(exc.message))
    except QueryError as exc:
        return ckan_error_response(name, invalid("query", exc.message))
    except KaifangError as exc:
        if exc.status >= 500:  # stored data the catalog lists cannot be read
            return ckan_error_response(
                name, CkanError("Internal Server Error", exc.message, exc.status)
            )
        return ckan_error_response(name, invalid("request", exc.message))
    return JSONResponse({"help": _help(name), "success": True, "result": result})


# -- parameters ----------------------------------------------------------------------------
def _int(params: Params, key: str, default: int, maximum: int | None = None) -> int:
    raw = params.get(key, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise invalid(key, f"{key}: Invalid integer {raw!r}") from None
    if value < 0:
        raise invalid(key, f"{key}: Must be a natural number")
    return min(value, maximum) if maximum is not None else value


def _bool(params: Params, key: str, default: bool) -> bool:
    raw = params.get(key, default)
    if isinstance(raw, bool):
        return raw
    return str(raw).strip().lower() in {"true", "1", "yes", "on"}


def _list(params: Params, key: str) -> list[str]:
    raw = params.get(key)
    if raw is None or raw == "":
        return []
    if isinstance(raw, list):
        return [str(v) for v in raw]
    text = str(raw)
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            raise invalid(key, f"{key}: not a JSON list") from None
        return [str(v) for v in value]
    return [part.strip() for part in text.split(",") if part.strip()]


def _required(params: Params, key: str) -> str:
    value = params.get(key)
    if value is None or value == "":
        raise invalid(key, f"{key}: Missing value")
    return str(value)


# -- shapes --------------------------------------------------------------------------------
def package_dict(dataset: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The catalog's CKAN mapping, with this server's URLs and CKAN's organization shape."""
    package = to_ckan_package(dataset)
    package["url"] = package["url"] or f"{base_url}/datasets/{dataset['id']}"
    package["organization"] = _org_dict(dataset["organization"])
    package["owner_org"] = package["organization"]["id"]
    package["resources"] = [resource_dict(r, dataset, base_url) for r in dataset["resources"]]
    return package


def resource_dict(
    resource: dict[str, Any], dataset: dict[str, Any], base_url: str
) -> dict[str, Any]:
    return {
        "id": resource["id"],
        "package_id": dataset["id"],
        "name": resource.get("name") or resource["id"],
        "description": resource.get("description") or "",
        "format": "CSV",
        "mimetype": "text/csv",
        "url": f"{base_url}/api/resources/{resource['id']}/download.csv",
        "datastore_active": True,
        "created": resource.get("created"),
        "last_modified": resource.get("modified"),
        "state": "active",
        "url_type": "datastore",
        "extras": {"identifier": resource.get("identifier")},
    }


def _org_dict(org: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(org.get("code", "")).lower(),
        "name": str(org.get("code", "")).lower(),
        "title": org.get("name"),
        "description": org.get("description") or "",
        "type": "organization",
        "state": "active",
        "is_organization": True,
    }


# -- actions -------------------------------------------------------------------------------
@action("status_show")
def status_show(service: Service, params: Params, base_url: str) -> dict[str, Any]:
    return {
        "site_title": "kaifang 開放資料平臺",
        "site_url": base_url,
        "ckan_version": "2.10.0",
        "kaifang_version": __version__,
        "api_version": 3,
        "extensions": ["datastore"],
        "locale_default": "zh_Hant_TW",
    }


@action("package_list")
def package_list(service: Service, params: Params, base_url: str) -> list[str]:
    limit = _int(params, "limit", 1_000_000)
    offset = _int(params, "offset", 0)
    page = service.search_datasets(limit=limit, offset=offset)
    return [d["id"] for d in page.items]


_FQ_TERM = re.compile(r'(?P<key>[\w.]+):(?:"(?P<quoted>[^"]*)"|(?P<bare>[^\s"]+))')
_FQ_KEYS = {
    "organization": "org",
    "owner_org": "org",
    "tags": "tag",
    "res_format": "format",
    "license_id": "license",
    "groups": "category",
}


def parse_fq(fq: str) -> dict[str, str]:
    """``organization:x tags:"y z" res_format:CSV`` → portal search filters."""
    filters: dict[str, str] = {}
    rest = fq
    for match in _FQ_TERM.finditer(fq):
        key = match["key"]
        if key not in _FQ_KEYS:
            raise CkanError(
                "Search Query Error",
                f"fq field {key!r} is not supported; use one of {', '.join(sorted(_FQ_KEYS))}",
                400,
            )
        filters[_FQ_KEYS[key]] = match["quoted"] if match["quoted"] is not None else match["bare"]
        rest = rest.replace(match.group(0), " ")
    leftover = rest.replace("AND", " ").replace("+", " ").strip()
    if leftover:
        raise CkanError("Search Query Error", f"cannot parse fq near {leftover!r}", 400)
    return filters


@action("package_search")
def package_search(service: Service, params: Params, base_url: str) -> dict[str, Any]:
    rows = _int(params, "rows", 10, maximum=MAX_ROWS)
    start = _int(params, "start", 0)
    q = str(params.get("q") or "").strip()
    if q in {"*:*", "*"}:
        q = ""
    filters = parse_fq(str(params.get("fq") or ""))
    facet_fields = _list(params, "facet.field")
    query = DatasetSearch.from_params({**filters, "q": q})
    page = service.search_datasets(query, limit=rows, offset=start)
    search_facets: dict[str, Any] = {}
    facets: dict[str, dict[str, int]] = {}
    if facet_fields:
        counts = service.facets(query, fields=facet_fields)
        for name in facet_fields:
            items = counts.get(name, {})
            facets[name] = items
            search_facets[name] = {
                "title": name,
                "items": [{"name": k, "display_name": k, "count": v} for k, v in items.items()],
            }
    return {
        "count": page.count,
        "results": [package_dict(d, base_url) for d in page.items],
        "facets": facets,
        "search_facets": search_facets,
        "sort": "score desc, metadata_modified desc",
    }


@action("package_show")
def package_show(service: Service, params: Params, base_url: str) -> dict[str, Any]:
    return package_dict(service.get_dataset(_required(params, "id")), base_url)


@action("organization_list")
def organization_list(service: Service, params: Params, base_url: str) -> list[Any]:
    orgs = service.organizations()
    if _bool(params, "all_fields", False):
        return [{**_org_dict(o), "package_count": o.get("dataset_count", 0)} for o in orgs]
    return [o["code"] for o in orgs]


@action("organization_show")
def organization_show(service: Service, params: Params, base_url: str) -> dict[str, Any]:
    org = service.organization(_required(params, "id"))
    out = {**_org_dict(org), "package_count": org.get("dataset_count", 0)}
    if _bool(params, "include_datasets", False):
        page = service.search_datasets(DatasetSearch(org=org["code"]), limit=MAX_ROWS)
        out["packages"] = [package_dict(d, base_url) for d in page.items]
    return out


@action("resource_show")
def resource_show(service: Service, params: Params, base_url: str) -> dict[str, Any]:
    resource = service.get_resource(_required(params, "id"))
    dataset = service.get_dataset(resource["dataset_id"])
    return resource_dict(resource, dataset, base_url)


def _sort(params: Params, columns: set[str]) -> list[tuple[str, bool]]:
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


@action("datastore_search")
def datastore_search(service: Service, params: Params, base_url: str) -> dict[str, Any]:
    resource = service.get_resource(_required(params, "resource_id"))
    schema = {c["name"]: c for c in resource["schema"]["fields"]}
    filters = params.get("filters") or {}
    if isinstance(filters, str):
        try:
            filters = json.loads(filters)
        except ValueError:
            raise invalid("filters", "filters: not a JSON object") from None
    if not isinstance(filters, dict):
        raise invalid("filters", "filters: must be a JSON object")
    unknown = [k for k in filters if k not in schema]
    if unknown:
        raise invalid("filters", f"filters: field(s) not in resource: {', '.join(unknown)}")
    fields = _list(params, "fields") or list(schema)
    bad = [f for f in fields if f not in schema]
    if bad:
        raise invalid("fields", f"fields: field(s) not in resource: {', '.join(bad)}")
    limit = _int(params, "limit", 100, maximum=service.settings.query_max_rows)
    offset = _int(params, "offset", 0)
    records_format = str(params.get("records_format") or "objects")
    if records_format not in {"objects", "lists", "csv"}:
        raise invalid("records_format", "records_format: must be objects, lists or csv")
    page = service.datastore(
        resource["id"],
        filters=filters,
        q=str(params["q"]) if params.get("q") else None,
        sort=_sort(params, set(schema)),
        fields=fields,
        limit=limit,
        offset=offset,
        include_total=_bool(params, "include_total", True),
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
        "fields": [
            {"id": c, "type": CKAN_TYPES.get(schema[c]["type"], "text")} for c in page.columns
        ],
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


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@action("datastore_search_sql")
def datastore_search_sql(service: Service, params: Params, base_url: str) -> dict[str, Any]:
    sql = _required(params, "sql")
    result = service.sql(sql)
    return {
        "sql": sql,
        "fields": [{"id": c, "type": "text"} for c in result.columns],
        "records": [dict(zip(result.columns, row, strict=True)) for row in result.rows],
        "records_truncated": result.truncated,
    }


# -- routes ------------------------------------------------------------------------------
def _answer(name: str) -> Callable[[Request], Awaitable[JSONResponse]]:
    async def answer(request: Request) -> JSONResponse:
        return await _dispatch(request, name)

    return answer


def _responses(name: str) -> dict[int | str, Any]:
    """What action ``name`` may answer: CKAN's envelopes for its own errors (400 a bad body,
    404 nothing by that id, 409 a missing or invalid parameter, 500 unreadable stored data);
    the native one for what stands in front of every route (a too-large body, the rate
    limit, a heavy request at capacity)."""
    own = [400, 409, 500]
    if name.startswith("datastore_") or (name.endswith("_show") and name != "status_show"):
        own.append(404)
    front = [413, 429, *((503,) if is_heavy(f"/api/3/action/{name}") else ())]
    return {
        200: {"model": CkanAnswer, "description": "CKAN's answer"},
        **ckan_errors(*sorted(own)),
        **errors(*front),
    }


# each action as an operation of its own in /openapi.json (its parameters are CKAN's, sent
# as query parameters or a JSON body); then any other name, and /api/action/ where the
# ckanapi client sends its calls, through the same dispatch
for _name in sorted(ACTIONS):
    for _method in ("GET", "POST"):
        router.add_api_route(
            f"/api/3/action/{_name}",
            _answer(_name),
            methods=[_method],
            operation_id=f"ckan_{_name}_{_method.lower()}",
            summary=f"CKAN {_name}",
            response_class=JSONResponse,
            responses=_responses(_name),
        )
for _prefix in ("/api/3/action", "/api/action"):
    router.add_api_route(
        _prefix + "/{name}", _dispatch, methods=["GET", "POST"], include_in_schema=False
    )
