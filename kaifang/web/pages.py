"""Server-rendered portal pages (Jinja2, autoescaped). Each page calls the portal service."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from kaifang.api.deps import portal_of
from kaifang.catalog.categories import CATEGORIES
from kaifang.web.i18n import COOKIE, LANGUAGES, language_of, translator

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
PAGE_SIZE = 20

router = APIRouter(include_in_schema=False)


def _with_lang(params: Any, lang: str) -> str:
    """The current query string with ``lang`` switched (for the language link)."""
    return urlencode({**dict(params), "lang": lang})


TEMPLATES.env.filters["langparams"] = _with_lang


def render(request: Request, template: str, **context: Any) -> Response:
    lang = language_of(request)
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "lang": lang,
            "t": translator(lang),
            "other_lang": LANGUAGES[1] if lang == LANGUAGES[0] else LANGUAGES[0],
            "base_url": str(request.base_url).rstrip("/"),
            **context,
        },
    )
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    portal = portal_of(request)
    newest = portal.search_datasets(limit=6)
    everything = portal.search_datasets(limit=100_000)
    orgs = portal.organizations()
    rows = sum(r.get("rows") or 0 for d in everything.items for r in d["resources"])
    counts = portal.categories()
    return render(
        request,
        "home.html",
        newest=newest.items,
        dataset_count=everything.count,
        organization_count=len(orgs),
        row_count=rows,
        categories=[(c, dict(counts).get(c.code, 0)) for c in CATEGORIES],
        organizations=sorted(orgs, key=lambda o: -o.get("dataset_count", 0)),
    )


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    q: str | None = Query(None),
    org: str | None = Query(None),
    tag: str | None = Query(None),
    category: str | None = Query(None),
    license: str | None = Query(None),
    page: int = Query(1, ge=1),
) -> Response:
    portal = portal_of(request)
    filters = {"org": org, "tag": tag, "category": category, "license": license}
    active = {k: v for k, v in filters.items() if v}
    results = portal.search_datasets(q=q, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, **active)
    facets = portal.facets(q=q, fields=["organization", "groups", "tags", "license_id"], **active)

    def link(**changes: Any) -> str:
        params = {"q": q, **active, "page": page, **changes}
        return "/search?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})

    return render(
        request,
        "search.html",
        q=q or "",
        results=results.items,
        count=results.count,
        page=page,
        pages=max(1, -(-results.count // PAGE_SIZE)),
        facets=facets,
        active=active,
        link=link,
    )


@router.get("/datasets/{dataset_id}", response_class=HTMLResponse)
def dataset(request: Request, dataset_id: str) -> Response:
    portal = portal_of(request)
    return render(request, "dataset.html", dataset=portal.get_dataset(dataset_id))


@router.get("/organizations/{code}", response_class=HTMLResponse)
def organization(request: Request, code: str) -> Response:
    portal = portal_of(request)
    return render(request, "organization.html", org=portal.organization(code, with_datasets=True))


@router.get("/resources/{resource_id}", response_class=HTMLResponse)
def resource(request: Request, resource_id: str) -> Response:
    portal = portal_of(request)
    return render(request, "resource.html", resource=portal.get_resource(resource_id))


def error_page(request: Request, status: int, message: str, hint: str | None) -> Response:
    response = render(request, "error.html", status=status, message=message, hint=hint)
    response.status_code = status
    return response
