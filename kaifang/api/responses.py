"""The error bodies each surface answers, as schemas, and the ``responses=`` tables that put
them in ``/openapi.json`` so that a client (and schemathesis) knows every status a route can
answer.

The shapes are rendered by :mod:`kaifang.api.errors`; these models only describe them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, Field


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


WHY = {
    400: "Bad request: a parameter, filter or SQL statement is refused.",
    401: "No API token, or an unknown or revoked one.",
    403: "The token's user may not do this.",
    404: "No such dataset, resource, version or organization.",
    405: "Method not allowed.",
    409: "Conflict: another publish of the same resource is running.",
    413: "The request body is too large.",
    422: "A parameter or the body does not match its declared type, or the publish is refused.",
    429: "Too many requests from one address; Retry-After says when to try again.",
    500: "The server's fault: published files cannot be read, or an unexpected failure.",
    503: "A configured engine (Spark) cannot be reached.",
}
COMMON = (422, 429, 500)
"""Every native route: bad parameter types, the rate limit, the server's own failures."""


def errors(*statuses: int, model: type[BaseModel] = ErrorEnvelope) -> dict[int | str, Any]:
    """``responses=`` for a route or router: each status with its description and body."""
    return {status: {"model": model, "description": WHY[status]} for status in statuses}


def native_errors(*statuses: int) -> dict[int | str, Any]:
    """The native envelope for ``statuses`` plus :data:`COMMON`."""
    return errors(*sorted({*statuses, *COMMON}))


def spec_errors(*statuses: int) -> dict[int | str, Any]:
    return errors(*statuses, model=SpecErrorEnvelope)


SPEC_OK: dict[int | str, Any] = {200: {"model": SpecAnswer, "description": "The spec's answer"}}


def attachment(filename: str, title_filename: str) -> dict[str, str]:
    """``Content-Disposition`` of a download: ``filename`` (ASCII) for old clients and the
    UTF-8 ``title_filename`` as RFC 5987 / RFC 6266 ``filename*`` for the others."""
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_").replace("\\", "_")
    encoded = quote(title_filename, safe="")
    return {
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"
    }
