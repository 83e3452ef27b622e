"""School directory files are found by their name's pattern (``e1_new_114.csv``), every
other file is listed with why it was not read, and the academic year of a title row (大專
files have no 學年度 column) is carried into the rows."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb

from kaifang.settings import Settings
from kaifang.sources.schools.generate import SchoolsPlan, generate_schools
from kaifang.sources.schools.importer import import_schools, resource_name
from kaifang.storage import VersionStore

PLAN = SchoolsPlan(seed=6, scale=0.03)


def _rows(settings: Settings, resource: str, sql: str) -> list[tuple[Any, ...]]:
    store = VersionStore(settings)
    files = store.version_files(resource, max(store.list_versions(resource)))
    return duckdb.sql(sql.replace("{t}", f"read_parquet({files!r})")).fetchall()


def test_year_suffixed_names_title_row_years_and_skipped_files(
    settings: Settings, tmp_path: Path
) -> None:
    generated = tmp_path / "moe"
    generate_schools(generated, PLAN)
    folder = tmp_path / "named"
    folder.mkdir()
    year = PLAN.academic_year
    shutil.copy(generated / "e1_new.csv", folder / f"e1_new_{year}.csv")
    shutil.copy(generated / "e1_new.csv", folder / f"e1_new_{year - 1}.csv")
    shutil.copy(generated / "u1_new.csv", folder / "U1_NEW.CSV")
    (folder / "說明.txt").write_text("readme\n", encoding="utf-8")

    report = import_schools(settings, folder).datasets[0]
    assert sorted(report.files_read) == sorted([f"e1_new_{year}.csv", "U1_NEW.CSV"])
    reasons = {s["file"]: s["reason"] for s in report.files_skipped}
    assert reasons == {
        f"e1_new_{year - 1}.csv": f"another e1 file is read: e1_new_{year}.csv",
        "說明.txt": reasons["說明.txt"],
    }
    assert reasons["說明.txt"].startswith("not a school directory file")
    assert report.rows_in == report.rows_out > 0

    u1 = _rows(settings, resource_name("u1"), "SELECT DISTINCT 學年度 FROM {t}")
    assert u1 == [(year,)]
    combined = _rows(
        settings, resource_name("all"), "SELECT level, count(*) FILTER (WHERE 學年度 IS NULL) "
        "FROM {t} GROUP BY ALL ORDER BY level"
    )  # fmt: skip
    assert combined == [("e1", 0), ("u1", 0)]
