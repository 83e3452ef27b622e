"""The trip protection's shared parts: grains and steps, the step-by-step coarsening, the
verification and the report's gates (verification and utility loss)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kaifang.errors import PublishRefusedError
from kaifang.settings import load_settings
from kaifang.sources.freeway.grains import trip_steps
from kaifang.sources.freeway.protect import (
    PUBLISHED_COLUMNS,
    TripGrain,
    TripVerification,
    parse_grain,
    protect_trips,
    protection_report,
)
from kaifang.sources.freeway.utility import TripUtility


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


def _trips(
    con: duckdb.DuckDBPyConnection,
    classes: dict[tuple[str, str, int], int],
    *,
    minute: int = 7,
    table: str = "typed",
) -> None:
    """Trips at hh:<minute>:30, arriving at hh:<minute + 12>:59, for each (origin,
    destination, hour) class, n of each."""
    rows = [
        f"('31', TIMESTAMP '2024-03-25 {hour:02d}:{minute:02d}:30', '{o}', "
        f"TIMESTAMP '2024-03-25 {hour:02d}:{(minute + 12) % 60:02d}:59', '{d}', 3.5, 'Y', "
        f"[{{'time': TIMESTAMP '2024-03-25 {hour:02d}:{minute:02d}:30', 'gantry': '{o}'}}], "
        "DATE '2024-03-25')"
        for (o, d, hour), n in classes.items()
        for _ in range(n)
    ]
    con.execute(
        f"CREATE TABLE {table} AS SELECT * FROM (VALUES " + ", ".join(rows) + ") AS t(VehicleType, "
        "DetectionTime_O, GantryID_O, DetectionTime_D, GantryID_D, TripLength, TripEnd, "
        "TripInformation, Date)"
    )


def test_protected_trips_are_verified_and_reported(tmp_path: Path) -> None:
    settings = load_settings(
        {},
        data_dir=tmp_path,
        k_anonymity=3,
        freeway_trip_time_grain="15 minutes",
        freeway_trip_coarser_grains="hour",
        freeway_trip_max_loss=1.0,
    )
    con = duckdb.connect()
    # 4 trips share a 15-minute class; 2 at 09:07 join 1 at 09:52 in the 09:00 hour class;
    # 2 at 10:07 are alone even at the hour: suppressed.
    _trips(con, {("01F0005S", "01F0017S", 8): 4, ("01F0005S", "01F0017S", 9): 2})
    _trips(con, {("01F0005S", "01F0017S", 10): 2}, minute=7, table="more")
    _trips(con, {("01F0005S", "01F0017S", 9): 1}, minute=52, table="late")
    con.execute("INSERT INTO typed SELECT * FROM more UNION ALL SELECT * FROM late")
    _, report = protect_trips(con, "typed", settings)
    assert (report["rows_in"], report["rows_out"], report["suppressed_rows"]) == (9, 7, 2)
    assert report["coarsened_rows"] == 3
    assert report["rules"][1]["by_step"] == {"15 minutes / 1 km": 4, "hour / 1 km": 3}
    assert report["verification"] == {
        "passed": True,
        "rows": 7,
        "original_rows": 9,
        "quasi_identifiers": list(PUBLISHED_COLUMNS),
        "classes": 2,
        "smallest_class": 3,
        "times_off_grain": 0,
        "lengths_off_grain": 0,
    }
    published = con.execute(
        "SELECT DISTINCT DetectionTime_O, TripInformation[1].time, TimeGrain, LengthGrain "
        "FROM protected_trips ORDER BY ALL"
    ).fetchall()
    assert [tuple(str(v) for v in row) for row in published] == [
        ("2024-03-25 08:00:00", "2024-03-25 08:00:00", "15", "1.0"),
        ("2024-03-25 09:00:00", "2024-03-25 09:00:00", "60", "1.0"),
    ]
    assert report["utility"]["trips_kept"] == 7
    assert report["utility"]["vehicle_km_kept"] == 7 * 3.5


@pytest.mark.parametrize(
    ("smallest", "off_time", "off_length", "refused"),
    [
        (4, 0, 0, False),
        (2, 0, 0, True),  # a class below k
        (4, 1, 0, True),  # a time off its grain
        (4, 0, 1, True),  # a length off its grain
    ],
)
def test_a_failed_verification_refuses_the_publish(
    tmp_path: Path, smallest: int, off_time: int, off_length: int, refused: bool
) -> None:
    settings = load_settings({}, data_dir=tmp_path, k_anonymity=3, freeway_trip_max_loss=1.0)
    utility = TripUtility(6, 4, 10.0, 8.0, [4, 0, 0, 0])
    verification = TripVerification(4, 1, smallest, off_time, off_length)
    if refused:
        with pytest.raises(PublishRefusedError, match="failed verification"):
            protection_report(settings, utility, verification)
    else:
        assert protection_report(settings, utility, verification)["rows_out"] == 4


@pytest.mark.parametrize(
    ("trips_kept", "km_kept", "refused"),
    [(95, 95.0, False), (89, 95.0, True), (95, 89.0, True), (90, 90.0, False)],
)
def test_a_loss_past_the_limit_refuses_unless_accepted(
    tmp_path: Path, trips_kept: int, km_kept: float, refused: bool
) -> None:
    settings = load_settings({}, data_dir=tmp_path, freeway_trip_max_loss=0.10)
    utility = TripUtility(100, trips_kept, 100.0, km_kept, [trips_kept, 0, 0, 0])
    verification = TripVerification(trips_kept, 1, trips_kept, 0)
    if refused:
        with pytest.raises(PublishRefusedError, match="freeway_trip_max_loss"):
            protection_report(settings, utility, verification)
        accepted = protection_report(settings, utility, verification, accept_utility_loss=True)
        assert accepted["utility"]["accepted"] is True
    else:
        report = protection_report(settings, utility, verification, accept_utility_loss=True)
        assert report["utility"]["accepted"] is False  # nothing to accept


@pytest.mark.parametrize(
    ("time_grain", "coarser", "labels"),
    [
        (
            "5 minutes",
            "15 minutes, hour/5 km, 6 hours/5 km",
            ["5 minutes / 1 km", "15 minutes / 1 km", "hour / 5 km", "6 hours / 5 km"],
        ),
        ("5 minutes/0.5 km", "", ["5 minutes / 0.5 km"]),
        ("15 minutes", "15 minutes, hour/5 km", ["15 minutes / 1 km", "hour / 5 km"]),
        ("hour", "15 minutes, hour/5 km", ["hour / 1 km", "hour / 5 km"]),
        ("hour", " 2 hours /10km ", ["hour / 1 km", "2 hours / 10 km"]),
    ],
)
def test_the_steps_are_read_from_the_settings(
    tmp_path: Path, time_grain: str, coarser: str, labels: list[str]
) -> None:
    settings = load_settings(
        {},
        data_dir=tmp_path,
        freeway_trip_time_grain=time_grain,
        freeway_trip_coarser_grains=coarser,
    )
    assert [step.label for step in trip_steps(settings)] == labels
