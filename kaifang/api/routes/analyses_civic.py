"""Native API: analyses of elections and theft points (see the ``analyses`` module of
kaifang.sources.elections and of kaifang.sources.theft)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from kaifang.api.responses import HEAVY, native_errors
from kaifang.service.access import service_of
from kaifang.service.models import ElectionResults, ElectionWinners, TheftRows
from kaifang.sources.elections.parse import LEVELS
from kaifang.sources.source import MAX_LIMIT
from kaifang.sources.theft.columns import CATEGORIES

router = APIRouter(
    prefix="/api/analyses", tags=["analyses"], responses=native_errors(400, 404, *HEAVY)
)

# Documented for clients; the service checks them itself and answers 400 with the valid values.
CATEGORY: dict[str, Any] = {"enum": list(CATEGORIES)}
LIMIT: dict[str, Any] = {"minimum": 1, "maximum": MAX_LIMIT}


@router.get(
    "/elections/{dataset}/results",
    summary="Election results at one area level",
    response_model=ElectionResults,
)
def election_results(
    request: Request,
    dataset: str,
    level: str = Query(
        "county",
        description="national, county, constituency, district, village or station",
        json_schema_extra={"enum": list(LEVELS)},  # checked by the service (400)
    ),
    limit: int = Query(1000, description="Rows at most (1–10000).", json_schema_extra=LIMIT),
) -> dict[str, Any]:
    return service_of(request).elections.results(dataset, level=level, limit=limit)


@router.get(
    "/elections/{dataset}/winners",
    summary="Elected candidates with party and votes",
    response_model=ElectionWinners,
)
def election_winners(request: Request, dataset: str) -> dict[str, Any]:
    return service_of(request).elections.winners(dataset)


@router.get(
    "/theft/hotspots",
    summary="Theft cases by district × hour band × weekday × category",
    response_model=TheftRows,
)
def theft_hotspots(
    request: Request,
    category: str | None = Query(
        None, description="home, car, motorcycle or bike", json_schema_extra=CATEGORY
    ),
    district: str | None = Query(None, description="A district, e.g. 大安區"),
    limit: int = Query(100, description="Rows at most (1–10000).", json_schema_extra=LIMIT),
) -> dict[str, Any]:
    return service_of(request).theft.hotspots(category=category, district=district, limit=limit)


@router.get("/theft/trend", summary="Theft cases per month and category", response_model=TheftRows)
def theft_trend(
    request: Request,
    category: str | None = Query(
        None, description="home, car, motorcycle or bike", json_schema_extra=CATEGORY
    ),
) -> dict[str, Any]:
    return service_of(request).theft.trend(category=category)


@router.get(
    "/theft/roads", summary="Road segments with the most theft cases", response_model=TheftRows
)
def theft_roads(
    request: Request,
    category: str | None = Query(
        None, description="home, car, motorcycle or bike", json_schema_extra=CATEGORY
    ),
    limit: int = Query(20, description="Rows at most (1–10000).", json_schema_extra=LIMIT),
) -> dict[str, Any]:
    return service_of(request).theft.roads(category=category, limit=limit)
