"""Native API: organizations, their openness, and the national ranking."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from kaifang.api.responses import (
    documented,
    kept_until_the_catalog_changes,
    native_errors,
    request_key,
)
from kaifang.service.access import service_of
from kaifang.service.models import OrganizationDetail, OrganizationList

router = APIRouter(prefix="/api", tags=["organizations"], responses=native_errors())


@router.get(
    "/organizations",
    summary="Organizations with dataset counts",
    response_class=JSONResponse,
    responses=documented(OrganizationList, "Every organization"),
)
async def list_organizations(request: Request) -> Response:
    service = service_of(request)
    return await kept_until_the_catalog_changes(
        request, request_key(request, "organizations"), service.organization_list
    )


@router.get(
    "/organizations/{code}",
    summary="One organization and a page of its datasets (newest first)",
    response_class=JSONResponse,
    responses={
        **documented(OrganizationDetail, "The organization and a page of its datasets"),
        **native_errors(404),
    },
)
async def get_organization(
    request: Request,
    code: str,
    limit: int = Query(100, ge=1, le=1000, description="Datasets per page."),
    offset: int = Query(0, ge=0, description="Datasets to skip."),
) -> Response:
    service = service_of(request)
    return await kept_until_the_catalog_changes(
        request,
        request_key(request, "organization"),
        lambda: service.organization_detail(code, limit=limit, offset=offset),
    )
