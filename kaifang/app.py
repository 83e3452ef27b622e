"""``create_app(settings)``: the whole HTTP application, assembled in one place — the native
API, the national spec, CKAN's Action API, catalog exports, the web portal's pages and static
files, and the API docs. ``kaifang.api`` and ``kaifang.web`` do not import each other; both
reach the one service through :func:`kaifang.service.access.service_of`."""

from __future__ import annotations

from pathlib import Path

import swagger_ui
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from kaifang import __version__
from kaifang.api.body_limit import BodyLimitMiddleware
from kaifang.api.capacity import CapacityMiddleware
from kaifang.api.compat import ckan, tw_spec
from kaifang.api.errors import install_error_handlers
from kaifang.api.ratelimit import RateLimitMiddleware
from kaifang.api.routes import (
    activity,
    analyses_civic,
    analyses_freeway,
    catalog_exports,
    community,
    datasets,
    feeds,
    openness,
    organizations,
    resources,
    sql,
    uploads,
)
from kaifang.api.timing import ServerTimingMiddleware
from kaifang.service import Service
from kaifang.service.access import attach
from kaifang.settings import Settings
from kaifang.web import install_web
from kaifang.web.api_docs import api_docs_page
from kaifang.web.pages import error_page

SWAGGER_STATIC = Path(swagger_ui.__file__).parent / "static"

DESCRIPTION = """\
kaifang's Open API. Every dataset is also served through Taiwan's national cross-platform
spec under `/api/v1/` and CKAN's Action API under `/api/3/action/`.

Errors share one envelope: `{"error": {"code", "message", "hint"}, "status"}`.
"""

API_ROUTERS = (
    datasets.router,
    resources.router,
    sql.router,
    organizations.router,
    openness.router,
    uploads.router,
    catalog_exports.router,
    activity.router,
    community.router,
    feeds.router,
    analyses_civic.router,
    analyses_freeway.router,
    tw_spec.router,
    ckan.router,
)


def create_app(settings: Settings) -> FastAPI:
    service = Service(settings)
    app = FastAPI(
        title="kaifang 開放 Open API",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    attach(app, service)
    install_error_handlers(app, html_error_page=error_page)

    @app.exception_handler(tw_spec.SpecError)
    async def spec_error(request: Request, exc: tw_spec.SpecError) -> JSONResponse:
        return tw_spec.spec_error_response(exc)

    for router in API_ROUTERS:
        app.include_router(router)

    install_web(app, service)
    app.mount("/static/swagger", StaticFiles(directory=SWAGGER_STATIC), name="swagger")

    app.add_api_route("/docs", api_docs_page, include_in_schema=False)

    app.add_middleware(
        RateLimitMiddleware, per_minute=settings.rate_limit, trusted=service.token_is_valid
    )
    app.add_middleware(CapacityMiddleware, settings=settings)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.upload_max_mb * 1024 * 1024)
    app.add_middleware(ServerTimingMiddleware)  # outermost: times all of the above too
    app.router.add_event_handler("startup", service.start)
    app.router.add_event_handler("shutdown", service.close)
    return app


__all__ = ["create_app"]
