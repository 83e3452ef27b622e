"""Protecting M06A trips, which are quasi-identifying (a car's exact path and times).

A published trip row is checked on **every column it is published with**, at the grain it is
published at: vehicle type, both gantries, both times, trip length, trip end, the whole path
(``TripInformation``: each gantry with its time), the grains and the date. The rules, in SQL
over the typed table:

1. **Coarsen step by step** (:mod:`kaifang.sources.freeway.grains`): every trip is first
   placed at ``freeway_trip_time_grain`` (times floored, lengths rounded); a trip whose
   class there has fewer than ``k_anonymity`` trips is tried at the next of
   ``freeway_trip_coarser_grains`` (15 minutes, then the hour with lengths to 5 km, then a
   6-hour day part), counted among the trips not placed yet
   (:func:`kaifang.privacy.suppress.coarsened_steps_sql`).
2. **Suppress** the trips still in a class below k at the coarsest step.

Each published row says its grains (``TimeGrain`` in minutes, ``LengthGrain`` in km), so a
reader knows what ``08:00`` means and two grains never share a class. The published rows are
then verified on the same columns (every class at least k, every time and length on its
row's grain) and a failed check refuses the publish; the loss of utility (trips, vehicle-km,
gantry passages kept: :mod:`kaifang.sources.freeway.utility`) refuses it past
``freeway_trip_max_loss`` unless the publisher accepts it. The rules are written once for
either engine (``dialect``): :func:`protect_trips` runs them on DuckDB and
:mod:`kaifang.sources.freeway.spark_trips` on Spark; both build the report with
:func:`protection_report`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from kaifang.errors import PublishRefusedError
from kaifang.privacy.suppress import STEP, coarsened_steps_sql, step_classes_sql
from kaifang.settings import Settings
from kaifang.sources.freeway.grains import (
    Dialect,
    TripGrain,
    TripStep,
    floor_by_sql,
    floor_spark_sql,
    parse_grain,
    round_length_sql,
    trip_steps,
)
from kaifang.sources.freeway.utility import TripUtility, utility_report, utility_sql

__all__ = [
    "PUBLISHED_COLUMNS",
    "TripGrain",
    "TripVerification",
    "floor_spark_sql",
    "grain_interval",
    "parse_grain",
    "protect_trips",
    "protected_trips_sql",
    "protection_report",
    "stepped_trips_sql",
    "trip_verification_sql",
]

TRIP_COLUMNS = (
    "VehicleType",
    "DetectionTime_O",
    "GantryID_O",
    "DetectionTime_D",
    "GantryID_D",
    "TripLength",
    "TripEnd",
    "TripInformation",
)
PUBLISHED_COLUMNS = (*TRIP_COLUMNS, "TimeGrain", "LengthGrain", "Date")
"""The columns of a published trip, in order; every one is a quasi-identifier of the trip."""


def grain_interval(grain: str) -> str:
    """``'5 minutes'`` / ``'hour'`` as a DuckDB INTERVAL literal; ValidationError otherwise."""
    return parse_grain(grain).duckdb_interval


def _each_point(body: str, *, dialect: Dialect, any_true: bool = False) -> str:
    """``body`` (over the point ``p``) for every point of ``TripInformation``: the list of
    results, or with ``any_true`` whether any result is true."""
    if dialect == "spark":
        return f"{'exists' if any_true else 'transform'}(TripInformation, p -> {body})"
    mapped = f"list_transform(TripInformation, lambda p: {body})"
    return f"list_bool_or({mapped})" if any_true else mapped


def _point(time: str, *, dialect: Dialect) -> str:
    if dialect == "spark":
        return f"named_struct('time', {time}, 'gantry', p.gantry)"
    return f"{{'time': {time}, 'gantry': p.gantry}}"


def _step_class(step: TripStep, *, dialect: Dialect) -> list[str]:
    """A trip's class at ``step``: every published column at the step's grains."""

    def floor(expr: str) -> str:
        return step.time.floor_sql(expr, dialect=dialect)

    path = _each_point(_point(floor("p.time"), dialect=dialect), dialect=dialect)
    return [
        "VehicleType",
        floor("DetectionTime_O"),
        "GantryID_O",
        floor("DetectionTime_D"),
        "GantryID_D",
        round_length_sql("TripLength", repr(step.length_km)),
        "TripEnd",
        path,
        "Date",
    ]


def _classes(settings: Settings, *, dialect: Dialect) -> list[list[str]]:
    """Each step's class as one 64-bit hash of its values (a fixed-width key counts several
    times faster than the values, the path among them). Two classes share a hash with a
    chance near n²/2⁶⁵; a merged pair of classes below k would then be published together,
    and the verification, which groups by the values themselves, refuses the publish."""
    hashed = "xxhash64" if dialect == "spark" else "hash"
    steps = trip_steps(settings)
    return [[f"{hashed}({', '.join(_step_class(step, dialect=dialect))})"] for step in steps]


def trip_classes_sql(source: str, settings: Settings, *, dialect: Dialect) -> str:
    """The trips of ``source`` (a table, or a parenthesized subquery with an alias, of typed
    trips with ``Date``) with a row number ``_row`` and each step's class: materialize it
    (DuckDB) or persist it (Spark), since the steps are counted over its narrow columns and
    joined back by ``_row``."""
    row = "monotonically_increasing_id()" if dialect == "spark" else "row_number() OVER ()"
    numbered = f"(SELECT *, {row} AS _row FROM {source}) AS numbered"
    return step_classes_sql(numbered, steps=_classes(settings, dialect=dialect))


def trip_steps_sql(classed: str, settings: Settings, *, dialect: Dialect) -> str:
    """``(_row, _step)`` of every trip of ``classed`` (rows of :func:`trip_classes_sql`):
    the 1-based step it is published at, 0 when it is suppressed. The windows count over
    the row number and the class hashes only (carrying the paths through four windows
    made this five times slower)."""
    classes = _classes(settings, dialect=dialect)
    names = [f"_class{n}_{p}" for n, group in enumerate(classes, 1) for p in range(len(group))]
    narrow = ", ".join(["_row", *names])
    return coarsened_steps_sql(
        f"(SELECT {narrow} FROM {classed}) AS narrow",
        steps=classes,
        k=settings.k_anonymity,
        select=["_row"],
    )


def stepped_trips_sql(classed: str, steps: str) -> str:
    """The trips of ``classed`` with their ``_step`` from ``steps`` (either engine)."""
    columns = ", ".join(f"c.{name}" for name in (*TRIP_COLUMNS, "Date"))
    return f"SELECT {columns}, s.{STEP} FROM {classed} c JOIN {steps} s ON c._row = s._row"


def _by_step(steps: Sequence[TripStep], value: Any) -> str:
    cases = " ".join(f"WHEN {n} THEN {value(step)}" for n, step in enumerate(steps, 1))
    return f"CASE {STEP} {cases} END"


def published_trips_sql(stepped: str, settings: Settings, *, dialect: Dialect) -> str:
    """The published rows of ``stepped`` (rows of :func:`stepped_trips_sql`): each kept
    trip at its step's grains, with ``TimeGrain`` (minutes) and ``LengthGrain`` (km)."""
    steps = trip_steps(settings)
    minutes = _by_step(steps, lambda s: s.time.minutes)
    km = _by_step(steps, lambda s: f"CAST({s.length_km!r} AS DOUBLE)")

    def floor(expr: str) -> str:
        return floor_by_sql(expr, "_us", dialect=dialect)

    path = _each_point(_point(floor("p.time"), dialect=dialect), dialect=dialect)
    select = [
        "VehicleType",
        f"{floor('DetectionTime_O')} AS DetectionTime_O",
        "GantryID_O",
        f"{floor('DetectionTime_D')} AS DetectionTime_D",
        "GantryID_D",
        f"{round_length_sql('TripLength', 'LengthGrain')} AS TripLength",
        "TripEnd",
        f"{path} AS TripInformation",
        "TimeGrain",
        "LengthGrain",
        "Date",
    ]
    return (
        f"SELECT {', '.join(select)} FROM (SELECT *, {minutes} AS TimeGrain, {km} AS "
        f"LengthGrain, CAST({minutes} AS BIGINT) * 60000000 AS _us FROM {stepped} "
        f"WHERE {STEP} > 0) AS placed"
    )


