"""Protecting M06A trips, which are quasi-identifying (a car's exact path and times).

Two rules, both in SQL over the typed table:

1. **Coarsen times**: ``DetectionTime_O``, ``DetectionTime_D`` and every time inside
   ``TripInformation`` are floored to ``settings.freeway_trip_time_grain`` (default 5 minutes).
2. **Suppress rare trips**: a trip whose (origin gantry, destination gantry, hour of the
   origin time) is shared by fewer than ``settings.k_anonymity`` trips is left out.

The screening report (stored with the version) says what was done and how many rows were
suppressed, and why.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from kaifang.errors import ValidationError
from kaifang.settings import Settings
from kaifang.sqlutil import quote_literal

_GRAIN = re.compile(r"^\s*(\d+)\s*(minute|minutes|hour|hours)\s*$|^\s*(hour)\s*$")
QUASI_IDENTIFIERS = ("GantryID_O", "GantryID_D", "hour(DetectionTime_O)")


def grain_interval(grain: str) -> str:
    """``'5 minutes'`` / ``'hour'`` as a DuckDB INTERVAL literal; ValidationError otherwise."""
    match = _GRAIN.match(grain.lower())
    if match is None:
        raise ValidationError(
            f"freeway_trip_time_grain {grain!r} is not a time grain",
            hint="Use e.g. '5 minutes', '15 minutes' or 'hour' (KAIFANG_FREEWAY_TRIP_TIME_GRAIN).",
            key="freeway_trip_time_grain",
        )
    if match.group(3):
        return "INTERVAL 1 HOUR"
    amount, unit = int(match.group(1)), match.group(2)
    if amount < 1 or (unit.startswith("minute") and 1440 % amount) or amount > 1440:
        raise ValidationError(
            f"freeway_trip_time_grain {grain!r} does not divide a day",
            hint="Use a number of minutes that divides 1440, e.g. 5, 15, 60.",
            key="freeway_trip_time_grain",
        )
    return f"INTERVAL {amount} {'HOUR' if unit.startswith('hour') else 'MINUTE'}"


def protect_trips(
    con: duckdb.DuckDBPyConnection, table: str, settings: Settings
) -> tuple[str, dict[str, Any]]:
    """Write the protected trips of ``table`` to ``protected_trips``; return it and the report."""
    interval = grain_interval(settings.freeway_trip_time_grain)
    k = settings.k_anonymity

    def floor(expr: str) -> str:
        return f"time_bucket({interval}, {expr})"

    con.execute(
        f"CREATE OR REPLACE TABLE protected_trips AS "
        f"WITH counted AS (SELECT *, count(*) OVER (PARTITION BY GantryID_O, GantryID_D, "
        f"date_trunc('hour', DetectionTime_O)) AS class_size FROM {table}) "
        f"SELECT VehicleType, {floor('DetectionTime_O')} AS DetectionTime_O, GantryID_O, "
        f"{floor('DetectionTime_D')} AS DetectionTime_D, GantryID_D, TripLength, TripEnd, "
        f"list_transform(TripInformation, lambda p: {{'time': {floor('p.time')}, "
        f"'gantry': p.gantry}}) AS TripInformation, Date "
        f"FROM counted WHERE class_size >= {int(k)}"
    )
    counts = con.execute(
        f"SELECT (SELECT count(*) FROM {table}), (SELECT count(*) FROM protected_trips)"
    ).fetchall()[0]
    before, after = int(counts[0]), int(counts[1])
    report = {
        "status": "protected",
        "publishable": True,
        "rules": [
            {
                "code": "times_coarsened",
                "columns": ["DetectionTime_O", "DetectionTime_D", "TripInformation.time"],
                "grain": settings.freeway_trip_time_grain,
                "message": f"times floored to {settings.freeway_trip_time_grain}",
            },
            {
                "code": "rare_trips_suppressed",
                "quasi_identifiers": list(QUASI_IDENTIFIERS),
                "k": k,
                "suppressed_rows": before - after,
                "message": (
                    f"{before - after} of {before} trips suppressed: their (origin gantry, "
                    f"destination gantry, hour) is shared by fewer than {k} trips"
                ),
            },
        ],
        "rows_in": before,
        "rows_out": after,
        "suppressed_rows": before - after,
        "grain_sql": quote_literal(interval),
    }
    return "protected_trips", report
