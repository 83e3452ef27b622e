"""Five-minute gantry counts (M03A) and pair travel times and speeds (M04A, M05A) in SQL.

Counts at a gantry follow its base flow, the day's profile, a direction bias toward the
nearest city in the morning and away from it in the evening, and the vehicle mix. A pair's
volume is the share of its upstream gantry's count that also passes the downstream gantry,
so M04A/M05A volumes never exceed M03A's. Speeds drop when a gantry's load nears its capacity
(recurrent rush-hour congestion) and during random incidents; travel time is distance over
speed; both are 0 when no vehicle passed.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from kaifang.sources.freeway.network import Gantry, GantryPair
from kaifang.sources.randomsql import count_sql, uniform_sql

_CITY_LATITUDES = (25.05, 24.15, 22.63)


def gantry_table(gantries: list[Gantry]) -> pa.Table:
    """The network with each gantry's morning and evening direction multipliers."""
    am, pm = [], []
    for g in gantries:
        nearest = min(_CITY_LATITUDES, key=lambda lat: abs(lat - g.latitude))
        inbound = (g.direction in "NW") == (g.latitude < nearest)
        am.append(1.3 if inbound else 0.8)
        pm.append(0.8 if inbound else 1.3)
    return pa.table(
        {
            "gantry_id": [g.gantry_id for g in gantries],
            "line": [g.line for g in gantries],
            "position": [g.position for g in gantries],
            "direction": [g.reported_direction for g in gantries],
            "travel_km": [g.travel_km for g in gantries],
            "base_flow": [g.base_flow for g in gantries],
            "am_mult": am,
            "pm_mult": pm,
        }
    )


def pair_table(pairs: list[GantryPair]) -> pa.Table:
    """Pairs with a capacity factor: how much above its base flow a section can carry."""
    return pa.table(
        {
            "pair_id": list(range(len(pairs))),
            "gantry_from": [p.gantry_from for p in pairs],
            "gantry_to": [p.gantry_to for p in pairs],
            "distance_km": [p.distance_km for p in pairs],
            "u_turn": [p.u_turn for p in pairs],
            "capacity": [1.1 + ((i * 2654435761) % 1000) / 1000 * 0.6 for i in range(len(pairs))],
        }
    )


def build_gantry_counts(con: duckdb.DuckDBPyConnection, seed: int, day_no: int) -> None:
    """Create ``m03a(k, gantry_id, direction, vehicle_type, volume, load)`` for one day from
    the registered ``gantries``, ``slots`` and ``vehicles`` tables."""
    load = "g.base_flow * s.prof * (1 + (g.am_mult - 1) * s.am_w + (g.pm_mult - 1) * s.pm_w)"
    mean = f"{load} * v.share * CASE WHEN v.heavy THEN s.heavy_mult ELSE 1 END"
    keys = (str(seed), str(day_no), "'m03a'", "g.gantry_id", "s.k", "v.vehicle_type")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE m03a AS
        SELECT s.k, g.gantry_id, g.direction, v.vehicle_type,
               {count_sql(mean, *keys)} AS volume,
               {load} / g.base_flow AS load
        FROM gantries g, slots s, vehicles v
        """
    )


def build_pair_flows(con: duckdb.DuckDBPyConnection, seed: int, day_no: int) -> None:
    """Create ``pair_flow(k, gantry_from, gantry_to, vehicle_type, volume, speed,
    travel_time)`` for one day from ``m03a`` and the registered ``pairs``."""
    keys = (str(seed), str(day_no), "p.pair_id", "m.k", "m.vehicle_type")
    episode = (str(seed), str(day_no), "'incident'", "p.pair_id")
    through = f"m.volume * CASE WHEN p.u_turn THEN 0.03 ELSE 0.86 + 0.1 * {uniform_sql(*keys)} END"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE pair_flow AS
        WITH flows AS (
          SELECT m.k, p.gantry_from, p.gantry_to, m.vehicle_type, p.u_turn, p.distance_km,
                 least(m.volume, {count_sql(through, *keys, "'through'")}) AS volume,
                 CASE WHEN m.load / p.capacity > 0.8
                      THEN greatest(0.22, 1 - (m.load / p.capacity - 0.8) * 2.4)
                      ELSE 1.0 END AS recurrent,
                 CASE WHEN {uniform_sql(*episode, "'p'")} < 0.05
                       AND m.k >= 72 + floor({uniform_sql(*episode, "'start'")} * 168)
                       AND m.k < 78 + floor({uniform_sql(*episode, "'start'")} * 168)
                                 + floor({uniform_sql(*episode, "'len'")} * 18)
                      THEN 0.2 + 0.3 * {uniform_sql(*episode, "'depth'")}
                      ELSE 1.0 END AS incident,
                 v.free_speed * (0.96 + 0.08 * {uniform_sql(*keys, "'speed'")}) AS free_speed
          FROM m03a m
          JOIN pairs p ON p.gantry_from = m.gantry_id
          JOIN vehicles v ON v.vehicle_type = m.vehicle_type
        )
        SELECT k, gantry_from, gantry_to, vehicle_type, volume,
               CASE WHEN volume = 0 OR u_turn THEN 0
                    ELSE greatest(5, round(free_speed * least(recurrent, incident)))
               END::INTEGER AS speed,
               CASE WHEN volume = 0 THEN 0
                    WHEN u_turn THEN 90 + (k * 37 + hash(gantry_from) % 600) % 600
                    ELSE round(distance_km / greatest(5, round(free_speed
                               * least(recurrent, incident))) * 3600)
               END::INTEGER AS travel_time
        FROM flows
        """
    )


M03A_LINES = """
    SELECT m.k, string_agg(concat_ws(',', s.dash_ts, m.gantry_id, m.direction,
                                     m.vehicle_type, m.volume), chr(10)
                           ORDER BY m.gantry_id, m.vehicle_type) || chr(10)
    FROM m03a m JOIN slots s USING (k) GROUP BY m.k ORDER BY m.k
"""


def pair_lines_sql(measure: str) -> str:
    """Per-slot file text of M04A (``travel_time``) or M05A (``speed``)."""
    return f"""
    SELECT f.k, string_agg(concat_ws(',', s.slash_ts, f.gantry_from, f.gantry_to,
                                     f.vehicle_type, f.{measure}, f.volume), chr(10)
                           ORDER BY f.gantry_from, f.gantry_to, f.vehicle_type) || chr(10)
    FROM pair_flow f JOIN slots s USING (k) GROUP BY f.k ORDER BY f.k
    """