def protected_trips_sql(source: str, settings: Settings, *, dialect: Dialect) -> str:
    """The protected (published) trips of ``source`` in one query (see
    :func:`stepped_trips_sql` and :func:`published_trips_sql`)."""
    classed = f"({trip_classes_sql(source, settings, dialect=dialect)})"
    steps = f"({trip_steps_sql(f'{classed} AS classed', settings, dialect=dialect)})"
    stepped = f"({stepped_trips_sql(classed, steps)}) AS stepped_trips"
    return published_trips_sql(stepped, settings, dialect=dialect)


@dataclass(frozen=True)
class TripVerification:
    """What the published trips hold, classed by every published column: rows, classes,
    the smallest class, and the trips with a time or a length off their row's grain."""

    rows: int
    classes: int
    smallest_class: int
    times_off_grain: int
    lengths_off_grain: int = 0

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> TripVerification:
        """From the one row of :func:`trip_verification_sql`."""
        return cls(*(int(value) for value in row))


def trip_verification_sql(table: str, settings: Settings, *, dialect: Dialect) -> str:
    """SQL in ``dialect`` giving the one row of a :class:`TripVerification` of the published
    trips in ``table``: classes are grouped by every published column, as published."""
    del settings  # the grains are read from each row (TimeGrain, LengthGrain)
    us = "(CAST(TimeGrain AS BIGINT) * 60000000)"

    def off(expr: str) -> str:
        return f"{expr} <> {floor_by_sql(expr, us, dialect=dialect)}"

    off_time = " OR ".join(
        [
            off("DetectionTime_O"),
            off("DetectionTime_D"),
            _each_point(off("p.time"), dialect=dialect, any_true=True),
        ]
    )
    off_length = f"TripLength <> {round_length_sql('TripLength', 'LengthGrain')}"
    return (
        "SELECT coalesce(sum(n), 0), count(*), coalesce(min(n), 0), coalesce(sum(t), 0), "
        "coalesce(sum(l), 0) FROM (SELECT count(*) AS n, "
        f"sum(CASE WHEN {off_time} THEN 1 ELSE 0 END) AS t, "
        f"sum(CASE WHEN {off_length} THEN 1 ELSE 0 END) AS l FROM {table} "
        f"GROUP BY {', '.join(PUBLISHED_COLUMNS)}) AS classes"
    )


