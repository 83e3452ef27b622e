"""Native API: datasets, their Data Package and openness."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

from kaifang.api.responses import documented, kept_until_the_catalog_changes, native_errors
from kaifang.service import DatasetSearch
from kaifang.service.access import link_base, service_of
from kaifang.service.models import DataPackage, DatasetDetail, DatasetPage

router = APIRouter(prefix="/api", tags=["datasets"], responses=native_errors())


@router.get(
    "/datasets",
    summary="Search datasets",
    response_class=JSONResponse,
    responses=documented(DatasetPage, "A page of datasets"),
)
async def list_datasets(
    request: Request,
    q: str | None = Query(
        None, description="Full-text search (title, description, keywords, columns)."
    ),
    org: str | None = Query(None, description="Organization code, e.g. 379130000E."),
    tag: str | None = Query(None, description="Keyword."),
    license: str | None = Query(None, description="SPDX licence id."),
    format: str | None = Query(None, description="Resource format, e.g. csv."),
    category: str | None = Query(None, description="National service category, e.g. E00."),
    band: str | None = Query(None, description="Openness band: gold, silver, bronze or none."),
    frequency: str | None = Query(None, description="Update frequency, e.g. 每月."),
    sort: str = Query(
        "relevance",
        pattern="^(relevance|modified|title|popularity)$",
        description="relevance (newest first without q), modified, title or popularity.",
    ),
    limit: int = Query(20, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> Response:
    query = DatasetSearch(
        q=q,
        org=org,
        tag=tag,
        license=license,
        format=format,
        category=category,
        band=band,
        frequency=frequency,
    )
    service = service_of(request)
    return await kept_until_the_catalog_changes(
        request,
        ("dataset_page", query, sort, limit, offset),
        lambda: service.dataset_page(query, sort=sort, limit=limit, offset=offset),
    )


@router.get(
    "/datasets/{dataset_id}",
    summary="One dataset with resources, versions and scores",
    responses=native_errors(404),
)
def get_dataset(request: Request, dataset_id: str) -> DatasetDetail:
    return service_of(request).dataset(dataset_id)


@router.get(
    "/datasets/{dataset_id}/datapackage.json",
    summary="Frictionless Data Package",
    responses=native_errors(404),
)
def datapackage(request: Request, dataset_id: str) -> DataPackage:
    return service_of(request).data_package(dataset_id, base_url=link_base(request))


@router.head("/datasets/{dataset_id}/datapackage.json", include_in_schema=False)
def datapackage_head(request: Request, dataset_id: str) -> Response:
    """The GET's status and headers (``Content-Length`` included) without the body, for
    Frictionless tools and link checkers that look before they fetch."""
    answer = JSONResponse(jsonable_encoder(datapackage(request, dataset_id)))
    return Response(headers=dict(answer.headers))
