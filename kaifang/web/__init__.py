"""The web portal: server-rendered pages with progressive enhancement; every asset ships with
the package (no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kaifang.web.pages import error_page, router

STATIC = Path(__file__).parent / "static"


def install_web(app: FastAPI) -> None:
    app.include_router(router)
    app.state.html_error_page = error_page
    app.mount("/static/portal", StaticFiles(directory=STATIC), name="portal-static")


__all__ = ["install_web"]
