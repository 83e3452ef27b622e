"""Trips (M06A) and what is counted from them: trip lengths (M07A) and O-D counts (M08A).

Each trip enters at a gantry drawn by its base flow, at a minute drawn from the day's
profile, and drives a geometric number of gantries down its line at a speed near its
vehicle type's free-flow speed. M07A and M08A are counted from the same trips, so they agree
with M06A exactly.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa

from kaifang.sources.freeway.network import Gantry
from kaifang.sources.freeway.profile import VEHICLE_MIX, relative_flow
from kaifang.sources.randomsql import uniform_sql

_ALIAS_SLOTS = 20000
MEAN_EXTRA_GANTRIES = 4.0


def _alias(weights: list[float], slots: int = _ALIAS_SLOTS) -> list[int]:
    """Indexes repeated in proportion to ``weights`` (a lookup table for weighted draws)."""
    total = sum(weights)
    out: list[int] = []
    cumulative = 0.0
    for index, weight in enumerate(weights):
        cumulative += weight
        out.extend([index] * (round(cumulative / total * slots) - len(out)))
    return out


def register_alias_tables(
    con: duckdb.DuckDBPyConnection, gantries: list[Gantry], day: date
) -> None:
    """Weighted-draw tables for origins, departure minutes and vehicle types."""
    origins = _alias([g.base_flow for g in gantries])
    con.register(
        "origin_slots",
        pa.table(
            {
                "slot": list(range(len(origins))),
                "gantry_id": [gantries[i].gantry_id for i in origins],
            }
        ),
    )
    minutes = _alias([relative_flow(day, (m + 0.5) / 60) for m in range(1440)])
    con.register("minute_slots", pa.table({"slot": list(range(len(minutes))), "minute": minutes}))
    types = _alias([v[1] for v in VEHICLE_MIX], 1000)
    con.register(
        "type_slots",
        pa.table(
            {"slot": list(range(len(types))), "vehicle_type": [VEHICLE_MIX[i][0] for i in types]}
        ),
    )


def build_trips(
    con: duckdb.DuckDBPyConnection, seed: int, day_no: int, day: date, count: int
) -> None:
    """Create ``trips`` (one row per trip, with origin and destination) for ``day``."""
    keys = (str(seed), str(day_no), "'trip'", "r.i")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE trips AS
        WITH draws AS (
          SELECT r.i AS trip_id,
                 floor({uniform_sql(*keys, "'o'")} * (SELECT count(*) FROM origin_slots))::INT
                   AS o_slot,
                 floor({uniform_sql(*keys, "'t'")} * (SELECT count(*) FROM minute_slots))::INT
                   AS t_slot,
                 floor({uniform_sql(*keys, "'v'")} * (SELECT count(*) FROM type_slots))::INT
                   AS v_slot,
                 floor(-ln(1 - {uniform_sql(*keys, "'hops'")}) * {MEAN_EXTRA_GANTRIES})::INT
                   AS hops,
                 {uniform_sql(*keys, "'speed'")} AS u_speed,
                 {uniform_sql(*keys, "'sec'")} AS u_sec,
                 {uniform_sql(*keys, "'access'")} AS u_access,
                 {uniform_sql(*keys, "'end'")} AS u_end
          FROM range({count}) r(i)
        ),
        line_ends AS (SELECT line, max(position) AS last_position FROM gantries GROUP BY line)
        SELECT d.trip_id, t.vehicle_type, go.line, go.position AS pos_o,
               least(go.position + d.hops, e.last_position) AS pos_d,
               go.gantry_id AS gantry_o, go.travel_km AS km_o,
               TIMESTAMP '{day.isoformat()}' + to_seconds(m.minute * 60 + floor(d.u_sec * 60))
                 AS start_ts,
               v.free_speed * (0.8 + 0.3 * d.u_speed) AS speed,
               0.3 + 2.5 * d.u_access AS access_km,
               CASE WHEN d.u_end < 0.012 THEN 'N' ELSE 'Y' END AS trip_end
        FROM draws d
        JOIN origin_slots o ON o.slot = d.o_slot
        JOIN gantries go ON go.gantry_id = o.gantry_id
        JOIN line_ends e ON e.line = go.line
        JOIN minute_slots m ON m.slot = d.t_slot
        JOIN type_slots t ON t.slot = d.v_slot
        JOIN vehicles v ON v.vehicle_type = t.vehicle_type
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE trips AS
        SELECT t.*, gd.gantry_id AS gantry_d,
               round(gd.travel_km - t.km_o + t.access_km, 1) AS trip_length,
               t.start_ts + to_seconds(round((gd.travel_km - t.km_o) / t.speed * 3600)::BIGINT)
                 AS end_ts
        FROM trips t JOIN gantries gd ON gd.line = t.line AND gd.position = t.pos_d
        """
    )


