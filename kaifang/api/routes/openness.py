"""Native API: openness scores of a dataset and of an organization, and the national
ranking (JSON and CSV). Scores are computed at request time (T1 depends on the clock)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from kaifang.api.responses import (
    documented,
    kept_until_the_catalog_changes,
    native_errors,
    request_key,
)
from kaifang.service.access import service_of
from kaifang.service.models import DatasetScore, OrganizationScore, Ranking

router = APIRouter(prefix="/api", tags=["openness"], responses=native_errors())


@router.get(
    "/datasets/{dataset_id}/openness",
    summary="A dataset's openness score: every check with its reason and fix",
    responses=native_errors(404),
)
def dataset_openness(request: Request, dataset_id: str) -> DatasetScore:
    return service_of(request).dataset_score(dataset_id)


@router.get(
    "/organizations/{code}/openness",
    summary="An organization's openness: distribution, split datasets, overdue, requests, trend",
    responses=native_errors(404),
)
def organization_openness(request: Request, code: str) -> OrganizationScore:
    return service_of(request).organization_score(code)


BY = Query("mean", pattern="^(mean|gold)$", description="Order by mean score or by 金 count.")


@router.get(
    "/openness/ranking",
    summary="Organizations ranked by mean score and by 金 datasets",
    response_class=JSONResponse,
    responses=documented(Ranking, "The ranking"),
)
async def ranking(request: Request, by: str = BY) -> Response:
    service = service_of(request)  # kept per day in Taiwan: overdue counts go by the day
    return await kept_until_the_catalog_changes(
        request, request_key(request, "ranking"), lambda: service.ranking_table(by=by)
    )


@router.get(
    "/openness/ranking.csv",
    summary="The ranking as CSV (UTF-8 with BOM for Excel)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def ranking_csv(request: Request, by: str = BY) -> Response:
    return Response(
        service_of(request).ranking_csv(by=by).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="openness-ranking.csv"'},
    )
