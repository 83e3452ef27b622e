"""CKAN's actions as operations of ``/openapi.json``: their parameters (query string for GET,
a JSON object for POST) and CKAN's envelopes, so that clients, the API docs and the fuzzing
run (tests/api/test_openapi.py) see them like every other operation.

The parameters are the ones :mod:`kaifang.api.compat.ckan` reads; unknown ones are ignored,
as CKAN does. Values are checked by the actions themselves and refused with CKAN's
``Validation Error`` (HTTP 409), which is what a CKAN client expects.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from kaifang.api.responses import ErrorEnvelope

MAX_ROWS = 1000
"""Most results one package_search answers (CKAN's default limit)."""


class CkanAnswer(BaseModel):
    """CKAN's success body."""

    help: str = Field(description="Where CKAN would document the action.")
    success: bool = Field(description="Always true.")
    result: Any = Field(description="What the action returns.")


class CkanErrorDetail(BaseModel, extra="allow"):
    type: str = Field(alias="__type", description="CKAN's error kind, e.g. Not Found Error.")
    message: str


class CkanErrorEnvelope(BaseModel):
    """CKAN's error body; a validation error also names the field at fault."""

    help: str
    success: bool = Field(description="Always false.")
    error: CkanErrorDetail


def _text(description: str, **schema: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **schema}


def _natural(description: str, **schema: Any) -> dict[str, Any]:
    return {"type": "integer", "minimum": 0, "description": description, **schema}


def _flag(description: str) -> dict[str, Any]:
    return {"type": "boolean", "description": description}


ID = _text("The id or name of the thing shown.", minLength=1)
ACTIONS: dict[str, tuple[str, dict[str, dict[str, Any]], tuple[str, ...]]] = {
    # name: (summary, parameters, required)
    "status_show": ("The site and its CKAN version", {}, ()),
    "package_list": (
        "Every dataset's name",
        {"limit": _natural("Most names."), "offset": _natural("Names to skip.")},
        (),
    ),
    "package_search": (
        "Search datasets",
        {
            "q": _text("Words to look for (`*:*` for all).", maxLength=500),
            "fq": _text(
                "Filters, e.g. `organization:379130000E tags:交通` (organization, owner_org, "
                "tags, res_format, license_id, groups)."
            ),
            "rows": _natural(f"Results per page (at most {MAX_ROWS})."),
            "start": _natural("Results to skip."),
            "facet.field": _text("Fields to count, as a JSON list or comma-separated."),
        },
        (),
    ),
    "package_show": ("One dataset", {"id": ID}, ("id",)),
    "organization_list": (
        "Every organization",
        {"all_fields": _flag("Whole organizations rather than names.")},
        (),
    ),
    "organization_show": (
        "One organization",
        {"id": ID, "include_datasets": _flag("List its datasets too.")},
        ("id",),
    ),
    "resource_show": ("One resource", {"id": ID}, ("id",)),
    "datastore_search": (
        "Rows of a resource",
        {
            "resource_id": ID,
            "filters": _text('Equality filters as a JSON object, e.g. `{"city": "臺北市"}`.'),
            "q": _text("Words to look for in any column.", maxLength=500),
            "fields": _text("Columns to return, as a JSON list or comma-separated."),
            "sort": _text("Columns to sort by, e.g. `year desc, city`."),
            "limit": _natural("Most rows."),
            "offset": _natural("Rows to skip."),
            "records_format": {"type": "string", "enum": ["objects", "lists", "csv"]},
            "include_total": _flag("Count every matching row."),
        },
        ("resource_id",),
    ),
    "datastore_search_sql": (
        "Read-only SQL over published resources",
        {"sql": _text("One SELECT statement.", minLength=1, pattern=r"\S")},
        ("sql",),
    ),
}


def _envelope(model: type[BaseModel], description: str) -> dict[str, Any]:
    return {"model": model, "description": description}


def action_responses(name: str) -> dict[int | str, Any]:
    """CKAN's statuses for action ``name`` (with the native envelope where the server answers
    before the action runs: the rate limit, and the capacity for heavy work)."""
    responses: dict[int | str, Any] = {
        200: _envelope(CkanAnswer, "CKAN's answer."),
        400: _envelope(CkanErrorEnvelope, "A body that is not a JSON object, or a bad query."),
        404: _envelope(CkanErrorEnvelope, "No such dataset, organization or resource."),
        409: _envelope(CkanErrorEnvelope, "Validation Error: a parameter is missing or wrong."),
        429: _envelope(ErrorEnvelope, "Too many requests from one address."),
        500: _envelope(CkanErrorEnvelope, "The server's fault: published files are unreadable."),
    }
    if name == "datastore_search_sql":
        responses[503] = _envelope(ErrorEnvelope, "The server's capacity for SQL is full.")
    return responses


def action_openapi(name: str, method: str) -> dict[str, Any]:
    """``openapi_extra`` of the GET (query string) or POST (JSON object) route of ``name``."""
    _summary, parameters, required = ACTIONS[name]
    if method == "GET":
        return {
            "parameters": [
                {"name": key, "in": "query", "required": key in required, "schema": schema}
                for key, schema in parameters.items()
            ]
        }
    body: dict[str, Any] = {"type": "object", "properties": parameters}
    if required:
        body["required"] = list(required)
    return {
        "requestBody": {
            "required": bool(required),
            "content": {"application/json": {"schema": body}},
        }
    }
