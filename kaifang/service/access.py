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


__all__ = ["Service", "attach", "service_of"]