def trip_lines_sql(hour: int) -> str:
    """M06A file text for the trips whose first gantry was passed during ``hour``."""
    return f"""
    WITH hour_trips AS (
      SELECT * FROM trips WHERE hour(start_ts) = {hour}
    ),
    path AS (
      SELECT t.trip_id, g.position,
             strftime(t.start_ts + to_seconds(round((g.travel_km - t.km_o) / t.speed * 3600)
                                              ::BIGINT), '%Y-%m-%d %H:%M:%S')
               || '+' || g.gantry_id AS stop
      FROM (SELECT trip_id, line, km_o, speed, start_ts,
                   unnest(range(pos_o, pos_d + 1)) AS position FROM hour_trips) t
      JOIN gantries g ON g.line = t.line AND g.position = t.position
    ),
    info AS (
      SELECT trip_id, string_agg(stop, '; ' ORDER BY position) AS trip_information
      FROM path GROUP BY trip_id
    )
    SELECT string_agg(concat_ws(',', t.vehicle_type,
                                strftime(t.start_ts, '%Y-%m-%d %H:%M:%S'), t.gantry_o,
                                strftime(t.end_ts, '%Y-%m-%d %H:%M:%S'), t.gantry_d,
                                printf('%.1f', t.trip_length), t.trip_end, i.trip_information),
                      chr(10) ORDER BY t.start_ts, t.trip_id) || chr(10)
    FROM hour_trips t JOIN info i USING (trip_id)
    """


def trip_length_lines_sql(day: date) -> str:
    """M07A: per hour, every origin gantry × vehicle type with its trips' mean length."""
    return f"""
    WITH counted AS (
      SELECT hour(start_ts) AS h, gantry_o, vehicle_type,
             count(*) AS volume, avg(trip_length) AS mean_length
      FROM trips GROUP BY ALL
    )
    SELECT h.h, string_agg(concat_ws(',',
             strftime(TIMESTAMP '{day.isoformat()}' + to_hours(h.h), '%Y/%m/%d %H:%M'),
             g.gantry_id, v.vehicle_type,
             CASE WHEN c.volume IS NULL THEN '0' ELSE printf('%.1f', c.mean_length) END,
             coalesce(c.volume, 0)), chr(10) ORDER BY g.gantry_id, v.vehicle_type) || chr(10)
    FROM range(24) h(h) CROSS JOIN gantries g CROSS JOIN vehicles v
    LEFT JOIN counted c ON c.h = h.h AND c.gantry_o = g.gantry_id
                       AND c.vehicle_type = v.vehicle_type
    GROUP BY h.h ORDER BY h.h
    """


OD_LINES = """
    WITH counted AS (
      SELECT (hour(start_ts) * 12 + minute(start_ts) // 5)::INT AS k, gantry_o, gantry_d,
             vehicle_type, count(*) AS volume
      FROM trips GROUP BY ALL
    ),
    pairs AS (SELECT DISTINCT k, gantry_o, gantry_d FROM counted)
    SELECT p.k, string_agg(concat_ws(',', s.slash_ts, p.gantry_o, p.gantry_d, v.vehicle_type,
                                     coalesce(c.volume, 0)), chr(10)
                           ORDER BY p.gantry_o, p.gantry_d, v.vehicle_type) || chr(10)
    FROM pairs p CROSS JOIN vehicles v JOIN slots s ON s.k = p.k
    LEFT JOIN counted c ON c.k = p.k AND c.gantry_o = p.gantry_o AND c.gantry_d = p.gantry_d
                       AND c.vehicle_type = v.vehicle_type
    GROUP BY p.k ORDER BY p.k
"""
