"""Server-rendered portal pages (Jinja2, autoescaped). Each page calls the service layer once."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from kaifang.catalog.categories import CATEGORIES
from kaifang.export import FORMATS
from kaifang.service import web as portal_web
from kaifang.service.access import service_of
from kaifang.web.rendering import render

PAGE_SIZE = 20
SEARCH_FACETS = {
    # facet field -> query parameter
    "organization": "org",
    "groups": "category",
    "tags": "tag",
    "res_format": "format",
    "license_id": "license",
    "band": "band",
    "update_frequency": "frequency",
}

SORTS = ("relevance", "modified", "title", "popularity")

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    service = service_of(request)
    summary = portal_web.home_page(service, service.usage.pending())
    counts = summary["categories"]
    return render(
        request,
        "home.html",
        summary=summary,
        categories=[(c, counts.get(c.code, 0)) for c in CATEGORIES],
    )


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    q: str | None = Query(None),
    org: str | None = Query(None),
    tag: str | None = Query(None),
    category: str | None = Query(None),
    format: str | None = Query(None),
    license: str | None = Query(None),
    band: str | None = Query(None),
    frequency: str | None = Query(None),
    sort: str = Query("relevance", pattern="^(relevance|modified|title|popularity)$"),
    page: int = Query(1, ge=1),
) -> Response:
    filters = {
        "org": org,
        "tag": tag,
        "category": category,
        "format": format,
        "license": license,
        "frequency": frequency,
    }
    active = {k: v for k, v in filters.items() if v}
    found = portal_web.search_page(
        service_of(request),
        q=q,
        filters=active,
        band=band,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        sort=sort,
    )
    if band:
        active["band"] = band

    def link(**changes: Any) -> str:
        chosen = {"sort": sort} if sort != "relevance" else {}
        params = {"q": q, **active, **chosen, "page": page, **changes}
        return "/search?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})

    return render(
        request,
        "search.html",
        q=q or "",
        results=found["items"],
        count=found["count"],
        suggestions=found["suggestions"],
        page=page,
        pages=max(1, -(-found["count"] // PAGE_SIZE)),
        facets=found["facets"],
        facet_labels=found["labels"],
        facet_params=SEARCH_FACETS,
        active=active,
        link=link,
        sort=sort,
        sorts=SORTS,
    )


@router.get("/datasets/{dataset_id}", response_class=HTMLResponse)
def dataset(request: Request, dataset_id: str) -> Response:
    detail = portal_web.dataset_page(service_of(request), dataset_id)
    return render(request, "dataset.html", dataset=detail)


@router.get("/organizations/{code}", response_class=HTMLResponse)
def organization(request: Request, code: str) -> Response:
    view = portal_web.organization_page(service_of(request), code)
    return render(request, "organization.html", **view)


@router.get("/resources/{resource_id}", response_class=HTMLResponse)
def resource(request: Request, resource_id: str) -> Response:
    service = service_of(request)
    detail = portal_web.resource_page(service, resource_id)
    limits = {"rows": service.settings.query_max_rows, "seconds": service.settings.query_timeout}
    return render(
        request,
        "resource.html",
        resource=detail,
        download_formats=list(FORMATS),
        sql_limits=limits,
    )


def error_page(request: Request, status: int, message: str, hint: str | None) -> Response:
    return render(request, "error.html", status=status, message=message, hint=hint)
