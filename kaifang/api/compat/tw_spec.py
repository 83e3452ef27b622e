"""Taiwan's national cross-platform spec (政府資料開放跨平臺介接規範) under ``/api/v1``.

Paths, parameters and shapes follow the spec file (tests/api/fixtures/tw-cross-platform-api-v1.yaml,
from the public repository PDIS/swagger_file, CC0). Errors keep the spec's shape
``{"success": false, "error": {"type": "ER0xxx", "message": ...}}`` with a matching HTTP status.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from kaifang.api.errors import spec_error
from kaifang.api.responses import (
    HEAVY,
    SPEC_OK,
    attachment,
    errors,
    request_key,
    spec_errors,
)
from kaifang.catalog.categories import category
from kaifang.catalog.datasets import personal_data_text
from kaifang.errors import KaifangError, NotFoundError, QueryError, ValidationError
from kaifang.service.access import link_base, service_of
from kaifang.service.data import Export

router = APIRouter(
    prefix="/api/v1",
    tags=["政府資料開放跨平臺介接規範"],
    # the spec's own envelope for its errors; bad parameter types and the rate limit answer
    # in the native one, as every route of the app does
    responses={**spec_errors(400, 404, 500), **errors(422, 429)},
)

FREQUENCY_ZH = {
    "realtime": "即時",
    "hourly": "每小時",
    "daily": "每日",
    "weekly": "每週",
    "monthly": "每月",
    "quarterly": "每季",
    "half-yearly": "每半年",
    "yearly": "每年",
    "irregular": "不定期",
}
JSON_TYPES = {"integer": "integer", "number": "number", "boolean": "boolean", "year": "integer"}
# the metadata standard's wording of the cost field (費用)
COST_ZH = {"free": "免費", "paid": "付費"}
# RFC 3339 date-time, as the spec's `modified` asks (Python's fromisoformat takes far more)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


class SpecError(Exception):
    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def spec_error_response(exc: SpecError) -> JSONResponse:
    return spec_error(exc.code, exc.message, exc.status)


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"success": True, "result": result})


def _kept(request: Request, result: Callable[[], Any]) -> Response:
    """The spec's answer with ``result()``, kept until the catalog changes (per path, query
    and link base: :func:`~kaifang.api.responses.request_key`); errors are raised, never kept."""
    body = service_of(request).catalog_json(
        request_key(request, "tw_spec"), lambda: bytes(_ok(result()).body)
    )
    return Response(body, media_type="application/json")


def _check_params(request: Request, allowed: set[str]) -> None:
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise SpecError(
            "ER0200",
            f"輸入的參數名稱錯誤：{', '.join(unknown)}；可用參數：{', '.join(sorted(allowed))}",
            400,
        )


def _int_param(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise SpecError("ER0210", f"輸入的參數內容格式錯誤：{name}={raw!r} 須為非負整數", 400)
    value = int(raw)
    return min(value, maximum) if maximum is not None else value


def _page(request: Request, items: list[Any]) -> list[Any]:
    limit = _int_param(request, "limit", len(items))
    offset = _int_param(request, "offset", 0)
    return items[offset : offset + limit]


@router.get("/rest/group", operation_id="listGroup", responses=SPEC_OK)
def list_group(request: Request) -> Response:
    _check_params(request, {"limit", "offset"})
    return _kept(
        request, lambda: _page(request, [code for code, _n in service_of(request).categories()])
    )


@router.get("/rest/group/{categoryCode}", operation_id="getDatasetIdInGroup", responses=SPEC_OK)
def dataset_ids_in_group(request: Request, categoryCode: str) -> Response:
    _check_params(request, set())
    try:
        group = category(categoryCode)
    except ValidationError:
        raise SpecError(
            "ER0100", f"找不到分類 {categoryCode}；分類為 3 碼服務分類，如 E00", 404
        ) from None
    service = service_of(request)

    def result() -> dict[str, Any]:
        identifiers = service.dataset_identifiers(category=categoryCode)
        return {
            "categoryCode": categoryCode,
            "display_name": group.name,
            "description": f"{categoryCode} {group.name}（{group.name_en}）",
            "package_count": len(identifiers),
            "created": service.created_at().strftime("%Y-%m-%d %H:%M:%S"),
            "packages": identifiers,
        }

    return _kept(request, result)


@router.get("/rest/tag", operation_id="listTag", responses=SPEC_OK)
def list_tag(request: Request) -> Response:
    _check_params(request, {"limit", "offset"})
    return _kept(request, lambda: _page(request, service_of(request).tags()))


@router.get("/rest/tag/{tagName}", operation_id="getDatasetIdOfTag", responses=SPEC_OK)
def dataset_ids_of_tag(request: Request, tagName: str) -> Response:
    _check_params(request, set())
    return _kept(request, lambda: service_of(request).dataset_identifiers(tag=tagName))


@router.get("/rest/dataset", operation_id="listDatasetId", responses=SPEC_OK)
def list_dataset_ids(request: Request) -> Response:
    _check_params(request, {"modified", "limit", "offset"})
    modified = request.query_params.get("modified")
    since = None
    if modified:
        try:
            if not RFC3339.match(modified):
                raise ValueError(modified)
            since = datetime.fromisoformat(modified.upper().replace("Z", "+00:00"))
        except ValueError:
            raise SpecError(
                "ER0210",
                f"modified={modified!r} 須為 RFC 3339 日期時間，如 2024-01-01T00:00:00Z",
                400,
            ) from None
    limit = _int_param(request, "limit", 0) if request.query_params.get("limit") else None
    offset = _int_param(request, "offset", 0)
    return _kept(
        request,
        lambda: service_of(request).dataset_identifiers(
            modified_since=since, limit=limit, offset=offset
        ),
    )


@router.get("/rest/dataset/{identifier}", operation_id="getDatasetById", responses=SPEC_OK)
def dataset_metadata(request: Request, identifier: str) -> Response:
    _check_params(request, set())
    service = service_of(request)

    def result() -> dict[str, Any]:
        try:
            try:
                dataset = service.get_dataset(identifier)
            except NotFoundError as exc:  # a renamed dataset's former id: the current one
                moved = exc.details.get("moved_to")
                if not isinstance(moved, dict):
                    raise
                dataset = service.get_dataset(str(moved["new"]))
        except NotFoundError:
            raise SpecError("ER0100", f"找不到資料集 {identifier}", 404) from None
        return spec_metadata(dataset, base_url=link_base(request))

    return _kept(request, result)


def spec_metadata(dataset: dict[str, Any], *, base_url: str) -> dict[str, Any]:
    """A dataset in the shape of the spec's getDatasetById example."""
    org = dataset.get("organization") or {}
    contact = dataset.get("contact") or {}
    coverage = dataset.get("temporal_coverage") or {}
    fields = [
        f"{c['name']}（{c['description']}）" if c.get("description") else c["name"]
        for r in dataset.get("resources", [])[:1]
        for c in r.get("schema", {}).get("fields", [])
    ]
    return {
        "categoryCode": dataset.get("category") or "",
        "identifier": dataset["identifier"],
        "title": dataset["title"],
        "description": dataset.get("description") or "",
        "fieldDescription": "、".join(fields),
        "type": "rawData",
        "license": dataset["license"]["title"],
        "licenseURL": dataset["license"]["url"] or "",
        "cost": COST_ZH.get(dataset.get("cost") or "free", dataset.get("cost") or ""),
        "costURL": "",
        "costLaw": "",
        "organization": org.get("name", ""),
        "organizationContactName": contact.get("name", ""),
        "organizationContactPhone": contact.get("phone", ""),
        "organizationContactEmail": contact.get("email", ""),
        "publisher": org.get("name", ""),
        "publisherContactName": contact.get("name", ""),
        "publisherContactPhone": contact.get("phone", ""),
        "publisherContactEmail": contact.get("email", ""),
        # the organization's OID where the catalog has one, else its 機關代碼 (never empty)
        "publisherOID": org.get("oid") or org.get("code", ""),
        "publisherOrgCode": org.get("code", ""),
        "accrualPeriodicity": FREQUENCY_ZH.get(dataset.get("update_frequency") or "", "不定期"),
        "temporalCoverageFrom": str(coverage.get("from") or ""),
        "temporalCoverageTo": str(coverage.get("to") or ""),
        "issued": _stamp(dataset.get("created")),
        "modified": _stamp(dataset.get("modified")),
        "spatial": dataset.get("spatial") or "",
        "language": dataset.get("language") or "zh-TW",
        "landingPage": f"{base_url}/datasets/{dataset['id']}",
        "keyword": list(dataset.get("keywords") or []),
        "numberOfData": sum(int(r.get("rows") or 0) for r in dataset.get("resources", [])),
        "notes": "\n".join(
            text
            for text in (
                dataset.get("notes"),
                personal_data_text(dataset.get("personal_data") or []),
            )
            if text
        ),
        "distribution": [
            {
                "resourceID": r["identifier"],
                "resourceDescription": r.get("description") or r.get("name") or "",
                "format": "CSV",
                "resourceModified": _stamp(r.get("modified")),
                "downloadURL": f"{base_url}/api/resources/{r['id']}/download.csv",
                "metadataSourceOfData": f"{base_url}/api/datasets/{dataset['id']}",
                "characterSetCode": "UTF-8",
            }
            for r in dataset.get("resources", [])
        ],
    }


