"""Native API: organizations, their openness, and the national ranking."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from kaifang.api.deps import service_of
from kaifang.api.responses import native_errors

router = APIRouter(prefix="/api", tags=["organizations"], responses=native_errors())


@router.get("/organizations", summary="Organizations with dataset counts")
def list_organizations(request: Request) -> dict[str, Any]:
    orgs = service_of(request).organizations()
    return {"data": orgs, "count": len(orgs)}


@router.get(
    "/organizations/{code}",
    summary="One organization and its datasets",
    responses=native_errors(404),
)
def get_organization(request: Request, code: str) -> dict[str, Any]:
    return service_of(request).organization(code, with_datasets=True)
