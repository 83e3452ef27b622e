"""The web portal: server-rendered pages with progressive enhancement; every asset ships with
the package (no CDN). See docs/portal.md."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from kaifang.service import Service
from kaifang.web import (
    account,
    community_pages,
    dashboards,
    editing,
    pages,
    publishing,
    requests_pages,
    subscription_pages,
    vendor,
)
from kaifang.web.login_limit import LoginLimiter
from kaifang.web.middleware import PortalMiddleware
from kaifang.web.security import SESSION_SECONDS, Sessions, portal_csp
from kaifang.web.session_store import SessionStore
from kaifang.web.static_files import PackagedFiles

STATIC = Path(__file__).parent / "static"


def install_web(app: FastAPI, service: Service) -> None:
    """The portal's pages, static files and middleware. Pages reach the upload area and the
    usage counter through the service; the middleware hands each request the session cookie's
    signer, the server-side session store (logout ends a session there) and the login
    limiter."""
    store = SessionStore(service.settings, max_age=SESSION_SECONDS)
    store.clean_expired()
    for module in (
        pages,
        account,
        subscription_pages,
        publishing,
        requests_pages,
        community_pages,
        dashboards,
        editing,
        vendor,
    ):
        app.include_router(module.router)
    app.mount("/static/portal", StaticFiles(directory=STATIC), name="portal-static")
    app.add_api_route("/favicon.ico", favicon, include_in_schema=False)
    # before routing, inside the portal's middleware (its security headers still apply)
    app.add_middleware(PackagedFiles, directory=STATIC, prefix="/static/portal")
    app.add_middleware(
        PortalMiddleware,
        sessions=Sessions(service.settings),
        usage=service.usage,
        session_store=store,
        logins=LoginLimiter(),
        csp=portal_csp(service.settings),
    )


def favicon() -> RedirectResponse:
    """Browsers ask for /favicon.ico where a page names no icon (JSON, /openapi.json)."""
    return RedirectResponse("/static/portal/favicon.svg", status_code=301)


__all__ = ["install_web"]
