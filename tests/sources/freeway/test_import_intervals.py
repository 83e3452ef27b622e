"""A TDCS file replaces only the intervals it covers: a day's archive, then one five-minute
file of that day (a correction), keeps the day's other 287 intervals; the archive again
replaces the whole day."""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kaifang.errors import PublishRefusedError
from kaifang.settings import Settings
from kaifang.sources.freeway.generate import FreewayPlan, generate_freeway
from kaifang.sources.freeway.importer import import_freeway
from kaifang.storage import VersionStore, parquet_scan_sql

PLAN = FreewayPlan(scale=0.02, trips_per_day=4000, seed=11, datasets=("M03A", "M06A"))


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tdcs_archives")
    generate_freeway(out, FreewayPlan(**{**PLAN.__dict__, "archive": True}))
    return out


def _member(archive: Path, name: str, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(name))
        handle = tar.extractfile(member)
        assert handle is not None
        (target / name).write_bytes(handle.read())
    return target / name


def _rows(settings: Settings, resource: str, sql: str) -> list[tuple[Any, ...]]:
    store = VersionStore(settings)
    files = store.version_files(resource, max(store.list_versions(resource)))
    return duckdb.sql(sql.replace("{t}", parquet_scan_sql(files))).fetchall()


def test_a_five_minute_file_keeps_the_other_intervals(
    settings: Settings, tmp_path: Path, archives: Path
) -> None:
    archive = archives / "M03A_20240325.tar.gz"
    day = import_freeway(settings, archive).resources[0]
    assert day.changes["days_replaced"] == ["2024-03-25"]
    before = _rows(
        settings, "freeway_m03a", "SELECT count(*), count(DISTINCT TimeInterval) FROM {t}"
    )
    assert before[0][1] == 288

    # A corrected 08:30 file: every count set to 7.
    single = _member(archive, "TDCS_M03A_20240325_083000.csv", tmp_path / "fix")
    lines = single.read_text(encoding="utf-8").splitlines()
    single.write_text("".join(",".join([*ln.split(",")[:4], "7"]) + "\n" for ln in lines))
    (single.parent / "notes.txt").write_text("corrected 08:30\n", encoding="utf-8")
    (single.parent / "TDCS_M03A_20240325_083500.csv").write_bytes(b"")
    outcome = import_freeway(settings, single.parent)
    assert outcome.files_skipped == [
        {"file": "TDCS_M03A_20240325_083500.csv", "reason": "empty file (no rows)"},
        {"file": "notes.txt", "reason": "not a TDCS .csv or daily .tar.gz"},
    ]
    fixed = outcome.resources[0]
    assert (fixed.files, fixed.rows_in, fixed.rows_out) == (1, len(lines), len(lines))
    assert (fixed.version, fixed.rows) == (2, before[0][0])
    assert fixed.changes["days_partly_replaced"] == {
        "2024-03-25": {"intervals_replaced": 1, "rows_kept": before[0][0] - len(lines)}
    }
    at_0830 = "strftime(TimeInterval, '%H:%M') = '08:30'"
    after = _rows(
        settings,
        "freeway_m03a",
        f"SELECT count(DISTINCT TimeInterval), count(*) FILTER (WHERE {at_0830}), "
        f"bool_and(Volume = 7) FILTER (WHERE {at_0830}) FROM {{t}}",
    )
    assert after == [(288, len(lines), True)]

    # The whole day again: the day is replaced whole, the correction with it.
    again = import_freeway(settings, archive).resources[0]
    assert (again.version, again.rows) == (3, before[0][0])
    assert again.changes["days_partly_replaced"] == {}
    restored = _rows(
        settings, "freeway_m03a", f"SELECT bool_and(Volume = 7) FILTER (WHERE {at_0830}) FROM {{t}}"
    )
    assert restored == [(False,)]


def test_an_hourly_trip_file_keeps_the_other_hours(
    settings: Settings, tmp_path: Path, archives: Path
) -> None:
    # Grains within the hour: a class never spans two hour files.
    settings = settings.replace(freeway_trip_coarser_grains="15 minutes, hour/5 km")
    archive = archives / "M06A_20240325.tar.gz"
    day = import_freeway(settings, archive).resources[0]
    assert day.rows_in - day.rows_out == day.suppressed[0]["rows"] > 0
    assert "trips suppressed" in day.suppressed[0]["reason"]
    per_hour = "SELECT hour(DetectionTime_O) AS h, count(*) FROM {t} GROUP BY ALL ORDER BY h"
    before = dict(_rows(settings, "freeway_m06a", per_hour))
    assert len(before) > 12 and before[8] > 0

    single = _member(archive, "TDCS_M06A_20240325_080000.csv", tmp_path / "hour")
    result = import_freeway(settings, single).resources[0]
    assert result.changes["days_partly_replaced"]["2024-03-25"]["intervals_replaced"] == 1
    after = dict(_rows(settings, "freeway_m06a", per_hour))
    assert {h: n for h, n in after.items() if h != 8} == {h: n for h, n in before.items() if h != 8}
    assert after.get(8, 0) > 0


def test_an_hourly_trip_file_is_refused_when_trips_are_published_by_day_part(
    settings: Settings, tmp_path: Path, archives: Path
) -> None:
    archive = archives / "M06A_20240325.tar.gz"
    day = import_freeway(settings, archive).resources[0]
    assert day.rows_out > 0
    single = _member(archive, "TDCS_M06A_20240325_080000.csv", tmp_path / "hour")
    with pytest.raises(PublishRefusedError, match="only part of 2024-03-25") as refused:
        import_freeway(settings, single)
    assert "Import the whole day" in str(refused.value)
    assert _rows(settings, "freeway_m06a", "SELECT count(*) FROM {t}") == [(day.rows,)]
