"""How the HTTP layers reach the one :class:`~kaifang.service.Service` of an application.

``kaifang.app.create_app`` attaches the service; API routes (``kaifang.api``) and portal pages
(``kaifang.web``) reach it with :func:`service_of` and nothing else of ``app.state``. Both may
import this module; neither imports the other."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import HTTPConnection

from kaifang.service import Service


def attach(app: Starlette, service: Service) -> None:
    """Make ``service`` the one the app's routes and pages call."""
    app.state.service = service


def service_of(request: HTTPConnection) -> Service:
    """The service of the application that received ``request``."""
    service: Service = request.app.state.service
    return service


def link_base(request: HTTPConnection) -> str:
    """Where links in pages and catalogs point: the request's own scheme and host when its
    ``Host`` is one of ``trusted_hosts``, else the configured ``base_url`` (a forged
    ``Host`` header must not put another site's address into pages, caches or catalogs),
    else, when no ``base_url`` is configured, the request's own scheme and host (so that a
    server on another port than 8000 links to itself)."""
    settings = service_of(request).settings
    host = request.headers.get("host", "").strip().lower()
    trusted = {h.strip().lower() for h in settings.trusted_hosts.split(",") if h.strip()}
    if host and host in trusted:
        return f"{request.url.scheme}://{host}"
    if settings.base_url:
        return settings.base_url.rstrip("/")
    return str(request.base_url).rstrip("/")


__all__ = ["Service", "attach", "link_base", "service_of"]
