"""Native API: freeway traffic analyses over the TDCS tables (see docs/api.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from kaifang.api.responses import native_errors
from kaifang.service.access import service_of
from kaifang.service.models import FreewayAnswer
from kaifang.sources.freeway.analyses import DEFAULT_CONGESTION_KMH, VEHICLE_TYPES

router = APIRouter(
    prefix="/api/analyses/freeway", tags=["analyses"], responses=native_errors(400, 404, 503)
)

From = Annotated[datetime, Query(alias="from", description="Window start (inclusive), ISO 8601.")]
To = Annotated[datetime, Query(alias="to", description="Window end (exclusive), ISO 8601.")]
VehicleType = Annotated[
    str | None,
    Query(
        description="31 小客車, 32 小貨車, 41 大客車, 42 大貨車, 5 聯結車.",
        json_schema_extra={"enum": list(VEHICLE_TYPES)},  # checked by the service (400)
    ),
]


@router.get(
    "/volume",
    summary="Vehicles per gantry, hour and vehicle type (M03A)",
    response_model=FreewayAnswer,
    response_model_exclude_unset=True,  # elapsed_ms only when files were read
)
def volume(
    request: Request,
    start: From,
    end: To,
    gantry: Annotated[str | None, Query(description="Gantry id, e.g. 01F0005S.")] = None,
    vehicle_type: VehicleType = None,
) -> dict[str, Any]:
    return service_of(request).freeway.volume(
        start=start, end=end, gantry=gantry, vehicle_type=vehicle_type
    )


@router.get(
    "/travel",
    summary="Travel time and speed between two gantries (M04A, M05A)",
    response_model=FreewayAnswer,
    response_model_exclude_unset=True,  # elapsed_ms only when files were read
)
def travel(
    request: Request,
    gantry_from: Annotated[str, Query(description="Upstream gantry id.")],
    gantry_to: Annotated[str, Query(description="Downstream gantry id.")],
    start: From,
    end: To,
    congestion_kmh: Annotated[
        float, Query(gt=0, description="Speeds under this are congested.")
    ] = DEFAULT_CONGESTION_KMH,
    vehicle_type: VehicleType = None,
) -> dict[str, Any]:
    return service_of(request).freeway.travel(
        gantry_from=gantry_from,
        gantry_to=gantry_to,
        start=start,
        end=end,
        congestion_kmh=congestion_kmh,
        vehicle_type=vehicle_type,
    )


@router.get(
    "/busiest",
    summary="The day's busiest sections (M05A)",
    response_model=FreewayAnswer,
    response_model_exclude_unset=True,  # elapsed_ms only when files were read
)
def busiest(
    request: Request,
    day: Annotated[date, Query(description="The day, e.g. 2024-03-25.")],
    limit: Annotated[int, Query(ge=1, le=1000)] = 10,
    vehicle_type: VehicleType = None,
) -> dict[str, Any]:
    return service_of(request).freeway.busiest_sections(
        day=day, limit=limit, vehicle_type=vehicle_type
    )


@router.get(
    "/od",
    summary="Origin-destination trip matrix (M08A)",
    response_model=FreewayAnswer,
    response_model_exclude_unset=True,  # elapsed_ms only when files were read
)
def od_matrix(
    request: Request, start: From, end: To, vehicle_type: VehicleType = None
) -> dict[str, Any]:
    return service_of(request).freeway.od_matrix(start=start, end=end, vehicle_type=vehicle_type)


@router.get(
    "/trip-length",
    summary="Average trip length per vehicle type (M07A)",
    response_model=FreewayAnswer,
    response_model_exclude_unset=True,  # elapsed_ms only when files were read
)
def trip_length(
    request: Request,
    start: From,
    end: To,
    gantry: Annotated[str | None, Query(description="Origin gantry id.")] = None,
) -> dict[str, Any]:
    return service_of(request).freeway.trip_length(start=start, end=end, gantry=gantry)
