"""Generate TDCS M03A–M08A days and the gantry table in the exact upstream layout.

Headerless UTF-8 CSV with LF line ends; M03A timestamps spelled ``2024-03-25 00:00``, the
other datasets ``2024/03/25 00:00``; M06A detection times with seconds. Every gantry (or
pair) appears once per vehicle type and slot, zero counts included. The work runs in DuckDB
SQL and writes one file per five-minute slot (M03A, M04A, M05A, M08A) or hour (M06A, M07A).
The output depends only on the plan: the same seed gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb

from kaifang.errors import ValidationError
from kaifang.sources.freeway import traffic, trips
from kaifang.sources.freeway.gantry_table import write_gantry_table
from kaifang.sources.freeway.layout import DaySink
from kaifang.sources.freeway.network import Gantry, build_network, build_pairs
from kaifang.sources.freeway.profile import slots_table, vehicle_table

ALL_DATASETS = ("M03A", "M04A", "M05A", "M06A", "M07A", "M08A")
TRIPS_PER_DAY = 3_000_000


@dataclass(frozen=True)
class FreewayPlan:
    """What to generate. ``scale`` < 1 keeps fewer gantries and trips (tests, demos)."""

    start: date = date(2024, 3, 25)
    days: int = 1
    datasets: tuple[str, ...] = ALL_DATASETS
    seed: int = 0
    scale: float = 1.0
    archive: bool = False
    trips_per_day: int | None = None

    def trip_count(self) -> int:
        if self.trips_per_day is not None:
            return self.trips_per_day
        return max(1, round(TRIPS_PER_DAY * self.scale))


@dataclass
class GeneratedFreeway:
    """What was written: the files (or archives), rows per dataset and the gantry table."""

    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    gantry_table: Path | None = None
    gantries: int = 0


def check_plan(plan: FreewayPlan) -> None:
    """Refuse a plan that cannot be generated, naming the bad value."""
    unknown = [d for d in plan.datasets if d not in ALL_DATASETS]
    if unknown:
        raise ValidationError(
            f"unknown TDCS dataset(s): {', '.join(unknown)}",
            hint=f"Choose from {', '.join(ALL_DATASETS)}.",
        )
    if plan.days < 1:
        raise ValidationError("--days must be at least 1", hint="Pass --days 1 or more.")
    if not 0 < plan.scale <= 1:
        raise ValidationError("--scale must be in (0, 1]", hint="Use e.g. --scale 0.05.")


def generate_freeway(out_dir: Path, plan: FreewayPlan) -> GeneratedFreeway:
    """Write ``plan.days`` days of the chosen datasets plus the gantry table under ``out_dir``."""
    check_plan(plan)
    gantries = build_network(plan.scale)
    result = GeneratedFreeway(gantries=len(gantries))
    result.gantry_table = write_gantry_table(out_dir, gantries, plan.start)
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("gantries", traffic.gantry_table(gantries))
        con.register("pairs", traffic.pair_table(build_pairs(gantries)))
        con.register("vehicles", vehicle_table())
        for day_no in range(plan.days):
            day = plan.start + timedelta(days=day_no)
            con.register("slots", slots_table(day))
            _generate_day(con, out_dir, plan, day_no, day, gantries, result)
            con.unregister("slots")
    finally:
        con.close()
    return result


def _generate_day(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    plan: FreewayPlan,
    day_no: int,
    day: date,
    gantries: list[Gantry],
    result: GeneratedFreeway,
) -> None:
    wanted = set(plan.datasets)

    def emit(code: str, texts: list[tuple[int, str]]) -> None:
        sink = DaySink(out_dir, code, day, archive=plan.archive)
        for minute, text in texts:
            sink.add(minute, text)
        sink.close()
        result.files.extend(sink.written)
        result.rows[code] = result.rows.get(code, 0) + sink.rows

    if wanted & {"M03A", "M04A", "M05A"}:
        traffic.build_gantry_counts(con, plan.seed, day_no)
        if "M03A" in wanted:
            emit("M03A", _per_slot(con, traffic.M03A_LINES))
        if wanted & {"M04A", "M05A"}:
            traffic.build_pair_flows(con, plan.seed, day_no)
            for code, measure in (("M04A", "travel_time"), ("M05A", "speed")):
                if code in wanted:
                    emit(code, _per_slot(con, traffic.pair_lines_sql(measure)))
    if wanted & {"M06A", "M07A", "M08A"}:
        trips.register_alias_tables(con, gantries, day)
        trips.build_trips(con, plan.seed, day_no, day, plan.trip_count())
        if "M06A" in wanted:
            hourly = []
            for hour in range(24):
                rows = con.execute(trips.trip_lines_sql(hour)).fetchall()
                hourly.append((hour * 60, str(rows[0][0] or "") if rows else ""))
            emit("M06A", hourly)
        if "M07A" in wanted:
            rows = con.execute(trips.trip_length_lines_sql(day)).fetchall()
            emit("M07A", [(int(h) * 60, str(text)) for h, text in rows])
        if "M08A" in wanted:
            emit("M08A", _per_slot(con, trips.OD_LINES))


def _per_slot(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[int, str]]:
    return [(int(k) * 5, str(text)) for k, text in con.execute(sql).fetchall()]
