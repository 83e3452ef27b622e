"""How routes reach the service layer that ``create_app`` built."""

from __future__ import annotations

from fastapi import Request

from kaifang.service import Service


def service_of(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


__all__ = ["Service", "service_of"]
