"""The trip protection's shared parts: grains, the verification and the report's gate."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kaifang.errors import PublishRefusedError
from kaifang.settings import load_settings
from kaifang.sources.freeway.protect import (
    TripGrain,
    TripVerification,
    parse_grain,
    protect_trips,
    protection_report,
)


@pytest.mark.parametrize(
    ("grain", "parsed", "interval", "microseconds"),
    [
        ("5 minutes", TripGrain(5, "MINUTE"), "INTERVAL 5 MINUTE", 300_000_000),
        ("1 minute", TripGrain(1, "MINUTE"), "INTERVAL 1 MINUTE", 60_000_000),
        ("hour", TripGrain(1, "HOUR"), "INTERVAL 1 HOUR", 3_600_000_000),
        (" 2 Hours ", TripGrain(2, "HOUR"), "INTERVAL 2 HOUR", 7_200_000_000),
    ],
)
def test_a_grain_has_one_duckdb_and_one_spark_form(
    grain: str, parsed: TripGrain, interval: str, microseconds: int
) -> None:
    assert parse_grain(grain) == parsed
    assert parsed.duckdb_interval == interval
    assert parsed.microseconds == microseconds


def _trips(con: duckdb.DuckDBPyConnection, classes: dict[tuple[str, str, int], int]) -> None:
    """Trips at 08:07:30 (+ hour) for each (origin, destination, hour) class, n of each."""
    rows = [
        f"('31', TIMESTAMP '2024-03-25 {hour:02d}:07:30', '{o}', "
        f"TIMESTAMP '2024-03-25 {hour:02d}:19:59', '{d}', 3.5, 'Y', "
        f"[{{'time': TIMESTAMP '2024-03-25 {hour:02d}:07:30', 'gantry': '{o}'}}], "
        "DATE '2024-03-25')"
        for (o, d, hour), n in classes.items()
        for _ in range(n)
    ]
    con.execute(
        "CREATE TABLE typed AS SELECT * FROM (VALUES " + ", ".join(rows) + ") AS t(VehicleType, "
        "DetectionTime_O, GantryID_O, DetectionTime_D, GantryID_D, TripLength, TripEnd, "
        "TripInformation, Date)"
    )


def test_protected_trips_are_verified_and_reported(tmp_path: Path) -> None:
    settings = load_settings(
        {}, data_dir=tmp_path, k_anonymity=3, freeway_trip_time_grain="15 minutes"
    )
    con = duckdb.connect()
    _trips(con, {("01F0005S", "01F0017S", 8): 4, ("01F0005S", "01F0017S", 9): 2})
    _, report = protect_trips(con, "typed", settings)
    assert (report["rows_in"], report["rows_out"], report["suppressed_rows"]) == (6, 4, 2)
    assert report["verification"] == {
        "passed": True,
        "rows": 4,
        "original_rows": 6,
        "classes": 1,
        "smallest_class": 4,
        "times_off_grain": 0,
    }
    published = con.execute(
        "SELECT DISTINCT DetectionTime_O, DetectionTime_D, TripInformation[1].time "
        "FROM protected_trips"
    ).fetchall()
    assert [tuple(str(t) for t in row) for row in published] == [
        ("2024-03-25 08:00:00", "2024-03-25 08:15:00", "2024-03-25 08:00:00")
    ]


@pytest.mark.parametrize(
    ("rows", "classes", "smallest", "off_grain", "refused"),
    [
        (4, 1, 4, 0, False),
        (0, 0, 0, 0, False),  # everything suppressed: nothing to verify
        (5, 2, 2, 0, True),  # a class below k
        (4, 1, 4, 1, True),  # a time off the grain
    ],
)
def test_a_failed_verification_refuses_the_publish(
    tmp_path: Path, rows: int, classes: int, smallest: int, off_grain: int, refused: bool
) -> None:
    settings = load_settings({}, data_dir=tmp_path, k_anonymity=3)
    verification = TripVerification(rows, classes, smallest, off_grain)
    if refused:
        with pytest.raises(PublishRefusedError, match="failed verification"):
            protection_report(settings, 6, verification)
    else:
        assert protection_report(settings, 6, verification)["rows_out"] == rows
