"""Protecting M06A trips, which are quasi-identifying (a car's exact path and times).

Two rules, both in SQL over the typed table:

1. **Coarsen times**: ``DetectionTime_O``, ``DetectionTime_D`` and every time inside
   ``TripInformation`` are floored to ``settings.freeway_trip_time_grain`` (default 5 minutes).
2. **Suppress rare trips**: a trip whose (origin gantry, destination gantry, hour of the
   origin time) is shared by fewer than ``settings.k_anonymity`` trips is left out.

The protected rows are then verified (every published class has at least k trips, every
time sits on the grain) and a failed check refuses the publish. The screening report (stored
with the version) says what was done, how many rows were suppressed and why, and what the
verification found. :mod:`kaifang.scaleout.trips` runs the same rules on Spark and builds its
report with :func:`protection_report`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from kaifang.errors import PublishRefusedError, ValidationError
from kaifang.settings import Settings
from kaifang.sqlutil import quote_literal

_GRAIN = re.compile(r"^\s*(\d+)\s*(minute|minutes|hour|hours)\s*$|^\s*(hour)\s*$")
QUASI_IDENTIFIERS = ("GantryID_O", "GantryID_D", "hour(DetectionTime_O)")
_MICROSECONDS = {"MINUTE": 60_000_000, "HOUR": 3_600_000_000}


@dataclass(frozen=True)
class TripGrain:
    """A parsed ``freeway_trip_time_grain``: ``amount`` of ``unit`` (``MINUTE`` or ``HOUR``)."""

    amount: int
    unit: str

    @property
    def duckdb_interval(self) -> str:
        """The DuckDB INTERVAL literal, e.g. ``INTERVAL 5 MINUTE``."""
        return f"INTERVAL {self.amount} {self.unit}"

    @property
    def microseconds(self) -> int:
        """The grain's width in microseconds (the Spark floor's modulus)."""
        return self.amount * _MICROSECONDS[self.unit]


def parse_grain(grain: str) -> TripGrain:
    """``'5 minutes'`` / ``'2 hours'`` / ``'hour'`` as a :class:`TripGrain`; ValidationError
    otherwise."""
    match = _GRAIN.match(grain.lower())
    if match is None:
        raise ValidationError(
            f"freeway_trip_time_grain {grain!r} is not a time grain",
            hint="Use e.g. '5 minutes', '15 minutes' or 'hour' (KAIFANG_FREEWAY_TRIP_TIME_GRAIN).",
            key="freeway_trip_time_grain",
        )
    if match.group(3):
        return TripGrain(1, "HOUR")
    amount, unit = int(match.group(1)), match.group(2)
    if amount < 1 or (unit.startswith("minute") and 1440 % amount) or amount > 1440:
        raise ValidationError(
            f"freeway_trip_time_grain {grain!r} does not divide a day",
            hint="Use a number of minutes that divides 1440, e.g. 5, 15, 60.",
            key="freeway_trip_time_grain",
        )
    return TripGrain(amount, "HOUR" if unit.startswith("hour") else "MINUTE")


def grain_interval(grain: str) -> str:
    """``'5 minutes'`` / ``'hour'`` as a DuckDB INTERVAL literal; ValidationError otherwise."""
    return parse_grain(grain).duckdb_interval


@dataclass(frozen=True)
class TripVerification:
    """What the protected trips hold: rows, (origin, destination, hour) classes, the smallest
    class and the trips with a time off the grain."""

    rows: int
    classes: int
    smallest_class: int
    times_off_grain: int

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> TripVerification:
        """From the one row of :func:`verification_sql`."""
        return cls(*(int(value) for value in row))


def verification_sql(table: str, floor: Callable[[str], str], trip_time_off_grain: str) -> str:
    """SQL (DuckDB and Spark alike) giving the one row of a :class:`TripVerification` of the
    protected trips in ``table``; ``floor(expr)`` floors a time to the grain in the engine's
    dialect and ``trip_time_off_grain`` says whether any ``TripInformation`` time is off it."""
    off = (
        f"DetectionTime_O <> {floor('DetectionTime_O')} OR "
        f"DetectionTime_D <> {floor('DetectionTime_D')} OR {trip_time_off_grain}"
    )
    return (
        "SELECT coalesce(sum(n), 0), count(*), coalesce(min(n), 0), coalesce(sum(off), 0) FROM ("
        f"SELECT count(*) AS n, sum(CASE WHEN {off} THEN 1 ELSE 0 END) AS off FROM {table} "
        "GROUP BY GantryID_O, GantryID_D, date_trunc('hour', DetectionTime_O)) AS classes"
    )


def protection_report(
    settings: Settings, rows_in: int, verification: TripVerification
) -> dict[str, Any]:
    """The screening report of protected trips (either engine): ``rows_in`` trips were
    protected into rows that ``verification`` describes. Refuses the publish when a class is
    smaller than k or a time is off the grain."""
    grain, k = settings.freeway_trip_time_grain, settings.k_anonymity
    rows_out, smallest, off_grain = (
        verification.rows,
        verification.smallest_class,
        verification.times_off_grain,
    )
    if (rows_out and smallest < k) or off_grain:
        raise PublishRefusedError(
            f"M06A: protected trips failed verification: smallest class {smallest} trips "
            f"(k = {k}), {off_grain} trips with a time off the {grain} grain",
            hint="This is a bug in the trip protection; report it with the import command.",
        )
    return {
        "status": "protected",
        "publishable": True,
        "rules": [
            {
                "code": "times_coarsened",
                "columns": ["DetectionTime_O", "DetectionTime_D", "TripInformation.time"],
                "grain": grain,
                "message": f"times floored to {grain}",
            },
            {
                "code": "rare_trips_suppressed",
                "quasi_identifiers": list(QUASI_IDENTIFIERS),
                "k": k,
                "suppressed_rows": rows_in - rows_out,
                "message": (
                    f"{rows_in - rows_out} of {rows_in} trips suppressed: their (origin gantry, "
                    f"destination gantry, hour) is shared by fewer than {k} trips"
                ),
            },
        ],
        "verification": {  # the keys of kaifang.privacy's verification, plus the trip checks
            "passed": True,  # a failed verification raised above
            "rows": rows_out,
            "original_rows": rows_in,
            "classes": verification.classes,
            "smallest_class": smallest,
            "times_off_grain": off_grain,
        },
        "rows_in": rows_in,
        "rows_out": rows_out,
        "suppressed_rows": rows_in - rows_out,
        "grain_sql": quote_literal(parse_grain(grain).duckdb_interval),
    }


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
    rows_in = int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
    off_trip = (
        f"list_bool_or(list_transform(TripInformation, lambda p: p.time <> {floor('p.time')}))"
    )
    found = con.execute(verification_sql("protected_trips", floor, off_trip)).fetchall()[0]
    report = protection_report(settings, rows_in, TripVerification.from_row(found))
    return "protected_trips", report
