"""M06A trips are protected: coarsened times and rare (origin, destination, hour) suppressed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kaifang.catalog.db import open_catalog
from kaifang.errors import ValidationError
from kaifang.query import run_sql
from kaifang.query.resolver import catalog_resolver
from kaifang.service import Service
from kaifang.settings import Settings
from kaifang.sources.freeway.generate import GeneratedFreeway
from kaifang.sources.freeway.importer import import_freeway
from kaifang.storage import VersionStore


def _expected_kept(folder: Path, k: int) -> int:
    """Trips whose (origin gantry, destination gantry, hour) class has at least k trips."""
    classes: Counter[tuple[str, str, str]] = Counter()
    for file in folder.rglob("*.csv"):
        for line in file.read_text(encoding="utf-8").splitlines():
            cells = line.split(",")
            classes[(cells[2], cells[4], cells[1][:13])] += 1
    return sum(n for n in classes.values() if n >= k)


@pytest.mark.parametrize(("grain", "k", "minutes"), [("5 minutes", 5, 5), ("hour", 2, 60)])
def test_trips_are_coarsened_and_rare_ones_suppressed(
    settings: Settings,
    two_days: tuple[Path, GeneratedFreeway],
    grain: str,
    k: int,
    minutes: int,
) -> None:
    settings = settings.replace(freeway_trip_time_grain=grain, k_anonymity=k)
    folder = two_days[0] / "M06A" / "20240325"
    result = import_freeway(settings, folder).resources[0]
    assert result.rows == _expected_kept(folder, k)
    assert result.screening["suppressed_rows"] == result.screening["rows_in"] - result.rows
    with open_catalog(settings) as catalog:
        rows = run_sql(
            "SELECT count(*) FILTER (WHERE (minute(DetectionTime_O) % ?) <> 0 "
            "OR second(DetectionTime_O) <> 0 OR (minute(DetectionTime_D) % ?) <> 0 "
            "OR len(list_filter(TripInformation, "
            "lambda p: minute(p.time) % ? <> 0 OR second(p.time) <> 0)) > 0), "
            "min(n) FROM (SELECT *, count(*) OVER (PARTITION BY GantryID_O, GantryID_D, "
            "date_trunc('hour', DetectionTime_O)) AS n FROM freeway_m06a)",
            resolver=catalog_resolver(catalog, VersionStore(settings)),
            settings=settings,
            params=[minutes % 60 or 60, minutes % 60 or 60, minutes % 60 or 60],
        ).rows
    not_coarse, smallest_class = rows[0]
    assert not_coarse == 0
    assert smallest_class >= k
    service = Service(settings)
    try:
        screening = service.get_resource("freeway_m06a")["screening"]
    finally:
        service.close()
    assert screening["rules"][1]["code"] == "rare_trips_suppressed"
    assert screening["rules"][1]["suppressed_rows"] == result.screening["suppressed_rows"]


def test_a_bad_grain_is_refused(
    settings: Settings, two_days: tuple[Path, GeneratedFreeway]
) -> None:
    with pytest.raises(ValidationError, match="freeway_trip_time_grain"):
        import_freeway(settings.replace(freeway_trip_time_grain="7 minutes"), two_days[0] / "M06A")