def _rules(settings: Settings, utility: TripUtility) -> list[dict[str, Any]]:
    steps, k = trip_steps(settings), settings.k_anonymity
    first, coarser = steps[0], steps[1:]
    placed = dict(zip((s.label for s in steps), utility.by_step, strict=True))
    coarsened = sum(utility.by_step[1:])
    later = ", ".join(s.label for s in coarser) or "none"
    return [
        {
            "code": "times_coarsened",
            "columns": ["DetectionTime_O", "DetectionTime_D", "TripInformation.time", "TripLength"],
            "grain": first.time.label,
            "steps": [s.label for s in steps],
            "message": f"times floored to {first.time.label}, lengths rounded to "
            f"{first.length_km:g} km",
        },
        {
            "code": "rare_trips_coarsened",
            "k": k,
            "coarsened_rows": coarsened,
            "by_step": placed,
            "message": (
                f"{coarsened} of {utility.trips_in} trips published at a coarser grain "
                f"({later}): at {first.label} their class, every published column alike, "
                f"held fewer than {k} trips"
            ),
        },
        {
            "code": "rare_trips_suppressed",
            "quasi_identifiers": list(PUBLISHED_COLUMNS),
            "k": k,
            "suppressed_rows": utility.trips_in - utility.trips_kept,
            "message": (
                f"{utility.trips_in - utility.trips_kept} of {utility.trips_in} trips "
                f"suppressed: even at {steps[-1].label} their class, every published column "
                f"alike, held fewer than {k} trips"
            ),
        },
    ]


