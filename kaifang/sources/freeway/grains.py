"""The grains M06A trips are published at: a time grain and a trip-length grain per step.

A *step* is written ``'5 minutes'``, ``'hour/5 km'`` or ``'6 hours/5 km'``: times floored to
the time grain, ``TripLength`` rounded to the length grain (1 km when not written). The
first step is ``freeway_trip_time_grain``; the coarser ones, tried in order for trips whose
class is still smaller than k, are ``freeway_trip_coarser_grains`` — by default the freeway
bureau's own published grains (5 minutes for M03A–M05A and M08A, the hour of M06A/M07A
files) and a 6-hour day part. Each step's time grain is a multiple of the one before and its
length grain no finer, so every step is a true coarsening.

Floors are written for DuckDB and Spark alike: buckets counted from 2000-01-03 00:00,
DuckDB's ``time_bucket`` origin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from kaifang.errors import ValidationError
from kaifang.settings import Settings

Dialect = Literal["duckdb", "spark"]
"""The engines the trip rules are written for."""
_GRAIN = re.compile(r"^\s*(\d+)\s*(minute|minutes|hour|hours)\s*$|^\s*(hour)\s*$")
_STEP = re.compile(r"^\s*(?P<time>[^/]+?)\s*(?:/\s*(?P<km>\d+(?:\.\d+)?)\s*km\s*)?$")
_MICROSECONDS = {"MINUTE": 60_000_000, "HOUR": 3_600_000_000}
BUCKET_ORIGIN = "TIMESTAMP_NTZ'2000-01-03 00:00:00'"
_ORIGIN_US = 946_857_600_000_000  # epoch_us of 2000-01-03 00:00
DEFAULT_LENGTH_KM = 1.0


@dataclass(frozen=True)
class TripGrain:
    """A parsed time grain: ``amount`` of ``unit`` (``MINUTE`` or ``HOUR``)."""

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

    @property
    def minutes(self) -> int:
        return self.microseconds // 60_000_000

    @property
    def label(self) -> str:
        if self.unit == "HOUR":
            return "hour" if self.amount == 1 else f"{self.amount} hours"
        return f"{self.amount} minute{'s' if self.amount > 1 else ''}"

    def floor_sql(self, expr: str, *, dialect: Dialect) -> str:
        """``expr`` floored to the grain in ``dialect`` (``duckdb`` or ``spark``)."""
        if dialect == "spark":
            return floor_spark_sql(expr, self.microseconds)
        return f"time_bucket({self.duckdb_interval}, {expr})"


@dataclass(frozen=True)
class TripStep:
    """One step of the trip protection: times at ``time``, lengths at ``length_km``."""

    time: TripGrain
    length_km: float = DEFAULT_LENGTH_KM

    @property
    def label(self) -> str:
        return f"{self.time.label} / {self.length_km:g} km"


def floor_spark_sql(expr: str, microseconds: int | str) -> str:
    """``expr`` floored to a grain of ``microseconds`` (a number or an SQL expression) in
    Spark SQL, as DuckDB's ``time_bucket`` does (buckets counted from 2000-01-03 00:00)."""
    return (
        f"TIMESTAMPADD(MICROSECOND, -pmod(TIMESTAMPDIFF(MICROSECOND, {BUCKET_ORIGIN}, {expr}), "
        f"{microseconds}), {expr})"
    )


def floor_by_sql(expr: str, microseconds: str, *, dialect: Dialect) -> str:
    """``expr`` floored to a grain given per row by the SQL expression ``microseconds``; the
    same buckets as :meth:`TripGrain.floor_sql`."""
    if dialect == "spark":
        return floor_spark_sql(expr, microseconds)
    return (
        f"make_timestamp(epoch_us({expr}) - "
        f"(((epoch_us({expr}) - {_ORIGIN_US}) % ({microseconds})) + ({microseconds})) "
        f"% ({microseconds}))"
    )


def round_length_sql(expr: str, km: str) -> str:
    """``expr`` (km) rounded to a multiple of ``km`` (a literal or an SQL expression); the
    same on DuckDB and Spark (half away from zero, 3 decimals to drop float noise)."""
    return f"round(round({expr} / {km}) * {km}, 3)"


def parse_grain(grain: str, *, key: str = "freeway_trip_time_grain") -> TripGrain:
    """``'5 minutes'`` / ``'2 hours'`` / ``'hour'`` as a :class:`TripGrain`; ValidationError
    naming the setting ``key`` otherwise."""
    env = "KAIFANG_" + key.upper()
    match = _GRAIN.match(grain.lower())
    if match is None:
        raise ValidationError(
            f"{key} {grain!r} is not a time grain",
            hint=f"Use e.g. '5 minutes', '15 minutes' or 'hour' ({env}).",
            key=key,
        )
    if match.group(3):
        return TripGrain(1, "HOUR")
    amount, unit = int(match.group(1)), match.group(2)
    if amount < 1 or (unit.startswith("minute") and 1440 % amount) or amount > 1440:
        raise ValidationError(
            f"{key} {grain!r} does not divide a day",
            hint="Use a number of minutes that divides 1440, e.g. 5, 15, 60.",
            key=key,
        )
    return TripGrain(amount, "HOUR" if unit.startswith("hour") else "MINUTE")


def parse_step(text: str, *, key: str) -> TripStep:
    """``'hour/5 km'`` (or ``'hour'``, 1 km) as a :class:`TripStep`."""
    match = _STEP.match(text)
    if match is None:
        raise ValidationError(
            f"{key}: {text!r} is not a grain",
            hint="Write a time grain with an optional length grain, e.g. 'hour/5 km'.",
            key=key,
        )
    km = float(match.group("km")) if match.group("km") else DEFAULT_LENGTH_KM
    if km <= 0:
        raise ValidationError(f"{key}: the length grain of {text!r} must be above 0", key=key)
    return TripStep(parse_grain(match.group("time"), key=key), km)


def trip_steps(settings: Settings) -> list[TripStep]:
    """The protection's steps, finest first: ``freeway_trip_time_grain`` then each of
    ``freeway_trip_coarser_grains`` coarser than it (those it already covers, at the head of
    the list, are skipped: ``hour`` skips ``15 minutes``); ValidationError when a step is
    not coarser than the one before it."""
    first = parse_step(settings.freeway_trip_time_grain, key="freeway_trip_time_grain")
    steps = [first]
    key = "freeway_trip_coarser_grains"
    for text in settings.freeway_trip_coarser_grains.split(","):
        if not text.strip():
            continue
        step, before = parse_step(text, key=key), steps[-1]
        finer = step.time.microseconds < first.time.microseconds or (
            step.time == first.time and step.length_km <= first.length_km
        )
        if finer and len(steps) == 1:
            continue  # a coarser grain that the first grain already covers (e.g. 15 minutes)
        finer_time = step.time.microseconds % before.time.microseconds != 0
        if finer_time or (step.time == before.time and step.length_km == before.length_km):
            raise ValidationError(
                f"{key}: {text.strip()!r} is not coarser than {before.label}",
                hint="List grains from fine to coarse, each time grain a multiple of the one "
                "before, e.g. '15 minutes, hour/5 km, 6 hours/5 km'.",
                key=key,
            )
        if step.length_km < before.length_km:
            raise ValidationError(
                f"{key}: {text.strip()!r} rounds lengths finer than {before.label}",
                hint="Keep each step's length grain at least the one before.",
                key=key,
            )
        steps.append(step)
    return steps
