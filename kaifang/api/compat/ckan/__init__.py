"""CKAN Action API under ``/api/3/action/`` (and ``/api/action/``, where the ckanapi client
sends its calls), so that CKAN clients read and publish unchanged.

Responses use CKAN's ``{help, success, result}`` envelope, ``help`` being the absolute URL
of the action's ``help_show``; errors use CKAN's ``__type`` names and HTTP statuses
(``Authorization Error`` 403, ``Not Found Error`` 404, ``Validation Error`` 409 with a
message per field). The actions live in :mod:`.reads`, :mod:`.search`, :mod:`.writes` and
:mod:`.datastore`; each registers itself in :data:`.core.ACTIONS` when imported below.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kaifang.api.capacity import is_heavy
from kaifang.api.compat.ckan import activity, datastore, reads, search, writes
from kaifang.api.compat.ckan.core import (
    ACTIONS,
    Call,
    CkanError,
    Params,
    Upload,
    help_url,
    invalid,
    not_authorized,
    not_found,
)
from kaifang.api.errors import ckan_error
from kaifang.api.responses import (
    CkanAnswer,
    ckan_errors,
    errors,
    kept_until_the_catalog_changes,
    request_key,
)
from kaifang.errors import KaifangError, NotFoundError, QueryError
from kaifang.service.access import link_base, service_of

MODULES = (reads, search, writes, datastore, activity)
"""The modules whose actions are registered (importing them registers them)."""

router = APIRouter(tags=["CKAN Action API"])


def ckan_error_response(base_url: str, action: str, exc: CkanError) -> JSONResponse:
    return ckan_error(action, exc.kind, exc.message, exc.status, base_url=base_url, **exc.fields)


async def _params(request: Request) -> tuple[Params, dict[str, Upload]]:
    params: Params = {}
    files: dict[str, Upload] = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        params[key] = values if len(values) > 1 else values[0]
    if request.method != "POST":
        return params, files
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        request.state.ckan_form = form  # closed by _dispatch once the action is done
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                files[key] = Upload(value.filename or "upload.csv", value.file)
            else:
                params[key] = value
        return params, files
    body = await request.body()
    if body:
        try:
            data = json.loads(body)
        except ValueError:
            raise CkanError("Validation Error", "request body is not valid JSON", 400) from None
        if not isinstance(data, dict):
            raise CkanError("Validation Error", "request body must be a JSON object", 400)
        params.update(data)
    return params, files


def _token(request: Request) -> str | None:
    """The API token as CKAN clients send it: ``Authorization: <token>`` (or ``Bearer``),
    or ``X-CKAN-API-Key``."""
    raw = request.headers.get("authorization") or request.headers.get("x-ckan-api-key") or ""
    token = raw.strip()
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    return token or None


def _as_ckan(exc: KaifangError) -> CkanError:
    """A kaifang error in CKAN's terms."""
    if isinstance(exc, NotFoundError):
        return not_found(exc.message)
    if isinstance(exc, QueryError):
        return invalid("query", exc.message)
    if exc.status in (401, 403):
        return not_authorized(exc.message + (f" ({exc.hint})" if exc.hint else ""))
    if exc.status >= 500:  # stored data the catalog lists cannot be read
        return CkanError("Internal Server Error", exc.message, exc.status)
    field = str(exc.details.get("key") or "request")
    messages = list(exc.details.get("problems") or [exc.message])
    return CkanError("Validation Error", exc.message, 409, **{field: messages})


def _kept(request: Request, name: str) -> bool:
    """Whether action ``name``'s answer to ``request`` is kept until the catalog changes: a
    GET of an action that reads the catalog (its parameters are all in the query string);
    not the DataStore's, whose answers are rows and ad hoc SQL."""
    info = ACTIONS[name]
    return request.method == "GET" and not info.writes and not name.startswith("datastore_")


