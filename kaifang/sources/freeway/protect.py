"""Protecting M06A trips, which are quasi-identifying (a car's exact path and times).

Two rules, both in SQL over the typed table:

1. **Coarsen times**: ``DetectionTime_O``, ``DetectionTime_D`` and every time inside
   ``TripInformation`` are floored to ``settings.freeway_trip_time_grain`` (default 5 minutes).
2. **Suppress rare trips**: a trip whose (origin gantry, destination gantry, hour of the
   origin time) is shared by fewer than ``settings.k_anonymity`` trips is left out.

The protected rows are then verified (every published class has at least k trips, every
time sits on the grain) and a failed check refuses the publish. The screening report (stored
with the version) says what was done, how many rows were suppressed and why, and what the
verification found. Both rules are written once, for either engine
(:func:`protected_trips_sql`, :func:`trip_verification_sql`, with the k-anonymity rule of
:mod:`kaifang.privacy.suppress`): :func:`protect_trips` runs them on DuckDB and
:mod:`kaifang.sources.freeway.spark_trips` on Spark, and both build the report with
:func:`protection_report`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import duckdb

from kaifang.errors import PublishRefusedError, ValidationError
from kaifang.privacy.suppress import rare_rows_removed_sql
from kaifang.settings import Settings
from kaifang.sqlutil import quote_literal

_GRAIN = re.compile(r"^\s*(\d+)\s*(minute|minutes|hour|hours)\s*$|^\s*(hour)\s*$")
QUASI_IDENTIFIERS = ("GantryID_O", "GantryID_D", "hour(DetectionTime_O)")
_MICROSECONDS = {"MINUTE": 60_000_000, "HOUR": 3_600_000_000}
# DuckDB's time_bucket origin for intervals of minutes and hours (Spark's floor counts from it).
_BUCKET_ORIGIN = "TIMESTAMP_NTZ'2000-01-03 00:00:00'"
Dialect = Literal["duckdb", "spark"]
"""The engines the trip rules are written for."""
CLASS_SQL = ("GantryID_O", "GantryID_D", "date_trunc('hour', DetectionTime_O)")
"""A trip's class: origin gantry, destination gantry, hour of the origin time."""


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

    def floor_sql(self, expr: str, *, dialect: Dialect) -> str:
        """``expr`` floored to the grain in ``dialect`` (``duckdb`` or ``spark``)."""
        if dialect == "spark":
            return floor_spark_sql(expr, self.microseconds)
        return f"time_bucket({self.duckdb_interval}, {expr})"


def floor_spark_sql(expr: str, microseconds: int) -> str:
    """``expr`` floored to a grain of ``microseconds`` in Spark SQL, as DuckDB's
    ``time_bucket`` does (buckets counted from 2000-01-03 00:00, DuckDB's origin)."""
    return (
        f"TIMESTAMPADD(MICROSECOND, -pmod(TIMESTAMPDIFF(MICROSECOND, {_BUCKET_ORIGIN}, {expr}), "
        f"{int(microseconds)}), {expr})"
    )


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
        """From the one row of :func:`trip_verification_sql`."""
        return cls(*(int(value) for value in row))


def _each_point(body: str, *, dialect: Dialect, any_true: bool = False) -> str:
    """``body`` (over the point ``p``) for every point of ``TripInformation``: the list of
    results, or with ``any_true`` whether any result is true."""
    if dialect == "spark":
        return f"{'exists' if any_true else 'transform'}(TripInformation, p -> {body})"
    mapped = f"list_transform(TripInformation, lambda p: {body})"
    return f"list_bool_or({mapped})" if any_true else mapped


def protected_trips_sql(source: str, settings: Settings, *, dialect: Dialect) -> str:
    """The protected trips of ``source`` (a table, or a parenthesized subquery with an alias,
    of typed trips with ``Date``) in ``dialect``: times floored to the grain, trips of classes
    smaller than k left out."""
    grain = parse_grain(settings.freeway_trip_time_grain)

    def floor(expr: str) -> str:
        return grain.floor_sql(expr, dialect=dialect)

    point_time = floor("p.time")
    point = (
        f"named_struct('time', {point_time}, 'gantry', p.gantry)"
        if dialect == "spark"
        else f"{{'time': {point_time}, 'gantry': p.gantry}}"
    )
    select = [
        "VehicleType",
        f"{floor('DetectionTime_O')} AS DetectionTime_O",
        "GantryID_O",
        f"{floor('DetectionTime_D')} AS DetectionTime_D",
        "GantryID_D",
        "TripLength",
        "TripEnd",
        f"{_each_point(point, dialect=dialect)} AS TripInformation",
        "Date",
    ]
    return rare_rows_removed_sql(source, group=CLASS_SQL, k=settings.k_anonymity, select=select)


def trip_verification_sql(table: str, settings: Settings, *, dialect: Dialect) -> str:
    """SQL in ``dialect`` giving the one row of a :class:`TripVerification` of the protected
    trips in ``table``."""
    grain = parse_grain(settings.freeway_trip_time_grain)

    def floor(expr: str) -> str:
        return grain.floor_sql(expr, dialect=dialect)

    off_trip = _each_point(f"p.time <> {floor('p.time')}", dialect=dialect, any_true=True)
    off = (
        f"DetectionTime_O <> {floor('DetectionTime_O')} OR "
        f"DetectionTime_D <> {floor('DetectionTime_D')} OR {off_trip}"
    )
    return (
        "SELECT coalesce(sum(n), 0), count(*), coalesce(min(n), 0), coalesce(sum(off), 0) FROM ("
        f"SELECT count(*) AS n, sum(CASE WHEN {off} THEN 1 ELSE 0 END) AS off FROM {table} "
        f"GROUP BY {', '.join(CLASS_SQL)}) AS classes"
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
    protected = protected_trips_sql(table, settings, dialect="duckdb")
    con.execute(f"CREATE OR REPLACE TABLE protected_trips AS {protected}")
    rows_in = int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
    verification = trip_verification_sql("protected_trips", settings, dialect="duckdb")
    found = con.execute(verification).fetchall()[0]
    report = protection_report(settings, rows_in, TripVerification.from_row(found))
    return "protected_trips", report
