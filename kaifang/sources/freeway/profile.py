"""When traffic flows: the day's five-minute profile and the vehicle-type mix.

Weekdays have morning and evening rush hours; Friday evenings are heavier; Saturdays peak at
midday; Sundays peak in the late afternoon as people return. Heavy vehicles run relatively
more at night and less at weekends.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pyarrow as pa

SLOTS_PER_DAY = 288

# vehicle type, share of traffic, heavy vehicle, free-flow speed (km/h)
VEHICLE_MIX: tuple[tuple[str, float, bool, float], ...] = (
    ("31", 0.80, False, 96.0),
    ("32", 0.115, False, 93.0),
    ("41", 0.015, True, 90.0),
    ("42", 0.05, True, 84.0),
    ("5", 0.02, True, 80.0),
)


def _bump(hour: float, centre: float, width: float) -> float:
    return math.exp(-((hour - centre) ** 2) / width)


def relative_flow(day: date, hour: float) -> float:
    """Traffic at ``hour`` (fractional) relative to a typical daytime hour."""
    night = 0.08 + 0.9 / (1 + math.exp(-(hour - 6.2) * 1.6)) / (1 + math.exp((hour - 22.5) * 1.1))
    weekday = day.weekday()
    if weekday < 5:
        flow = night + 0.55 * _bump(hour, 8.0, 1.2) + 0.6 * _bump(hour, 17.8, 2.0)
        if weekday == 4:
            flow += 0.3 * _bump(hour, 19.0, 3.0)
    elif weekday == 5:
        flow = night * 1.05 + 0.45 * _bump(hour, 11.0, 6.0) + 0.25 * _bump(hour, 16.0, 4.0)
    else:
        flow = night * 0.95 + 0.25 * _bump(hour, 10.5, 4.0) + 0.6 * _bump(hour, 17.5, 5.0)
    return flow


def slots_table(day: date) -> pa.Table:
    """One row per five-minute slot of ``day``: index ``k``, the two timestamp spellings seen
    in real files, the relative flow and the rush-hour and heavy-vehicle weights."""
    start = datetime(day.year, day.month, day.day)
    weekend = day.weekday() >= 5
    rows: dict[str, list[object]] = {
        k: [] for k in ("k", "dash_ts", "slash_ts", "prof", "am_w", "pm_w", "heavy_mult")
    }
    for k in range(SLOTS_PER_DAY):
        moment = start + timedelta(minutes=5 * k)
        hour = k / 12 + 2.5 / 60
        rows["k"].append(k)
        rows["dash_ts"].append(moment.strftime("%Y-%m-%d %H:%M"))
        rows["slash_ts"].append(moment.strftime("%Y/%m/%d %H:%M"))
        rows["prof"].append(relative_flow(day, hour))
        rows["am_w"].append(0.0 if weekend else _bump(hour, 8.0, 2.0))
        rows["pm_w"].append(0.0 if weekend else _bump(hour, 18.0, 2.5))
        heavy = 1.0 + 1.2 * _bump(hour, 3.0, 6.0)
        rows["heavy_mult"].append(heavy * (0.55 if weekend else 1.0))
    return pa.table(rows)


def vehicle_table() -> pa.Table:
    """The vehicle mix as a table (type, share, heavy, free_speed)."""
    return pa.table(
        {
            "vehicle_type": [v[0] for v in VEHICLE_MIX],
            "share": [v[1] for v in VEHICLE_MIX],
            "heavy": [v[2] for v in VEHICLE_MIX],
            "free_speed": [v[3] for v in VEHICLE_MIX],
        }
    )
