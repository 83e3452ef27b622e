"""Native API: read-only SQL through the safe query layer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, Field

from kaifang.api.responses import WITH_BODY, native_errors
from kaifang.errors import ValidationError
from kaifang.service.access import service_of
from kaifang.service.models import SqlResult

router = APIRouter(prefix="/api", tags=["sql"], responses=native_errors(400, 503))


def _run(request: Request, sql: str | None) -> SqlResult:
    if not sql or not sql.strip():
        raise ValidationError("sql is empty", hint="Pass ?sql=SELECT ... FROM <resource id>.")
    return service_of(request).sql_result(sql)


NOT_BLANK: dict[str, Any] = {"pattern": r"\S"}  # documented; _run answers 400 when blank


class SqlBody(BaseModel):
    sql: str = Field(description="One SELECT statement.", json_schema_extra=NOT_BLANK)


@router.get("/sql", summary="Run read-only SQL over published resources")
def sql_get(
    request: Request,
    sql: str = Query(..., description="One SELECT statement.", json_schema_extra=NOT_BLANK),
) -> SqlResult:
    return _run(request, sql)


@router.post(
    "/sql",
    summary="Run read-only SQL over published resources (body)",
    responses=native_errors(*WITH_BODY),
)
def sql_post(
    request: Request, body: SqlBody = Body(..., examples=[{"sql": "SELECT 1"}])
) -> SqlResult:
    return _run(request, body.sql)


@router.get(
    "/sql/tables",
    summary="The tables SQL can read and their columns",
    description="Each published resource: `table` (its current version), `versions` "
    "(`<table>__v<n>`, each version pinned) and `columns` with their Table Schema types.",
)
def sql_tables(
    request: Request,
    limit: int = Query(100, ge=1, le=1000, description="Tables a page."),
    offset: int = Query(0, ge=0, description="Tables to skip."),
) -> dict[str, Any]:
    return service_of(request).sql_tables(limit=limit, offset=offset)
