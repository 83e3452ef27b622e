"""Native API: datasets, their Data Package and openness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from kaifang.service.access import service_of

router = APIRouter(prefix="/api", tags=["datasets"])


@router.get("/datasets", summary="Search datasets")
def list_datasets(
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
        pattern="^(relevance|modified|title)$",
        description="relevance (newest first without q), modified or title.",
    ),
    limit: int = Query(20, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    page = service_of(request).search_datasets(
        q=q,
        org=org,
        tag=tag,
        license=license,
        format=format,
        category=category,
        band=band,
        frequency=frequency,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    return {"data": page.items, "count": page.count, "limit": limit, "offset": offset}


@router.get("/datasets/{dataset_id}", summary="One dataset with resources, versions and scores")
def get_dataset(request: Request, dataset_id: str) -> dict[str, Any]:
    return service_of(request).get_dataset(dataset_id)


@router.get("/datasets/{dataset_id}/datapackage.json", summary="Frictionless Data Package")
def datapackage(request: Request, dataset_id: str) -> dict[str, Any]:
    return service_of(request).datapackage(dataset_id)
