"""The error bodies each surface answers, as schemas, and the ``responses=`` tables that put
them in ``/openapi.json`` so that a client (and schemathesis) knows every status a route can
answer.

The shapes are rendered by :mod:`kaifang.api.errors`; these models only describe them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from kaifang.openness.checks.timeliness import TAIWAN
from kaifang.service.access import link_base, service_of


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable slug, e.g. not_found, query_refused.")
    message: str = Field(description="What failed and where.")
    hint: str | None = Field(None, description="The next step.")
    details: dict[str, Any] | None = Field(
        None, description="More about the failure, e.g. the key or the problems found."
    )


class ErrorEnvelope(BaseModel):
    """The native API's error body: ``{"error": {"code", "message", "hint"}, "status"}``."""

    error: ErrorDetail
    status: int = Field(description="The HTTP status, repeated.")


class SpecErrorDetail(BaseModel):
    type: str = Field(description="The spec's error code, ER0xxx.")
    message: str


class SpecErrorEnvelope(BaseModel):
    """The national spec's error body (``/api/v1/``)."""

    success: bool = Field(description="Always false.")
    error: SpecErrorDetail


class SpecAnswer(BaseModel):
    """The national spec's success body (``/api/v1/rest/...``); ``result`` is the list or
    object the spec defines for the path."""

    success: bool = Field(description="Always true.")
    result: Any


class CkanErrorDetail(BaseModel):
    model_config = ConfigDict(extra="allow")  # CKAN names the parameters at fault

    type_: str = Field(alias="__type", description="CKAN's error type, e.g. Not Found Error.")
    message: str


class CkanErrorEnvelope(BaseModel):
    """CKAN's error body (``/api/3/action/...``)."""

    help: str = Field(description="The action's help URL.")
    success: bool = Field(description="Always false.")
    error: CkanErrorDetail


class CkanAnswer(BaseModel):
    """CKAN's success body; ``result`` is what the action returns in CKAN."""

    help: str
    success: bool = Field(description="Always true.")
    result: Any


WHY = {
    400: "Bad request: a parameter, filter or SQL statement is refused.",
    401: "No API token, or an unknown or revoked one.",
    403: "The token's user may not do this.",
    404: "No such dataset, resource, version or organization.",
    405: "Method not allowed.",
    409: "Conflict: another publish of the same resource is running (CKAN: a parameter is "
    "missing or invalid).",
    413: "The request body is too large.",
    422: "A parameter or the body does not match its declared type, or the publish is refused.",
    429: "Too many requests from one address; Retry-After says when to try again.",
    500: "The server's fault: published files cannot be read, or an unexpected failure.",
    503: "A heavy request (SQL, aggregates, analyses, downloads, dumps) found the server at "
    "capacity (Retry-After says when to try again), or a configured engine (Spark) cannot be "
    "reached.",
}
COMMON = (422, 429, 500)
"""Every native route: bad parameter types, the rate limit, the server's own failures."""
HEAVY = (503,)
"""Heavy routes (:func:`kaifang.api.capacity.is_heavy`): the server at capacity."""
WITH_BODY = (413,)
"""Routes that read a request body: the body past ``upload_max_mb``."""


def errors(*statuses: int, model: type[BaseModel] = ErrorEnvelope) -> dict[int | str, Any]:
    """``responses=`` for a route or router: each status with its description and body."""
    return {status: {"model": model, "description": WHY[status]} for status in statuses}


def native_errors(*statuses: int) -> dict[int | str, Any]:
    """The native envelope for ``statuses`` plus :data:`COMMON`."""
    return errors(*sorted({*statuses, *COMMON}))


def spec_errors(*statuses: int) -> dict[int | str, Any]:
    return errors(*statuses, model=SpecErrorEnvelope)


def ckan_errors(*statuses: int) -> dict[int | str, Any]:
    return errors(*statuses, model=CkanErrorEnvelope)


SPEC_OK: dict[int | str, Any] = {200: {"model": SpecAnswer, "description": "The spec's answer"}}


def attachment(filename: str, title_filename: str) -> dict[str, str]:
    """``Content-Disposition`` of a download: ``filename`` (ASCII) for old clients and the
    UTF-8 ``title_filename`` as RFC 5987 / RFC 6266 ``filename*`` for the others."""
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_").replace("\\", "_")
    encoded = quote(title_filename, safe="")
    return {
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"
    }


class Encoded(Response):
    """A route's model, encoded to JSON on the request's own thread.

    A sync route that returns a model has FastAPI validate it again on another pool thread
    and encode it on the event loop, which every request shares: two more waits for a core
    when heavy queries keep the machine busy (a load test's pages waited behind the queries'
    results). The service's models are validated when built, so the routes that answer most
    often (the dataset list, a resource, SQL results) return ``Encoded(model)`` instead, with
    ``responses=documented(Model, ...)`` for ``/openapi.json``."""

    media_type = "application/json"

    def __init__(self, model: BaseModel) -> None:
        super().__init__(model.model_dump_json(by_alias=True))  # as FastAPI encodes


def documented(model: type[BaseModel], description: str) -> dict[int | str, dict[str, Any]]:
    """The 200 entry of ``responses=`` for a route that returns :class:`Encoded`."""
    return {200: {"model": model, "description": description}}


async def kept_until_the_catalog_changes(
    request: Request,
    key: tuple[Hashable, ...],
    build: Callable[[], BaseModel | bytes],
) -> Response:
    """``build()``'s model (or body) as JSON, kept encoded until the catalog changes (the
    service's :meth:`~kaifang.service.Service.catalog_json`). A kept answer is sent from the
    event loop when telling that it is current is cheap (SQLite): no wait for a pool thread
    behind heavy requests; otherwise ``build`` runs, or the kept answer is checked, on a pool
    thread. ``build`` raises for an error, which is never kept."""
    service = service_of(request)
    body = service.kept_catalog_json(key)
    if body is None:
        body = await run_in_threadpool(service.catalog_json, key, build)
    return Response(body, media_type="application/json")


def request_key(request: Request, kind: str, *more: Hashable) -> tuple[Hashable, ...]:
    """The key of a kept answer that follows the request as sent: ``kind``, the path and
    the query string as they came (parameters in another order are another key, so a
    repeated parameter's order always counts), where the answer's links point
    (:func:`~kaifang.service.access.link_base`: answers for two hosts are kept apart), the
    day in Taiwan (what is overdue changes with it, the catalog unchanged) and ``more``. A
    long query string is kept as its digest: what a client sends cannot make a key large."""
    query = bytes(request.scope.get("query_string", b""))
    if len(query) > 64:
        query = hashlib.sha256(query).digest()
    day = datetime.now(TAIWAN).date()
    return (kind, request.url.path, query, link_base(request), day, *more)
