"""Each theft file replaces only the categories it carries: the police publish one file per
category, and importing them one after the other must keep all of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from kaifang.settings import Settings
from kaifang.sources.theft.columns import file_name
from kaifang.sources.theft.generate import TheftPlan, generate_theft
from kaifang.sources.theft.importer import RESOURCE, import_theft
from kaifang.storage import VersionStore


def _categories(settings: Settings) -> dict[str, int]:
    store = VersionStore(settings)
    files = store.version_files(RESOURCE, max(store.list_versions(RESOURCE)))
    rows = duckdb.connect().execute(
        f"SELECT category, count(*) FROM read_parquet({files!r}) GROUP BY ALL"
    )
    return dict(sorted(rows.fetchall()))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("theft")
    result = generate_theft(out, TheftPlan(year=2023, seed=3, scale=0.1))
    return out, result.rows


def _alone(generated: Path, tmp_path: Path, category: str) -> Path:
    """The category's UTF-8 file in a folder of its own, as downloaded month by month."""
    folder = tmp_path / category
    folder.mkdir(parents=True)
    name = file_name(category, utf8_bom=True)
    shutil.copy(generated / name, folder / name)
    return folder / name


def test_a_category_file_keeps_the_other_categories(
    settings: Settings, tmp_path: Path, generated: tuple[Path, dict[str, int]]
) -> None:
    out, counts = generated
    home = import_theft(settings, _alone(out, tmp_path, "home")).datasets[0]
    assert home.changes["replaced"] == {"home": counts["home"]}
    assert home.changes["kept"] == {}

    car = import_theft(settings, _alone(out, tmp_path, "car")).to_dict()["datasets"][0]
    assert car["changes"]["replaced"] == {"car": counts["car"]}
    assert car["changes"]["kept"] == {"home": counts["home"]}
    assert car["changes"]["previous_version"] == 1
    assert car["versions_made"] == [f"{RESOURCE} v2"]
    assert _categories(settings) == {"car": counts["car"], "home": counts["home"]}

    # A later car file replaces the car rows only (here: the same rows, so nothing changes).
    again = import_theft(settings, _alone(out, tmp_path / "again", "car")).datasets[0]
    assert again.resources[0].unchanged
    assert again.changes["replaced_rows_before"] == {"car": counts["car"]}
    assert _categories(settings) == {"car": counts["car"], "home": counts["home"]}


def test_the_report_lists_files_read_skipped_and_rows(
    settings: Settings, generated: tuple[Path, dict[str, int]]
) -> None:
    out, counts = generated
    report = import_theft(settings, out).datasets[0]
    assert len(report.files_read) == 4
    assert all(name.lower().endswith("-utf8-bom.csv") for name in report.files_read)
    assert sorted(s["file"] for s in report.files_skipped) == sorted(
        file_name(c, utf8_bom=False) for c in counts
    )
    assert all("UTF-8 twin" in s["reason"] for s in report.files_skipped)
    assert report.rows_in == report.rows_out == sum(counts.values())
