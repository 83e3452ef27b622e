"""The web portal: server-rendered pages with progressive enhancement; every asset ships with
the package (no CDN). See docs/portal.md."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kaifang.service.uploads import UploadArea
from kaifang.service.usage import UsageCounter
from kaifang.web import account, dashboards, pages, publishing, requests_pages
from kaifang.web.login_limit import LoginLimiter
from kaifang.web.middleware import PortalMiddleware
from kaifang.web.pages import error_page
from kaifang.web.security import SESSION_SECONDS, Sessions
from kaifang.web.session_store import SessionStore

STATIC = Path(__file__).parent / "static"


def install_web(app: FastAPI) -> None:
    settings = app.state.service.settings
    app.state.web_sessions = Sessions(settings)
    app.state.web_uploads = UploadArea(settings)
    app.state.web_logins = LoginLimiter()
    app.state.web_session_store = SessionStore(settings, max_age=SESSION_SECONDS)
    app.state.web_session_store.clean_expired()
    usage = app.state.web_usage = UsageCounter(settings.data_dir)
    for module in (pages, account, publishing, requests_pages, dashboards):
        app.include_router(module.router)
    app.state.html_error_page = error_page
    app.mount("/static/portal", StaticFiles(directory=STATIC), name="portal-static")

    app.add_middleware(PortalMiddleware, sessions=app.state.web_sessions, usage=usage)
    app.router.add_event_handler("shutdown", usage.flush)


__all__ = ["install_web"]
