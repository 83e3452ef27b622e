"""Catalog exports: DCAT-AP 3 as JSON-LD (paged)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from kaifang.api.responses import errors
from kaifang.service.access import link_base, service_of

router = APIRouter(tags=["catalog exports"], responses=errors(422, 500))


class JSONLDResponse(JSONResponse):
    media_type = "application/ld+json"


CATALOG_SCHEMA = {
    "type": "object",
    "required": ["@context", "@id", "@type", "dcat:dataset"],
    "properties": {
        "@context": {"type": "object"},
        "@id": {"type": "string"},
        "@type": {"type": "string"},
        "hydra:totalItems": {"type": "integer"},
        "dcat:dataset": {"type": "array", "items": {"type": "object"}},
    },
}


# response_class=Response: errors stay application/json; the success body is JSON-LD
@router.get(
    "/catalog.jsonld",
    summary="DCAT-AP 3 catalog",
    response_class=Response,
    responses={
        200: {
            "description": "A page of the catalog",
            "content": {"application/ld+json": {"schema": CATALOG_SCHEMA}},
        }
    },
)
def catalog_jsonld(
    request: Request,
    page: int = Query(1, ge=1, description="Page number, 100 datasets a page."),
) -> JSONLDResponse:
    base_url = link_base(request)
    return JSONLDResponse(service_of(request).dcat_catalog(page=page, base_url=base_url))
