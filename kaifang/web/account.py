"""Login with an API token (the session keeps the token's prefix, never the token), logout,
and the account page: the signed-in user's API tokens (list, create — the secret shown once —
and revoke) and live sessions (list, end). Every POST checks the session's CSRF token, and
every action applies to the signed-in user's own tokens and sessions only."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from kaifang.errors import NotFoundError, UnauthorizedError, ValidationError
from kaifang.service import web as portal_web
from kaifang.service.access import service_of
from kaifang.web.login_limit import LoginLimiter
from kaifang.web.rendering import current_user, redirect, render
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
            "sid": _store(request).start(user.name, agent=request.headers.get("user-agent", "")),
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


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request) -> Response:
    if current_user(request) is None:
        return redirect("/login?next=/account")
    return _account(request)


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(request: Request, label: str = Form(""), csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    user = current_user(request)
    if user is None:
        return redirect("/login?next=/account")
    try:
        created = portal_web.new_token(service_of(request), user, label)
    except ValidationError as exc:
        return _account(request, status=422, error=exc)
    response = _account(request, new_token=created.token)
    response.headers["Cache-Control"] = "no-store"  # the secret is shown this once only
    return response


@router.post("/account/tokens/{prefix}/revoke")
def revoke_token(request: Request, prefix: str, csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    user = current_user(request)
    if user is None:
        return redirect("/login?next=/account")
    portal_web.revoke_own_token(service_of(request), user, prefix)
    return redirect("/account#tokens")


@router.post("/account/sessions/{handle}/end")
def end_session(request: Request, handle: str, csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    user = current_user(request)
    if user is None:
        return redirect("/login?next=/account")
    if not _store(request).end_of_user(user.name, handle):
        raise NotFoundError(
            "you have no live session with that handle",
            hint="It may have ended already; reload the account page.",
        )
    return redirect("/account#sessions")


def _account(request: Request, *, status: int = 200, **context: Any) -> Response:
    user = current_user(request)
    assert user is not None  # the routes checked
    sessions = _store(request).of_user(user.name, current=session_of(request).get("sid"))
    return render(
        request,
        "account.html",
        status=status,
        tokens=portal_web.account_tokens(service_of(request), user),
        sessions=[
            {**vars(live), "started": datetime.fromtimestamp(live.started, UTC).isoformat()}
            for live in sessions
        ],
        current_prefix=session_of(request).get("prefix"),
        **{"new_token": None, "error": None, **context},
    )
