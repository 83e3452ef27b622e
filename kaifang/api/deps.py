"""How routes reach the service layer that ``create_app`` built."""

from __future__ import annotations

from fastapi import Request

from kaifang.service import Service


def service_of(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def link_base(request: Request) -> str:
    """Where links in pages and catalogs point: the request's own scheme and host when its
    ``Host`` is one of ``trusted_hosts``, else the configured ``base_url`` (a forged
    ``Host`` header must not put another site's address into pages, caches or catalogs)."""
    settings = service_of(request).settings
    host = request.headers.get("host", "").strip().lower()
    trusted = {h.strip().lower() for h in settings.trusted_hosts.split(",") if h.strip()}
    if host and host in trusted:
        return f"{request.url.scheme}://{host}"
    return settings.base_url.rstrip("/")


__all__ = ["Service", "link_base", "service_of"]
