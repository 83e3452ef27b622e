"""Sessions, CSRF and security headers for the portal.

- The session is a signed cookie (itsdangerous, HMAC with a per-installation key kept in the
  data directory), HttpOnly and SameSite=Lax. It holds a random CSRF token and, after login,
  the user's name and the *prefix* of the API token used — never the token itself. Each
  request that needs a user looks the prefix up again, so revoking the token ends the session.
- Every form carries the session's CSRF token; every POST is refused (403) unless the form's
  ``csrf`` field equals the session's token (compared in constant time).
- Every response carries ``X-Content-Type-Options: nosniff`` and a ``Referrer-Policy``; portal
  HTML pages carry a Content-Security-Policy without inline scripts (all JS is in static files),
  whose images come from the portal itself, or also from the map tile server when one is set.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from kaifang.errors import ForbiddenError
from kaifang.settings import Settings

SESSION_COOKIE = "kaifang_session"
SESSION_SECONDS = 12 * 3600
KEY_FILE = "web-session.key"
PORTAL_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def portal_csp(settings: Settings) -> str:
    """The portal pages' policy; with ``map_tiles_url`` set, images may also come from the
    tile server's origin (and from nowhere else)."""
    if not settings.map_tiles_url:
        return PORTAL_CSP
    parts = urlsplit(settings.map_tiles_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    return PORTAL_CSP.replace("img-src 'self' data:;", f"img-src 'self' data: {origin};")


# Swagger UI's page boots with one inline script; it gets its own, looser policy.
DOCS_CSP = (  # Swagger UI sets inline styles; every script is a local file
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'"
)


def session_key(settings: Settings) -> str:
    """The installation's signing key, created once (mode 0600) in the data directory.

    Written to a private temporary file and hard-linked into place, so that several workers
    starting together agree on one key and none reads a half-written file."""
    path = Path(settings.data_dir) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f"{KEY_FILE}.{secrets.token_hex(8)}")
        fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(staging, path)
        except FileExistsError:
            pass  # another worker won; use its key
        finally:
            staging.unlink()
    return path.read_text(encoding="ascii").strip()


class Sessions:
    """Reads and writes the signed session cookie."""

    def __init__(self, settings: Settings) -> None:
        self._signer = URLSafeTimedSerializer(session_key(settings), salt="kaifang-session")
        self.secure = settings.base_url.startswith("https://")

    def load(self, request: Request) -> dict[str, Any]:
        raw = request.cookies.get(SESSION_COOKIE)
        if raw:
            try:
                data = self._signer.loads(raw, max_age=SESSION_SECONDS)
            except BadSignature:
                data = None
            if isinstance(data, dict) and isinstance(data.get("csrf"), str):
                return data
        return {"csrf": secrets.token_urlsafe(24)}

    def save(self, response: Response, session: dict[str, Any]) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            self._signer.dumps(session),
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="lax",
            secure=self.secure,
        )


def session_of(request: Request) -> dict[str, Any]:
    """This request's session (loaded once, saved by the middleware when it changed)."""
    session: dict[str, Any] | None = getattr(request.state, "session", None)
    if session is None:
        sessions: Sessions = request.state.sessions  # handed over by PortalMiddleware
        session = sessions.load(request)
        request.state.session = session
        request.state.session_fresh = SESSION_COOKIE not in request.cookies
    return session


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a POST whose form token is not this session's CSRF token."""
    expected = session_of(request)["csrf"]
    if not submitted or not hmac.compare_digest(submitted, expected):
        raise ForbiddenError(
            "the form's security token is missing or out of date",
            hint="Reload the page and submit the form again.",
        )