def protection_report(
    settings: Settings,
    utility: TripUtility,
    verification: TripVerification,
    *,
    accept_utility_loss: bool = False,
) -> dict[str, Any]:
    """The screening report of protected trips (either engine): ``utility`` says what the
    protection kept of the trips read, ``verification`` what the published rows hold.
    Refuses the publish when a class is smaller than k or a value is off its grain, and when
    the loss passes ``freeway_trip_max_loss`` unless ``accept_utility_loss``."""
    k = settings.k_anonymity
    rows_in, rows_out = utility.trips_in, verification.rows
    smallest = verification.smallest_class
    off = verification.times_off_grain + verification.lengths_off_grain
    if (rows_out and smallest < k) or off or rows_out != utility.trips_kept:
        raise PublishRefusedError(
            f"M06A: protected trips failed verification: smallest class {smallest} trips "
            f"(k = {k}), {off} trips with a time or length off their grain, {rows_out} rows "
            f"for {utility.trips_kept} trips kept",
            hint="This is a bug in the trip protection; report it with the import command.",
        )
    utility_part = utility_report(settings, utility, accepted=accept_utility_loss)
    return {
        "status": "protected",
        "publishable": True,
        "message": utility_part["message"],
        "quasi_identifiers": list(PUBLISHED_COLUMNS),
        "rules": _rules(settings, utility),
        "verification": {  # the keys of kaifang.privacy's verification, plus the trip checks
            "passed": True,  # a failed verification raised above
            "rows": rows_out,
            "original_rows": rows_in,
            "quasi_identifiers": list(PUBLISHED_COLUMNS),
            "classes": verification.classes,
            "smallest_class": smallest,
            "times_off_grain": verification.times_off_grain,
            "lengths_off_grain": verification.lengths_off_grain,
        },
        "utility": utility_part,
        "rows_in": rows_in,
        "rows_out": rows_out,
        "coarsened_rows": sum(utility.by_step[1:]),
        "suppressed_rows": rows_in - rows_out,
    }


def protect_trips(
    con: duckdb.DuckDBPyConnection,
    table: str,
    settings: Settings,
    *,
    accept_utility_loss: bool = False,
) -> tuple[str, dict[str, Any]]:
    """Write the protected trips of ``table`` to ``protected_trips``; return it and the report."""
    classed = trip_classes_sql(table, settings, dialect="duckdb")
    con.execute(f"CREATE OR REPLACE TEMP TABLE classed_trips AS {classed}")
    steps = trip_steps_sql("classed_trips", settings, dialect="duckdb")
    con.execute(f"CREATE OR REPLACE TEMP TABLE trip_steps AS {steps}")
    stepped = stepped_trips_sql("classed_trips", "trip_steps")
    con.execute(f"CREATE OR REPLACE TEMP VIEW stepped_trips AS {stepped}")
    utility = TripUtility.from_rows(
        *(con.execute(sql).fetchall() for sql in utility_sql("stepped_trips", settings))
    )
    published = published_trips_sql("stepped_trips", settings, dialect="duckdb")
    con.execute(f"CREATE OR REPLACE TABLE protected_trips AS {published}")
    con.execute("DROP VIEW stepped_trips; DROP TABLE trip_steps; DROP TABLE classed_trips")
    found = con.execute(trip_verification_sql("protected_trips", settings, dialect="duckdb"))
    verification = TripVerification.from_row(found.fetchall()[0])
    report = protection_report(
        settings, utility, verification, accept_utility_loss=accept_utility_loss
    )
    return "protected_trips", report
