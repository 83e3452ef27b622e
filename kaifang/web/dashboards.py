"""The flagship dashboards: freeway traffic, theft hot spots, election results.

The pages are forms plus an SVG drawn by static/dashboards.js from the analyses endpoints
(``/api/analyses/freeway/...``, ``/api/analyses/theft/...``,
``/api/analyses/elections/{dataset}/...``); without JavaScript the form still links to the
endpoint's JSON. What each form offers comes from the source's declaration
(:mod:`kaifang.sources.registry`) through the service."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kaifang.service import web as portal_web
from kaifang.service.access import service_of
from kaifang.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/dashboards", response_class=HTMLResponse)
def dashboards(request: Request) -> Response:
    return render(request, "dashboards.html", kind=None)


@router.get("/dashboards/{kind}", response_class=HTMLResponse)
def dashboard(request: Request, kind: str) -> Response:
    service = service_of(request)
    choices = portal_web.dashboard_choices(service, kind)
    # tiles under the gantry map, when a tile server is set (map_tiles_url)
    tiles = {
        "url": service.settings.map_tiles_url,
        "attribution": service.settings.map_tiles_attribution,
    }
    return render(request, f"dashboard_{kind}.html", kind=kind, choices=choices, tiles=tiles)
