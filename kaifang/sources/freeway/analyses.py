"""Freeway traffic analyses, answered by the safe query layer over the published TDCS tables.

Each analysis is one SQL query run by the server's heavy engine (its SQL worker processes,
:class:`~kaifang.sources.source.SourceData`). Its
resolver hands the engine only the Parquet files of the days the time window touches (the
versions are partitioned by ``Date``), so a one-day question reads one day whatever the
history holds; ``files_read`` in every answer says how many files were scanned.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from kaifang.catalog.aliases import named_resource
from kaifang.errors import NotFoundError, ValidationError
from kaifang.query import TableSource
from kaifang.sources.freeway.catalog_entries import GANTRY_RESOURCE
from kaifang.sources.source import SourceData

MAX_WINDOW_DAYS = 31
DEFAULT_CONGESTION_KMH = 60.0
VEHICLE_TYPES = ("31", "32", "41", "42", "5")
VOLUME_TABLE = "freeway_m03a"


def _window(start: datetime, end: datetime) -> list[str]:
    if end <= start:
        raise ValidationError(
            f"the window is empty: to ({end}) must be after from ({start})",
            hint="Pass from=2024-03-25T00:00&to=2024-03-26T00:00 (to is exclusive).",
            key="to",
        )
    last = (end - timedelta(microseconds=1)).date()
    days = (last - start.date()).days + 1
    if days > MAX_WINDOW_DAYS:
        raise ValidationError(
            f"the window spans {days} days; at most {MAX_WINDOW_DAYS} are answered at once",
            hint="Ask for a shorter window, or several.",
            key="to",
        )
    return [(start.date() + timedelta(days=n)).isoformat() for n in range(days)]


def _vehicle_type(value: str | None) -> str | None:
    if value is not None and value not in VEHICLE_TYPES:
        raise ValidationError(
            f"vehicle_type {value!r} is not a TDCS vehicle type",
            hint=f"Use one of {', '.join(VEHICLE_TYPES)}.",
            key="vehicle_type",
        )
    return value


class FreewayAnalyses:
    """The analyses the API serves under ``/api/analyses/freeway/``."""

    def __init__(self, data: SourceData) -> None:
        self.engine = data.engine
        self.catalog = data.catalog
        self.store = data.store

    # -- plumbing ---------------------------------------------------------------------------
    def day_files(self, table: str, days: Sequence[str]) -> list[str]:
        """The current version's Parquet files of ``table`` holding the given ``days``."""
        with self.catalog.read() as session:
            resource = named_resource(session, table)
            version, storage = (
                (resource.current_version, resource.storage) if resource else (None, table)
            )
        if version is None:
            raise NotFoundError(
                f"{table} is not published",
                hint="Import the freeway files first: kaifang import freeway PATH.",
            )
        wanted = set(days)
        entries = self.store.file_entries(storage, version)
        return [
            self.store.location.uri(storage, e.path)
            for e in entries
            if (e.partition or {}).get("Date") in wanted
        ]

    def _run(
        self, sql: str, params: list[Any], tables: Sequence[str], days: Sequence[str]
    ) -> dict[str, Any]:
        files = {table: self.day_files(table, days) for table in tables}
        read = sum(len(f) for f in files.values())
        if any(not f for f in files.values()):
            return {"columns": [], "rows": [], "files_read": 0, "truncated": False}

        def resolve(name: str) -> TableSource | None:
            return files.get(name)

        result = self.engine.run_sql(sql, resolver=resolve, params=params)
        return {
            "columns": result.columns,
            "rows": [dict(zip(result.columns, row, strict=True)) for row in result.rows],
            "files_read": read,
            "truncated": result.truncated,
            "elapsed_ms": round(result.elapsed_ms, 2),
        }

    # -- analyses ---------------------------------------------------------------------------
    def volume(
        self,
        *,
        start: datetime,
        end: datetime,
        gantry: str | None = None,
        vehicle_type: str | None = None,
    ) -> dict[str, Any]:
        """Vehicles per gantry, hour and vehicle type (M03A)."""
        days = _window(start, end)
        where: list[str] = ["TimeInterval >= ?", "TimeInterval < ?"]
        params: list[Any] = [start, end]
        if gantry:
            where.append("GantryID = ?")
            params.append(gantry.strip().upper())
        if _vehicle_type(vehicle_type):
            where.append("VehicleType = ?")
            params.append(vehicle_type)
        sql = (
            "SELECT GantryID, date_trunc('hour', TimeInterval) AS hour, VehicleType, "
            "CAST(sum(Volume) AS BIGINT) AS volume FROM freeway_m03a "
            f"WHERE {' AND '.join(where)} GROUP BY ALL ORDER BY GantryID, hour, VehicleType"
        )
        return self._run(sql, params, ["freeway_m03a"], days)

    def travel(
        self,
        *,
        gantry_from: str,
        gantry_to: str,
        start: datetime,
        end: datetime,
        congestion_kmh: float = DEFAULT_CONGESTION_KMH,
        vehicle_type: str | None = None,
    ) -> dict[str, Any]:
        """Travel time (M04A) and speed (M05A) between two gantries per five minutes, weighted
        by volume over vehicle types; ``congested`` when the speed is under the threshold."""
        days = _window(start, end)
        where = ["s.TimeInterval >= ?", "s.TimeInterval < ?", "s.GantryFrom = ?", "s.GantryTo = ?"]
        params: list[Any] = [start, end, gantry_from.strip().upper(), gantry_to.strip().upper()]
        if _vehicle_type(vehicle_type):
            where.append("s.VehicleType = ?")
            params.append(vehicle_type)
        sql = (
            "WITH joined AS (SELECT s.TimeInterval, s.Volume, s.SpaceMeanSpeed, t.TravelTime "
            "FROM freeway_m05a s JOIN freeway_m04a t ON t.TimeInterval = s.TimeInterval "
            "AND t.GantryFrom = s.GantryFrom AND t.GantryTo = s.GantryTo "
            f"AND t.VehicleType = s.VehicleType WHERE {' AND '.join(where)}), "
            "per_slot AS (SELECT TimeInterval AS time, CAST(sum(Volume) AS BIGINT) AS volume, "
            "round(sum(SpaceMeanSpeed * Volume) / nullif(sum(Volume), 0), 2) AS speed_kmh, "
            "round(sum(TravelTime * Volume) / nullif(sum(Volume), 0), 2) AS travel_time_s "
            "FROM joined GROUP BY TimeInterval) "
            "SELECT time, volume, speed_kmh, travel_time_s, "
            "coalesce(speed_kmh < ?, false) AS congested FROM per_slot ORDER BY time"
        )
        params.append(float(congestion_kmh))
        answer = self._run(sql, params, ["freeway_m05a", "freeway_m04a"], days)
        answer["congested_intervals"] = sum(1 for r in answer["rows"] if r["congested"])
        return answer

    def busiest_sections(
        self, *, day: date, limit: int = 10, vehicle_type: str | None = None
    ) -> dict[str, Any]:
        """The day's sections (gantry pairs, M05A) by vehicles, with their mean speed."""
        start = datetime(day.year, day.month, day.day)
        days = _window(start, start + timedelta(days=1))
        where: list[str] = ["Date = ?"]
        params: list[Any] = [day]
        if _vehicle_type(vehicle_type):
            where.append("VehicleType = ?")
            params.append(vehicle_type)
        sql = (
            "SELECT GantryFrom, GantryTo, CAST(sum(Volume) AS BIGINT) AS volume, "
            "round(sum(SpaceMeanSpeed * Volume) / nullif(sum(Volume), 0), 2) AS speed_kmh "
            f"FROM freeway_m05a WHERE {' AND '.join(where)} GROUP BY ALL "
            f"ORDER BY volume DESC, GantryFrom, GantryTo LIMIT {max(1, min(int(limit), 1000))}"
        )
        return self._run(sql, params, ["freeway_m05a"], days)

    def od_matrix(
        self, *, start: datetime, end: datetime, vehicle_type: str | None = None
    ) -> dict[str, Any]:
        """Trips from each origin gantry to each destination gantry (M08A), non-zero cells."""
        days = _window(start, end)
        where: list[str] = ["TimeInterval >= ?", "TimeInterval < ?"]
        params: list[Any] = [start, end]
        if _vehicle_type(vehicle_type):
            where.append("VehicleType = ?")
            params.append(vehicle_type)
        sql = (
            "SELECT GantryFrom AS origin, GantryTo AS destination, "
            "CAST(sum(Volume) AS BIGINT) AS trips FROM freeway_m08a "
            f"WHERE {' AND '.join(where)} GROUP BY ALL HAVING sum(Volume) > 0 "
            "ORDER BY origin, destination"
        )
        return self._run(sql, params, ["freeway_m08a"], days)

    def trip_length(
        self, *, start: datetime, end: datetime, gantry: str | None = None
    ) -> dict[str, Any]:
        """Average trip length (km) per vehicle type and overall, weighted by trips (M07A)."""
        days = _window(start, end)
        where: list[str] = ["TimeInterval >= ?", "TimeInterval < ?"]
        params: list[Any] = [start, end]
        if gantry:
            where.append("GantryFrom = ?")
            params.append(gantry.strip().upper())
        sql = (
            "SELECT coalesce(VehicleType, 'all') AS vehicle_type, "
            "CAST(sum(Volume) AS BIGINT) AS trips, "
            "round(sum(TripLength * Volume) / nullif(sum(Volume), 0), 3) AS avg_trip_km "
            f"FROM freeway_m07a WHERE {' AND '.join(where)} "
            "GROUP BY ROLLUP (VehicleType) ORDER BY VehicleType NULLS LAST"
        )
        return self._run(sql, params, ["freeway_m07a"], days)


