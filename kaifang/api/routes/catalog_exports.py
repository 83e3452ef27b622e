"""Catalog exports: DCAT-AP 3 as JSON-LD (paged)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from kaifang.api.deps import link_base, service_of

router = APIRouter(tags=["catalog exports"])


class JSONLDResponse(JSONResponse):
    media_type = "application/ld+json"


@router.get("/catalog.jsonld", response_class=JSONLDResponse, summary="DCAT-AP 3 catalog")
def catalog_jsonld(
    request: Request,
    page: int = Query(1, ge=1, description="Page number, 100 datasets a page."),
) -> dict[str, Any]:
    return service_of(request).dcat_catalog(page=page, base_url=link_base(request))
