"""Native API: organizations, their openness, and the national ranking."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from kaifang.api.responses import native_errors
from kaifang.service.access import service_of
from kaifang.service.models import OrganizationDetail, OrganizationList

router = APIRouter(prefix="/api", tags=["organizations"], responses=native_errors())


@router.get("/organizations", summary="Organizations with dataset counts")
def list_organizations(request: Request) -> OrganizationList:
    return service_of(request).organization_list()


@router.get(
    "/organizations/{code}",
    summary="One organization and a page of its datasets (newest first)",
    responses=native_errors(404),
)
def get_organization(
    request: Request,
    code: str,
    limit: int = Query(100, ge=1, le=1000, description="Datasets per page."),
    offset: int = Query(0, ge=0, description="Datasets to skip."),
) -> OrganizationDetail:
    return service_of(request).organization_detail(code, limit=limit, offset=offset)
