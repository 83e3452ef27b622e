"""Native API: a resource's rows, aggregates and downloads."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from kaifang.api.responses import (
    HEAVY,
    attachment,
    documented,
    kept_until_the_catalog_changes,
    native_errors,
)
from kaifang.export import FORMATS
from kaifang.service.access import service_of
from kaifang.service.models import AggregatePage, Resource, RowsPage

router = APIRouter(prefix="/api/resources", tags=["resources"], responses=native_errors(404))

ROW_PARAMS_DOC = (
    "Column filters: `col=value`, `col__gt`, `__gte`, `__lt`, `__lte`, `__ne`, `__in` (comma "
    "list), `__contains`, `__startswith`, `__isnull` (true/false). `_sort` / `_sort_desc`, "
    "`_fields` (comma list), `_limit` (default 100, max 10000), `_next` (cursor from the "
    "previous page), `_version` (a published version number)."
)


@router.get(
    "/{resource_id}",
    summary="One resource: schema, versions, screening",
    response_class=JSONResponse,
    responses=documented(Resource, "The resource"),
)
async def get_resource(request: Request, resource_id: str) -> Response:
    service = service_of(request)
    return await kept_until_the_catalog_changes(
        request, ("resource", resource_id), lambda: service.resource(resource_id)
    )


@router.get(
    "/{resource_id}/diff",
    summary="What changed between two versions: schema, rows added, removed, changed",
)
def diff(
    request: Request,
    resource_id: str,
    from_version: int | None = Query(
        None, alias="from", ge=1, description="Default: the version before `to`."
    ),
    to_version: int | None = Query(
        None, alias="to", ge=1, description="Default: the current version."
    ),
    show: int = Query(10, ge=0, le=1000, description="Rows of each kind to list."),
) -> dict[str, Any]:
    return service_of(request).diff(resource_id, from_version, to_version, show=show)


@router.get(
    "/{resource_id}/rows",
    response_class=JSONResponse,
    summary="Rows with filters, sorting and keyset paging",
    responses={**native_errors(400), 200: {"model": RowsPage, "description": "A page of rows"}},
    description=ROW_PARAMS_DOC,
)
async def rows(request: Request, resource_id: str) -> Response:
    # the service writes the page's JSON itself (kaifang.jsonable.dumps): no FastAPI
    # validation or re-encoding of a page that is already in its final shape; a version's
    # rows never change, and which version is current is the catalog's, so the page is kept
    # until the catalog changes
    service, params = service_of(request), dict(request.query_params)
    return await kept_until_the_catalog_changes(
        request,
        ("rows", resource_id, tuple(sorted(params.items()))),
        lambda: service.rows_json(resource_id, params),
    )


@router.get(
    "/{resource_id}/aggregate",
    response_class=JSONResponse,
    summary="Group-by aggregates",
    responses={
        **native_errors(400, *HEAVY),
        200: {"model": AggregatePage, "description": "Groups"},
    },
    description="`group_by=a,b&metric=count,sum:x,avg:y,min:z,max:z` plus the row filters.",
)
def aggregate(request: Request, resource_id: str) -> JSONResponse:
    return JSONResponse(service_of(request).aggregate(resource_id, dict(request.query_params)))


@router.get(
    "/{resource_id}/download.{fmt}",
    summary="Download a version, or the rows that match filters",
    response_class=StreamingResponse,
    responses=native_errors(400, *HEAVY),
    description="The whole version, or with the rows endpoint's column filters (`col=value`, "
    "`col__gt`, ...) and `_sort` / `_sort_desc` only the matching rows in that order (the "
    "explorer's view; the file name ends in `-filtered`).",
)
def download(
    request: Request,
    resource_id: str,
    fmt: str = Path(..., description="csv, json, ndjson, xml, parquet or xlsx"),
    version: int | None = Query(None, ge=1, description="Version number; default current."),
    bom: bool = Query(False, description="Start CSV with a UTF-8 BOM (for Excel)."),
) -> StreamingResponse:
    service = service_of(request)
    params = dict(request.query_params)
    export = service.export(resource_id, fmt, version=version, bom=bom, params=params)
    return StreamingResponse(
        export.chunks,
        media_type=FORMATS[fmt].media_type,
        headers=attachment(export.filename, export.title_filename),
    )


@router.head("/{resource_id}/download.{fmt}", include_in_schema=False)
def download_head(
    request: Request,
    resource_id: str,
    fmt: str,
    version: int | None = Query(None, ge=1),
) -> Response:
    """The download's headers (type, name), after the same checks, without its body."""
    params = dict(request.query_params)
    export = service_of(request).export(resource_id, fmt, version=version, head=True, params=params)
    response = Response(
        media_type=FORMATS[fmt].media_type,
        headers=attachment(export.filename, export.title_filename),
    )
    del response.headers["content-length"]  # unknown: the file is made as it streams
    return response
