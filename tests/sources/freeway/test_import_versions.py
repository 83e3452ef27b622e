"""Date partitions across versions: new days append, changed days replace, the rest is reused."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from kaifang.service import Service
from kaifang.service.web import dashboard_choices
from kaifang.settings import Settings
from kaifang.sources.freeway.generate import GeneratedFreeway
from kaifang.sources.freeway.importer import import_freeway
from kaifang.storage import VersionStore, parquet_scan_sql


def _copy_day(source: Path, target: Path, day: str) -> Path:
    shutil.copytree(source / "M03A" / day, target / "M03A" / day)
    return target / "M03A" / day


def test_days_append_replace_and_reuse(
    settings: Settings, tmp_path: Path, two_days: tuple[Path, GeneratedFreeway]
) -> None:
    store = VersionStore(settings)
    first = _copy_day(two_days[0], tmp_path, "20240325")
    second = _copy_day(two_days[0], tmp_path, "20240326")

    v1 = import_freeway(settings, first).resources[0]
    assert (v1.version, v1.days_written) == (1, ["2024-03-25"])

    v2 = import_freeway(settings, second).resources[0]
    assert (v2.version, v2.days_written, v2.days_kept) == (2, ["2024-03-26"], ["2024-03-25"])
    day1_files = {e.path for e in store.file_entries("freeway_m03a", 1)}
    v2_files = {e.path for e in store.file_entries("freeway_m03a", 2)}
    assert day1_files <= v2_files  # reused, not copied: the paths still point into v000001
    assert all("Date=2024-03-25" in p for p in day1_files)

    again = import_freeway(settings, first).resources[0]
    assert (again.unchanged, again.version) == (True, 2)

    changed = next(iter(sorted(first.rglob("*.csv"))))
    lines = changed.read_text(encoding="utf-8").splitlines()
    time, gantry, direction, kind, _ = lines[0].split(",")
    lines[0] = ",".join((time, gantry, direction, kind, "9999"))
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    v3 = import_freeway(settings, first).resources[0]
    assert (v3.version, v3.days_written, v3.days_kept) == (3, ["2024-03-25"], ["2024-03-26"])
    v2_day2 = {e.path for e in store.file_entries("freeway_m03a", 2) if "2024-03-26" in e.path}
    v3_files = {e.path for e in store.file_entries("freeway_m03a", 3)}
    assert v2_day2 <= v3_files
    assert not day1_files & v3_files
    assert v3.rows == v2.rows
    assert store.list_versions("freeway_m03a") == [1, 2, 3]  # history only grows


def test_a_day_is_read_from_its_own_partition_only(
    settings: Settings, two_days: tuple[Path, GeneratedFreeway]
) -> None:
    import_freeway(settings, two_days[0] / "M03A")
    service = Service(settings)
    try:
        every = service.store.version_files("freeway_m03a", 1)
        day = service.freeway.day_files("freeway_m03a", ["2024-03-26"])
    finally:
        service.close()
    assert len(every) == 2
    assert len(day) == 1
    assert "Date=2024-03-26" in day[0]
    # The one file holds that day and nothing else.
    dates = duckdb.sql(f"SELECT DISTINCT Date::VARCHAR FROM {parquet_scan_sql(day)}").fetchall()
    assert dates == [("2024-03-26",)]


def test_the_dashboards_days_follow_each_new_version(
    settings: Settings, tmp_path: Path, two_days: tuple[Path, GeneratedFreeway]
) -> None:
    """The dashboard's choices are kept per version of M03A: a new day shows at once."""

    def day(name: str) -> Path:
        folder = tmp_path / name
        for table in ("M03A", "M05A"):  # volumes, and the speeds of the busiest section
            shutil.copytree(two_days[0] / table / name, folder / table / name)
        return folder

    import_freeway(settings, day("20240325"))
    service = Service(settings)
    try:
        before = dashboard_choices(service, "freeway")
        assert before["freeway_days"] == ["2024-03-25"]
        before["freeway_days"].append("mutated by a caller")
        assert dashboard_choices(service, "freeway")["freeway_days"] == ["2024-03-25"]
        import_freeway(settings, day("20240326"))
        after = dashboard_choices(service, "freeway")
    finally:
        service.close()
    assert after["freeway_days"] == ["2024-03-25", "2024-03-26"]
    assert after["freeway"]["day"] == "2024-03-25"
