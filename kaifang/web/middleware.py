"""Security headers, the session cookie and usage counting, as one plain ASGI middleware.

It only edits the response's start message, so it needs none of ``BaseHTTPMiddleware``'s
machinery (a task group and a body stream per request): the two ``@app.middleware("http")``
functions it replaces cost a page more than its catalog lookup.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kaifang.service.usage import UsageCounter
from kaifang.web.login_limit import LoginLimiter
from kaifang.web.security import DOCS_CSP, PORTAL_CSP, Sessions
from kaifang.web.session_store import SessionStore

COUNTED = re.compile(r"^/api/resources/([^/]+)/(rows|download\.[a-z]+)$")
"""Paths whose successful answers count as a use of the resource."""


class PortalMiddleware:
    """Adds the security headers to every response, saves a new or changed session, and
    counts successful row and download requests per resource."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        sessions: Sessions,
        usage: UsageCounter,
        session_store: SessionStore,
        logins: LoginLimiter,
        csp: str = PORTAL_CSP,
    ) -> None:
        self.app = app
        self.csp = csp  # the pages' policy (security.portal_csp)
        self.sessions = sessions
        self.usage = usage
        self.session_store = session_store
        self.logins = logins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        # the pages load the session lazily (security.session_of) with the middleware's
        # sessions, so that requests that never look at it never verify the cookie
        state = scope.setdefault("state", {})
        state["sessions"] = self.sessions
        state["session_store"] = self.session_store  # server-side sessions (logout ends one)
        state["logins"] = self.logins  # failed logins per address

        async def start(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._headers(scope, path, MutableHeaders(scope=message))
                counted = COUNTED.match(path)
                if counted and message["status"] == 200:
                    self.usage.hit(counted.group(1))
            await send(message)

        await self.app(scope, receive, start)

    def _headers(self, scope: Scope, path: str, headers: MutableHeaders) -> None:
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if headers.get("content-type", "").startswith("text/html"):
            headers.setdefault("Content-Security-Policy", DOCS_CSP if path == "/docs" else self.csp)
            headers.setdefault("X-Frame-Options", "DENY")
        state: dict[str, Any] = scope.get("state") or {}
        session = state.get("session")
        if session is not None and (state.get("session_fresh") or state.get("session_changed")):
            cookie = Response()
            self.sessions.save(cookie, session)
            for name, value in cookie.raw_headers:
                if name == b"set-cookie":
                    headers.append("set-cookie", value.decode("latin-1"))
