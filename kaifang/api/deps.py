"""How routes reach the portal service that ``create_app`` built."""

from __future__ import annotations

from fastapi import Request

from kaifang.portal import Portal


def portal_of(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal


__all__ = ["Portal", "portal_of"]