def _stamp(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return str(value.strftime("%Y-%m-%d %H:%M:%S"))


@router.get("/rest/datastore/{resourceID}", operation_id="getDataBySetId", responses=SPEC_OK)
def datastore(request: Request, resourceID: str) -> JSONResponse:
    _check_params(request, {"filters", "q", "sort", "limit", "offset", "fields"})
    service = service_of(request)
    try:
        resource = service.get_resource(resourceID)
    except NotFoundError:
        raise SpecError("ER0100", f"找不到 Resource 資料：{resourceID}", 404) from None
    columns = {c["name"]: c for c in resource["schema"]["fields"]}
    filters = _parse_filters(request.query_params.get("filters"), columns)
    q = request.query_params.get("q")
    if q is not None and len(q.strip()) < 2:
        raise SpecError("ER0210", "q 關鍵字太短：請至少輸入 2 個字", 400)
    sort = request.query_params.get("sort") or None
    if sort is not None and sort not in columns:
        raise SpecError(
            "ER0220", f"sort 指定的欄位 {sort!r} 不存在；欄位：{', '.join(columns)}", 400
        )
    fields = _parse_fields(request.query_params.get("fields"), columns)
    limit = _int_param(request, "limit", 100, maximum=service.settings.query_max_rows)
    offset = _int_param(request, "offset", 0)
    try:
        page = service.datastore(
            resource["id"],
            filters=filters,
            q=q,
            sort=[(sort, False)] if sort else [],
            fields=fields,
            limit=limit,
            offset=offset,
        )
    except QueryError as exc:
        raise SpecError("ER0210", exc.message, 400) from None
    except KaifangError as exc:
        raise SpecError("ER0500", f"系統錯誤：{exc.message}", 500) from None
    return _ok(
        {
            "resource_id": resource["identifier"],
            "fields": [
                {"id": name, "type": JSON_TYPES.get(columns[name]["type"], "string")}
                for name in page.columns
            ],
            "records": page.records,
            "limit": limit,
            "offset": offset,
            "total": page.total,
        }
    )


def _columns(columns: dict[str, Any]) -> str:
    return "欄位：" + ", ".join(columns)


def _parse_filters(raw: str | None, columns: dict[str, Any]) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        value = None
    if not isinstance(value, dict):
        raise SpecError("ER0210", 'filters 須為 JSON 物件，如 filters={"欄位":"值"}', 400)
    unknown = [k for k in value if k not in columns]
    if unknown:
        raise SpecError(
            "ER0220",
            f"filters 指定的欄位不存在：{', '.join(unknown)}；欄位：{', '.join(columns)}",
            400,
        )
    for key, item in value.items():
        if isinstance(item, dict | list):
            raise SpecError("ER0210", f"filters 的 {key} 須為單一值", 400)
    return {str(k): v for k, v in value.items()}


def _parse_fields(raw: str | None, columns: dict[str, Any]) -> list[str]:
    if not raw:
        return list(columns)
    names = [n.strip() for n in raw.split(",") if n.strip()]
    unknown = [n for n in names if n not in columns]
    if unknown:
        raise SpecError(
            "ER0220",
            f"fields 指定的欄位不存在：{', '.join(unknown)}；欄位：{', '.join(columns)}",
            400,
        )
    return names


@router.get(
    "/dump/datastore/{resourceID}",
    operation_id="dumpDataBySetId",
    response_class=StreamingResponse,
    responses={
        **errors(*HEAVY),
        200: {"description": "The file, gzipped", "content": {"application/x-gzip": {}}},
    },
)
def dump(
    request: Request,
    resourceID: str,
    # documented; checked below so that a wrong one answers the spec's ER0210
    format: str = Query("csv", json_schema_extra={"enum": ["json", "csv", "xml"]}),
) -> StreamingResponse:
    resource, export = _dump_export(request, resourceID, format, head=False)
    return StreamingResponse(
        _gzip(export.chunks),
        media_type="application/x-gzip",
        headers=_dump_names(resource, format, export.title_filename),
    )


@router.head("/dump/datastore/{resourceID}", include_in_schema=False)
def dump_head(request: Request, resourceID: str, format: str = "csv") -> Response:
    """The dump's headers after the same checks, without its body."""
    resource, export = _dump_export(request, resourceID, format, head=True)
    response = Response(
        media_type="application/x-gzip",
        headers=_dump_names(resource, format, export.title_filename),
    )
    del response.headers["content-length"]  # unknown: the gzip is made as it streams
    return response


def _dump_export(
    request: Request, resource_id: str, format: str, *, head: bool
) -> tuple[dict[str, Any], Export]:
    _check_params(request, {"format"})
    if format not in {"json", "csv", "xml"}:
        raise SpecError("ER0210", f"format={format!r} 須為 json、csv 或 xml", 400)
    service = service_of(request)
    try:
        resource = service.get_resource(resource_id)
    except NotFoundError:
        raise SpecError("ER0100", f"找不到 Resource 資料：{resource_id}", 404) from None
    try:
        export = service.export(resource["id"], format, bom=False, head=head)
    except KaifangError as exc:  # the catalog lists the resource but its files cannot be read
        raise SpecError("ER0500", f"系統錯誤：{exc.message}", 500) from None
    return resource, export


def _dump_names(resource: dict[str, Any], format: str, title_filename: str) -> dict[str, str]:
    return attachment(f"{resource['identifier']}.{format}.gz", f"{title_filename}.gz")


def _gzip(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Gzip a byte stream on the fly (wbits 31 = gzip framing)."""
    stream = zlib.compressobj(6, zlib.DEFLATED, 31)
    for chunk in chunks:
        if out := stream.compress(chunk):
            yield out
    yield stream.flush()


# Registered last: any other path or method under /api/v1 answers in the spec's error shape.
SPEC_PATHS = re.compile(
    r"^/api/v1/(rest/(group|tag|dataset)(/[^/]+)?|rest/datastore/[^/]+|dump/datastore/[^/]+)$"
)


@router.api_route(
    "/{path:path}",
    methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    include_in_schema=False,
)
def unknown(request: Request, path: str) -> JSONResponse:
    if SPEC_PATHS.match(request.url.path):
        # a path of the spec asked with another method: ER0100 with the spec's own suffix rule
        response = spec_error_response(
            SpecError("ER010001", f"{request.url.path} 不接受 {request.method} 方法；請用 GET", 405)
        )
        response.headers["Allow"] = "GET"
        return response
    return spec_error_response(
        SpecError(
            "ER0100",
            f"找不到 /api/v1/{path}；可用路徑：/rest/group、/rest/tag、/rest/dataset、"
            "/rest/datastore/{resourceID}、/dump/datastore/{resourceID}",
            404,
        )
    )
