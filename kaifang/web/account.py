"""Login with an API token (the session keeps the token's prefix, never the token), logout."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from kaifang.errors import UnauthorizedError
from kaifang.service.access import service_of
from kaifang.web.login_limit import LoginLimiter
from kaifang.web.rendering import redirect, render
from kaifang.web.security import check_csrf, session_of
from kaifang.web.session_store import SessionStore

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only same-site paths; anything else goes home (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _store(request: Request) -> SessionStore:
    store: SessionStore = request.state.session_store  # handed over by PortalMiddleware
    return store


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    token: str = Form(""),
    csrf: str = Form(""),
    next: str = Form("/"),
) -> Response:
    check_csrf(request, csrf)
    logins: LoginLimiter = request.state.logins  # handed over by PortalMiddleware
    address = request.client.host if request.client else ""
    logins.check(address)
    try:
        user = service_of(request).authenticate(token)
    except UnauthorizedError as exc:
        logins.failed(address)
        return render(request, "login.html", status=401, next=_safe_next(next), error=exc)
    session = session_of(request)
    session.clear()
    session.update(
        {
            "csrf": secrets.token_urlsafe(24),
            "user": user.name,
            "prefix": token.strip().split("_", 2)[1],
            "sid": _store(request).start(user.name),
        }
    )
    request.state.session_changed = True
    return redirect(_safe_next(next))


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    session = session_of(request)
    _store(request).end(session.pop("sid", None))  # a copy of the cookie stops working too
    session.pop("user", None)
    session.pop("prefix", None)
    request.state.session_changed = True
    return redirect("/")
