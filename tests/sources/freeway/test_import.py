"""``import_freeway``: every layout, every dataset, typed columns and catalog metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaifang.catalog.db import open_catalog
from kaifang.cli import cli
from kaifang.query import run_sql
from kaifang.query.resolver import catalog_resolver
from kaifang.service import Service
from kaifang.settings import Settings
from kaifang.sources.freeway.catalog_entries import ORG_CODE, resource_name
from kaifang.sources.freeway.columns import ATTRIBUTION, DATASETS
from kaifang.sources.freeway.generate import FreewayPlan, GeneratedFreeway, generate_freeway
from kaifang.sources.freeway.importer import import_freeway
from kaifang.storage import VersionStore
from tests.catalogs import MakeSettings


def _sql(settings: Settings, sql: str) -> list[tuple[object, ...]]:
    with open_catalog(settings) as catalog:
        resolver = catalog_resolver(catalog, VersionStore(settings))
        return run_sql(sql, resolver=resolver, settings=settings).rows


def test_folder_of_every_dataset(
    settings: Settings, two_days: tuple[Path, GeneratedFreeway]
) -> None:
    folder, generated = two_days
    result = import_freeway(settings, folder)
    by_code = {r.code: r for r in result.resources}
    assert set(by_code) == {*DATASETS, "gantries"}
    for code in ("M03A", "M04A", "M05A", "M07A", "M08A"):
        assert by_code[code].rows == generated.rows[code], code
        assert by_code[code].days_written == ["2024-03-25", "2024-03-26"]
        assert by_code[code].problem_count == 0
    assert by_code["gantries"].rows == generated.gantries
    # M06A loses only the suppressed rare trips, and says how many.
    trips = by_code["M06A"]
    assert trips.rows + trips.screening["suppressed_rows"] == generated.rows["M06A"]


@pytest.mark.parametrize(
    ("column", "sql_type"),
    [
        ("TimeInterval", "TIMESTAMP"),
        ("GantryID", "VARCHAR"),
        ("Direction", "VARCHAR"),
        ("Volume", "INTEGER"),
        ("Date", "DATE"),
    ],
)
def test_m03a_column_types(
    settings: Settings, two_days: tuple[Path, GeneratedFreeway], column: str, sql_type: str
) -> None:
    import_freeway(settings, two_days[0] / "M03A" / "20240325")
    rows = _sql(settings, f"SELECT typeof({column}) FROM freeway_m03a LIMIT 1")
    assert rows == [(sql_type,)]


def test_trip_information_is_a_list_of_time_and_gantry(
    settings: Settings, two_days: tuple[Path, GeneratedFreeway]
) -> None:
    import_freeway(settings, two_days[0] / "M06A")
    rows = _sql(
        settings,
        "SELECT typeof(TripInformation), TripInformation[1].gantry = GantryID_O, "
        "TripInformation[len(TripInformation)].gantry = GantryID_D FROM freeway_m06a LIMIT 1",
    )
    assert rows == [('STRUCT("time" TIMESTAMP, gantry VARCHAR)[]', True, True)]


def test_dataset_metadata_in_the_catalog(
    settings: Settings, two_days: tuple[Path, GeneratedFreeway]
) -> None:
    import_freeway(settings, two_days[0] / "M05A" / "20240325" / "00")
    service = Service(settings)
    try:
        resource = service.get_resource(resource_name("M05A"))
        dataset = service.get_dataset(resource["dataset_id"])
    finally:
        service.close()
    text = json.dumps(dataset, ensure_ascii=False)
    assert ATTRIBUTION in text
    assert "OGDL-Taiwan-1.0" in text
    assert "Median space-mean speed" in text
    assert ORG_CODE in text
    speed = next(f for f in resource["schema"]["fields"] if f["name"] == "SpaceMeanSpeed")
    assert speed["title"] == "行駛車速"
    assert "km/h" in speed["description"]


def test_daily_archive_equals_the_folder(
    settings: Settings, tmp_path: Path, make_settings: MakeSettings
) -> None:
    plan = FreewayPlan(days=1, scale=0.02, datasets=("M03A",), seed=3)
    generate_freeway(tmp_path / "folder", plan)
    generate_freeway(tmp_path / "archive", FreewayPlan(**{**plan.__dict__, "archive": True}))
    archive = tmp_path / "archive" / "M03A_20240325.tar.gz"
    assert archive.exists()
    from_archive = import_freeway(settings, archive).resources[0]
    other = make_settings(tmp_path / "other")  # a catalog of its own
    from_folder = import_freeway(other, tmp_path / "folder" / "M03A").resources[0]
    assert from_archive.rows == from_folder.rows == 57_600
    assert _sql(settings, "SELECT sum(Volume) FROM freeway_m03a") == _sql(
        other, "SELECT sum(Volume) FROM freeway_m03a"
    )


def test_gantry_table_joins_the_traffic_rows(
    settings: Settings, two_days: tuple[Path, GeneratedFreeway]
) -> None:
    import_freeway(settings, two_days[0])
    rows = _sql(
        settings,
        "SELECT count(*), count(g.GantryID) FROM freeway_m03a m "
        "LEFT JOIN freeway_gantries g ON g.GantryID = m.GantryID",
    )
    assert rows[0][0] == rows[0][1] > 0


def test_cli_json_is_the_library_result(
    settings: Settings, runner: CliRunner, two_days: tuple[Path, GeneratedFreeway]
) -> None:
    path = two_days[0] / "M07A"
    out = runner.invoke(
        cli, ["--data-dir", str(settings.data_dir), "import", "freeway", str(path), "--json"]
    )
    assert out.exit_code == 0, out.output
    printed = json.loads(out.output)
    again = import_freeway(settings, path).to_dict()
    assert printed["resources"][0]["rows"] == again["resources"][0]["rows"]
    assert again["resources"][0]["unchanged"] is True
    assert {k: v for k, v in printed.items() if k != "resources"} == {
        k: v for k, v in again.items() if k != "resources"
    }
