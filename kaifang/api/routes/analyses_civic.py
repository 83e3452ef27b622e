"""Native API: analyses of elections and theft points (see the ``analyses`` module of
kaifang.sources.elections and of kaifang.sources.theft)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from kaifang.service.access import service_of

router = APIRouter(prefix="/api/analyses", tags=["analyses"])


@router.get("/elections/{dataset}/results", summary="Election results at one area level")
def election_results(
    request: Request,
    dataset: str,
    level: str = Query(
        "county", description="national, county, constituency, district, village or station"
    ),
    limit: int = Query(1000, description="Rows at most (1–10000)."),
) -> dict[str, Any]:
    return service_of(request).elections.results(dataset, level=level, limit=limit)


@router.get("/elections/{dataset}/winners", summary="Elected candidates with party and votes")
def election_winners(request: Request, dataset: str) -> dict[str, Any]:
    return service_of(request).elections.winners(dataset)


@router.get("/theft/hotspots", summary="Theft cases by district × hour band × weekday × category")
def theft_hotspots(
    request: Request,
    category: str | None = Query(None, description="home, car, motorcycle or bike"),
    district: str | None = Query(None, description="A district, e.g. 大安區"),
    limit: int = Query(100, description="Rows at most (1–10000)."),
) -> dict[str, Any]:
    return service_of(request).theft.hotspots(category=category, district=district, limit=limit)


@router.get("/theft/trend", summary="Theft cases per month and category")
def theft_trend(
    request: Request,
    category: str | None = Query(None, description="home, car, motorcycle or bike"),
) -> dict[str, Any]:
    return service_of(request).theft.trend(category=category)


@router.get("/theft/roads", summary="Road segments with the most theft cases")
def theft_roads(
    request: Request,
    category: str | None = Query(None, description="home, car, motorcycle or bike"),
    limit: int = Query(20, description="Rows at most (1–10000)."),
) -> dict[str, Any]:
    return service_of(request).theft.roads(category=category, limit=limit)
