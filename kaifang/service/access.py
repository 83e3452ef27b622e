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


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def link_base(request: HTTPConnection) -> str:
    """Where links in pages and catalogs point, never taken from an untrusted ``Host``
    header (a forged one must not put another site's address into pages, caches or
    catalogs):

    - the request's own scheme and host when its ``Host`` is one of ``trusted_hosts``;
    - else the configured ``base_url``;
    - else (nothing configured) the request's host when it is a loopback name (a developer's
      server on any port links to itself), or the address of the socket that took the
      request (``scope["server"]``, which no client chooses)."""
    settings = service_of(request).settings
    host = request.headers.get("host", "").strip().lower()
    trusted = {h.strip().lower() for h in settings.trusted_hosts.split(",") if h.strip()}
    if host and host in trusted:
        return f"{request.url.scheme}://{host}"
    if settings.base_url:
        return settings.base_url.rstrip("/")
    if host.rsplit(":", 1)[0] in LOOPBACK_HOSTS or host in LOOPBACK_HOSTS:
        return f"{request.url.scheme}://{host}"
    server = request.scope.get("server")
    if not server:
        return "http://127.0.0.1"
    name, port = server[0], server[1]
    name = f"[{name}]" if ":" in str(name) else str(name)
    default = {"http": 80, "https": 443}.get(request.url.scheme)
    return f"{request.url.scheme}://{name}" + ("" if port in (None, default) else f":{port}")


__all__ = ["Service", "attach", "link_base", "service_of"]
