"""One error envelope per surface, each built here and nowhere else (from the exception tree
of :mod:`kaifang.errors`, or from a compatibility layer's own error).

- native API (``/api/...``): ``{"error": {"code", "message", "hint"?, "details"?}, "status"}``
- CKAN Action API (``/api/3/action/...``, ``/api/action/...``): CKAN's
  ``{"help", "success": false, "error": {"__type", "message"}}``
- national spec (``/api/v1/...``): ``{"success": false, "error": {"type": "ER0xxx", "message"}}``

Compatibility layers raise their own errors; everything else is turned into the native
envelope here, including 404s for unknown routes and request validation errors.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from kaifang.errors import KaifangError, NotFoundError, RateLimitedError

LOG = logging.getLogger(__name__)
CKAN_PREFIXES = ("/api/3/action/", "/api/action/")
SPEC_PREFIX = "/api/v1/"


def native_error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": message, **extra}, "status": status}
    headers = {}
    if status in (429, 503) and "retry_after" in extra.get("details", {}):
        headers["Retry-After"] = str(extra["details"]["retry_after"])
    return JSONResponse(body, status_code=status, headers=headers)


def ckan_error(
    action: str, kind: str, message: str, status: int, *, base_url: str = "", **fields: Any
) -> JSONResponse:
    """CKAN's error body: ``{"help", "success": false, "error": {"__type", "message", ...}}``;
    ``help`` is the URL of the action's help_show (absolute with ``base_url``); ``fields``
    name the parameters at fault, as CKAN's validation errors do."""
    return JSONResponse(
        {
            "help": f"{base_url}/api/3/action/help_show?name={action}",
            "success": False,
            "error": {"__type": kind, "message": message, **fields},
        },
        status_code=status,
    )


def spec_error(code: str, message: str, status: int) -> JSONResponse:
    """The national spec's error body: ``{"success": false, "error": {"type", "message"}}``."""
    return JSONResponse(
        {"success": False, "error": {"type": code, "message": message}}, status_code=status
    )


def internal_error(path: str) -> JSONResponse:
    """A 500 for an unexpected failure, in the envelope of the surface ``path`` belongs to.
    The traceback is not sent; Starlette re-raises the exception after this response so
    that the server logs it."""
    message = f"internal error while answering {path}; the server log has the details"
    if path.startswith(SPEC_PREFIX):
        return spec_error("ER0500", f"系統錯誤：{message}", 500)
    if path.startswith(CKAN_PREFIXES):
        action = path.rstrip("/").rsplit("/", 1)[-1]
        return ckan_error(action, "Internal Server Error", message, 500)
    return native_error(
        500, "internal_error", message, hint="Try again later; if it persists, tell the operator."
    )


def _from_kaifang(exc: KaifangError, language: str = "en") -> JSONResponse:
    payload = exc.to_dict()
    code = payload.pop("code")
    message = payload.pop("message")
    translations: dict[str, tuple[str, str]] = getattr(exc, "translations", {})
    if language in translations:
        message, payload["hint"] = translations[language]
    return native_error(exc.status, code, message, **payload)


def request_language(request: Request) -> str:
    """The language an error that has translations answers in: the portal's language
    cookie, else the first of zh/en in ``Accept-Language``, else English (the language of
    the API's other messages). Not ``?lang=``: on the rows endpoints that is a filter."""
    asked = request.cookies.get("kaifang_lang") or ""
    if asked in ("zh-TW", "en"):
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh-TW"
        if tag.startswith("en"):
            return "en"
    return "en"


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "rate_limited",
}


API_PREFIXES = ("/api", "/catalog", "/themes", "/openapi.json", "/feeds/")


def _renamed(segment: str, old: str, new: str) -> str:
    """``old`` -> ``new``, ``old.atom`` -> ``new.atom``; other segments as they are."""
    if segment == old or segment.startswith(f"{old}."):
        return new + segment[len(old) :]
    return segment


def moved_url(request: Request, old: str, new: str) -> str | None:
    """The request's URL with the path segment and query values ``old`` as ``new`` (a
    renamed dataset's former id), relative to the site; None when ``old`` is in neither."""
    segments = request.url.path.split("/")
    path = "/".join(_renamed(part, old, new) for part in segments)
    pairs = request.query_params.multi_items()
    query = [(key, new if value == old else value) for key, value in pairs]
    if path == request.url.path and query == pairs:
        return None
    return f"{path}?{urlencode(query)}" if query else path


def moved_response(request: Request, exc: KaifangError) -> Response | None:
    """A redirect to the same page or API call with a renamed dataset's new id, when ``exc``
    says the id asked for was renamed (``details["moved_to"]``): 301 for GET and HEAD, 308
    (same method and body) otherwise."""
    moved = exc.details.get("moved_to")
    if not isinstance(exc, NotFoundError) or not isinstance(moved, dict):
        return None
    url = moved_url(request, str(moved["old"]), str(moved["new"]))
    if url is None:
        return None
    status = 301 if request.method in ("GET", "HEAD") else 308
    return RedirectResponse(url, status_code=status)


HtmlErrorPage = Callable[[Request, int, str, "str | None"], Response]


def install_error_handlers(app: FastAPI, *, html_error_page: HtmlErrorPage | None = None) -> None:
    """The JSON error envelope for every error; outside the API paths, ``html_error_page``
    (the portal's, passed in by ``kaifang.app.create_app``) renders it as a page instead."""

    def _page_error(
        request: Request, status: int, message: str, hint: str | None
    ) -> Response | None:
        if html_error_page is None or request.url.path.startswith(API_PREFIXES):
            return None
        return html_error_page(request, status, message, hint)

    @app.exception_handler(KaifangError)
    async def kaifang_error(request: Request, exc: KaifangError) -> Response:
        moved = moved_response(request, exc)
        if moved is not None:
            return moved
        if exc.status >= 500:  # the server's fault: the operator needs it in the log
            LOG.error("%s %s: %s", request.method, request.url.path, exc)
        page = _page_error(request, exc.status, exc.message, exc.hint)
        return page if page is not None else _from_kaifang(exc, request_language(request))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail) if exc.detail else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such endpoint: {request.url.path}"
        page = _page_error(request, exc.status_code, message, None)
        if page is not None:
            return page
        response = native_error(exc.status_code, _HTTP_CODES.get(exc.status_code, "error"), message)
        response.headers.update(exc.headers or {})  # e.g. Allow on a 405
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"location": ".".join(str(p) for p in err.get("loc", ())), "message": err.get("msg")}
            for err in exc.errors()
        ]
        first = problems[0] if problems else {"location": "", "message": "invalid request"}
        return native_error(
            422,
            "validation_error",
            f"{first['location']}: {first['message']}",
            details={"problems": problems},
        )

    @app.exception_handler(RecursionError)
    async def too_deep(request: Request, exc: RecursionError) -> Response:
        message = "the request is nested too deeply to read (JSON, filters or SQL)"
        hint = "Send flatter JSON: a few levels of objects and lists are enough."
        page = _page_error(request, 400, message, hint)
        return page if page is not None else native_error(400, "bad_request", message, hint=hint)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        return internal_error(request.url.path)


__all__ = [
    "RateLimitedError",
    "ckan_error",
    "install_error_handlers",
    "internal_error",
    "moved_response",
    "native_error",
    "spec_error",
]
