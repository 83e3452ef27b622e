"""Native API: read-only SQL through the safe query layer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kaifang.api.responses import WITH_BODY, Encoded, documented, native_errors
from kaifang.errors import ValidationError
from kaifang.service.access import service_of
from kaifang.service.models import SqlResult

router = APIRouter(prefix="/api", tags=["sql"], responses=native_errors(400, 503))


def _run(request: Request, sql: str | None) -> Encoded:
    if not sql or not sql.strip():
        raise ValidationError("sql is empty", hint="Pass ?sql=SELECT ... FROM <resource id>.")
    return Encoded(service_of(request).sql_result(sql))


RESULT = documented(SqlResult, "The columns and rows")


NOT_BLANK: dict[str, Any] = {"pattern": r"\S"}  # documented; _run answers 400 when blank


class SqlBody(BaseModel):
    sql: str = Field(description="One SELECT statement.", json_schema_extra=NOT_BLANK)


@router.get(
    "/sql",
    summary="Run read-only SQL over published resources",
    response_class=JSONResponse,
    responses=RESULT,
)
def sql_get(
    request: Request,
    sql: str = Query(..., description="One SELECT statement.", json_schema_extra=NOT_BLANK),
) -> Encoded:
    return _run(request, sql)


@router.post(
    "/sql",
    summary="Run read-only SQL over published resources (body)",
    response_class=JSONResponse,
    responses={**native_errors(*WITH_BODY), **RESULT},
)
def sql_post(
    request: Request, body: SqlBody = Body(..., examples=[{"sql": "SELECT 1"}])
) -> Encoded:
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
