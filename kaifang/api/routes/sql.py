"""Native API: read-only SQL through the safe query layer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Query, Request

from kaifang.errors import ValidationError
from kaifang.service.access import service_of

router = APIRouter(prefix="/api", tags=["sql"])


def _run(request: Request, sql: str | None) -> dict[str, Any]:
    if not sql or not sql.strip():
        raise ValidationError("sql is empty", hint="Pass ?sql=SELECT ... FROM <resource id>.")
    result = service_of(request).sql(sql)
    return {
        "columns": result.columns,
        "rows": result.rows,
        "truncated": result.truncated,
        "elapsed_ms": round(result.elapsed_ms, 2),
    }


@router.get("/sql", summary="Run read-only SQL over published resources")
def sql_get(
    request: Request, sql: str = Query(..., description="One SELECT statement.")
) -> dict[str, Any]:
    return _run(request, sql)


@router.post("/sql", summary="Run read-only SQL over published resources (body)")
def sql_post(
    request: Request, body: dict[str, str] = Body(..., examples=[{"sql": "SELECT 1"}])
) -> dict[str, Any]:
    return _run(request, body.get("sql"))