def _run(name: str, call: Call) -> Any:
    """Action ``name``'s result; a renamed dataset's former id answers as the current one."""
    info = ACTIONS[name]
    try:
        return info.fn(call)
    except NotFoundError as exc:
        moved = exc.details.get("moved_to")
        if not isinstance(moved, dict) or moved["old"] not in call.params.values():
            raise
        renamed = {k: moved["new"] if v == moved["old"] else v for k, v in call.params.items()}
        return info.fn(Call(call.service, renamed, call.base_url, call.token, call.files))


def _envelope(base_url: str, name: str, result: Any) -> bytes:
    """CKAN's success body, encoded as :class:`JSONResponse` encodes it."""
    answer = {"help": help_url(base_url, name), "success": True, "result": result}
    return bytes(JSONResponse(answer).body)


async def _dispatch(request: Request, name: str) -> Response:
    base_url = link_base(request)
    info = ACTIONS.get(name)
    if info is None:  # the help link names help_show, which resolves
        return ckan_error_response(
            base_url,
            "help_show",
            CkanError(
                "Bad Request",
                f"Action name not known: {name}; known: {', '.join(sorted(ACTIONS))}",
                400,
            ),
        )
    try:
        if info.writes and request.method != "POST":
            raise CkanError("Bad Request", f"{name} changes data: send it as a POST", 400)
        params, files = await _params(request)
        call = Call(service_of(request), params, base_url, _token(request), files)

        def build() -> bytes:
            return _envelope(base_url, name, _run(name, call))

        if _kept(request, name):
            return await kept_until_the_catalog_changes(
                request, request_key(request, "ckan", name), build
            )
        return Response(await run_in_threadpool(build), media_type="application/json")
    except CkanError as exc:
        return ckan_error_response(base_url, name, exc)
    except RecursionError:  # json.loads of a deeply nested body or filters
        return ckan_error_response(
            base_url, name, CkanError("Validation Error", "the JSON is nested too deeply", 400)
        )
    except KaifangError as exc:
        return ckan_error_response(base_url, name, _as_ckan(exc))
    finally:
        form = getattr(request.state, "ckan_form", None)
        if form is not None:
            await form.close()


# -- routes ------------------------------------------------------------------------------
def _answer(name: str) -> Callable[[Request], Awaitable[Response]]:
    async def answer(request: Request) -> Response:
        return await _dispatch(request, name)

    return answer


def _responses(name: str) -> dict[int | str, Any]:
    """What action ``name`` may answer: CKAN's envelopes for its own errors (400 a bad body,
    404 nothing by that id, 409 a missing or invalid parameter, 500 unreadable stored data;
    401 and 403 for the actions that write); the native one for what stands in front of
    every route (a too-large body, the rate limit, a heavy request at capacity)."""
    own = [400, 409, 500]
    if name.startswith("datastore_") or (name.endswith("_show") and name != "status_show"):
        own.append(404)
    if ACTIONS[name].writes:
        own += [401, 403, 404]
    front = [413, 429, *((503,) if is_heavy(f"/api/3/action/{name}") else ())]
    return {
        200: {"model": CkanAnswer, "description": "CKAN's answer"},
        **ckan_errors(*sorted(set(own))),
        **errors(*front),
    }


# each action as an operation of its own in /openapi.json (its parameters are CKAN's, sent
# as query parameters or a JSON body; an action that writes only as a POST, its GET being
# refused), registered before the generic route; then any other name, and /api/action/
# where the ckanapi client sends its calls, through the same dispatch
for _name in sorted(ACTIONS):
    for _method in ("POST",) if ACTIONS[_name].writes else ("GET", "POST"):
        router.add_api_route(
            f"/api/3/action/{_name}",
            _answer(_name),
            methods=[_method],
            operation_id=f"ckan_{_name}_{_method.lower()}",
            summary=f"CKAN {_name}",
            response_class=JSONResponse,
            responses=_responses(_name),
        )
for _prefix in ("/api/3/action", "/api/action"):
    router.add_api_route(
        _prefix + "/{name}", _dispatch, methods=["GET", "POST"], include_in_schema=False
    )

__all__ = ["ACTIONS", "MODULES", "router"]