_CHOICES: dict[tuple[str, str, int], dict[str, Any]] = {}  # (data, M03A files, version) → choices


def freeway_choices(data: SourceData) -> dict[str, Any]:
    """The dashboard's choices: the days the volume table (M03A) holds, and the first day's
    window and busiest section to show at first. Versions are immutable, so the choices are
    computed once per version of M03A, not on every render."""
    with data.catalog.read() as session:
        resource = named_resource(session, VOLUME_TABLE)
        version, storage = (
            (resource.current_version, resource.storage) if resource else (None, VOLUME_TABLE)
        )
    key = (str(data.store.settings.data_dir), storage, int(version or 0))
    if key not in _CHOICES:
        if len(_CHOICES) >= 16:
            _CHOICES.clear()
        _CHOICES[key] = _choices(data, storage, version)
    return copy.deepcopy(_CHOICES[key])


def _choices(data: SourceData, storage: str, version: int | None) -> dict[str, Any]:
    days: set[str] = set()
    if version is not None:
        found = ((e.partition or {}).get("Date") for e in data.store.file_entries(storage, version))
        days = {str(day) for day in found if day}
    freeway: dict[str, str] = {}
    if days:
        first = date.fromisoformat(min(days))
        busiest = FreewayAnalyses(data).busiest_sections(day=first, limit=1)["rows"]
        freeway = {
            "day": first.isoformat(),
            "from": f"{first.isoformat()}T00:00",
            "to": f"{(first + timedelta(days=1)).isoformat()}T00:00",
            "gantry_from": str(busiest[0]["GantryFrom"]) if busiest else "",
            "gantry_to": str(busiest[0]["GantryTo"]) if busiest else "",
        }
    return {"freeway_days": sorted(days), "freeway": freeway, "gantries": GANTRY_RESOURCE}
