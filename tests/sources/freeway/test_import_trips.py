"""M06A trips are protected at the grain they are published at: every published column is
checked, rare trips are coarsened step by step before they are suppressed, and the utility
lost is reported and refused past its limit unless the publisher accepts it."""

from __future__ import annotations

import json
import math
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kaifang.catalog.db import open_catalog
from kaifang.cli import cli
from kaifang.errors import PublishRefusedError, ValidationError
from kaifang.query import run_sql
from kaifang.query.resolver import catalog_resolver
from kaifang.service import Service
from kaifang.settings import Settings
from kaifang.sources.freeway.generate import GeneratedFreeway
from kaifang.sources.freeway.importer import import_freeway
from kaifang.sources.freeway.protect import PUBLISHED_COLUMNS
from kaifang.storage import VersionStore

STEPS = ((5, 1.0), (15, 1.0), (60, 5.0), (360, 5.0))  # the default grains (minutes, km)


def _sql(settings: Settings, sql: str) -> list[tuple[Any, ...]]:
    with open_catalog(settings) as catalog:
        resolver = catalog_resolver(catalog, VersionStore(settings))
        return run_sql(sql, resolver=resolver, settings=settings, max_rows=100_000).rows


def _floor(stamp: str, minutes: int) -> str:
    moment = datetime.fromisoformat(stamp)
    since = moment.hour * 60 + moment.minute
    floored = since // minutes * minutes
    return f"{moment.date()} {floored // 60:02d}:{floored % 60:02d}"


def _expected_steps(folder: Path, k: int) -> list[int]:
    """The trips placed at each step, counted in Python from the raw files: a trip's class
    is every published column at the step's grains, among the trips not placed before."""
    trips = [
        line.split(",")
        for file in sorted(folder.rglob("*.csv"))
        for line in file.read_text(encoding="utf-8").splitlines()
    ]
    left = list(range(len(trips)))
    placed = []
    for minutes, km in STEPS:

        def key(cells: list[str], minutes: int = minutes, km: float = km) -> tuple[Any, ...]:
            path = tuple(
                (_floor(p.split("+")[0].strip(), minutes), p.split("+")[1].strip())
                for p in cells[7].split(";")
                if p.strip()
            )
            length = math.floor(float(cells[5]) / km + 0.5) * km
            times = (_floor(cells[1], minutes), _floor(cells[3], minutes))
            return (cells[0], cells[2], cells[4], cells[6], *times, length, path)

        counts = Counter(key(trips[i]) for i in left)
        placed.append(sum(1 for i in left if counts[key(trips[i])] >= k))
        left = [i for i in left if counts[key(trips[i])] < k]
    return placed


def test_no_published_class_is_below_k_on_the_published_columns(
    settings: Settings, two_days: tuple[Path, GeneratedFreeway]
) -> None:
    folder = two_days[0] / "M06A" / "20240325"
    result = import_freeway(settings, folder).resources[0]
    columns = ", ".join(PUBLISHED_COLUMNS)
    ((smallest, classes, rows),) = _sql(
        settings,
        f"SELECT min(n), count(*), sum(n) FROM (SELECT count(*) AS n FROM freeway_m06a "
        f"GROUP BY {columns})",
    )
    assert rows == result.rows > 0 and smallest >= settings.k_anonymity
    assert classes == result.screening["verification"]["classes"]
    # The measure: no trip is unique on (vehicle type, origin, destination, times).
    ((unique,),) = _sql(
        settings,
        "SELECT count(*) FROM (SELECT count(*) AS n FROM freeway_m06a GROUP BY VehicleType, "
        "GantryID_O, GantryID_D, DetectionTime_O, DetectionTime_D) WHERE n = 1",
    )
    assert unique == 0
    # Every time and length sits on its own row's grain.
    ((off,),) = _sql(
        settings,
        "SELECT count(*) FILTER (WHERE (epoch(DetectionTime_O) / 60) % TimeGrain <> 0 "
        "OR (epoch(DetectionTime_D) / 60) % TimeGrain <> 0 "
        "OR len(list_filter(TripInformation, lambda p: (epoch(p.time) / 60) % TimeGrain <> 0)) "
        "> 0 OR round(TripLength / LengthGrain) * LengthGrain <> TripLength) FROM freeway_m06a",
    )
    assert off == 0


def test_rare_trips_are_coarsened_step_by_step_then_suppressed(
    settings: Settings, two_days: tuple[Path, GeneratedFreeway]
) -> None:
    folder = two_days[0] / "M06A" / "20240325"
    expected = _expected_steps(folder, settings.k_anonymity)
    result = import_freeway(settings, folder).resources[0]
    rules = {rule["code"]: rule for rule in result.screening["rules"]}
    assert list(rules["rare_trips_coarsened"]["by_step"].values()) == expected
    assert result.rows == sum(expected)
    published = dict(_sql(settings, "SELECT TimeGrain, count(*) FROM freeway_m06a GROUP BY 1"))
    assert published == {m: n for (m, _), n in zip(STEPS, expected, strict=True) if n}
    # Coarsening keeps trips that one step would have suppressed, and says so.
    assert sum(expected[1:]) > 0 and result.coarsened[0]["rows"] == sum(expected[1:])
    suppressed = result.rows_in - result.rows
    assert result.suppressed[0]["rows"] == suppressed > 0
    assert "6 hours / 5 km" in result.suppressed[0]["reason"]
    service = Service(settings)
    try:
        screening = service.get_resource("freeway_m06a")["screening"]
    finally:
        service.close()
    assert screening["rules"][2]["code"] == "rare_trips_suppressed"
    assert screening["rules"][2]["suppressed_rows"] == suppressed
    assert screening["quasi_identifiers"] == list(PUBLISHED_COLUMNS)


def test_the_utility_lost_is_reported_against_the_gantry_passages(
    settings: Settings, two_days: tuple[Path, GeneratedFreeway]
) -> None:
    folder = two_days[0] / "M06A" / "20240325"
    result = import_freeway(settings, folder).resources[0]
    utility = result.utility
    assert (utility["trips_in"], utility["trips_kept"]) == (result.rows_in, result.rows)
    kept_km = utility["vehicle_km_kept"]
    assert 0 < kept_km < utility["vehicle_km_in"]
    assert utility["vehicle_km_kept_share"] == round(kept_km / utility["vehicle_km_in"], 4)
    # Passages per gantry: the raw trips' (what M03A counts) against the published trips'.
    raw: Counter[str] = Counter(
        part.split("+")[1].strip()
        for file in folder.rglob("*.csv")
        for line in file.read_text(encoding="utf-8").splitlines()
        for part in line.split(",")[7].split(";")
        if part.strip()
    )
    passages = utility["gantry_passages"]
    assert passages["gantries"] == len(raw)
    assert passages["passages_in"] == sum(raw.values())
    ((kept,),) = _sql(settings, "SELECT sum(len(TripInformation)) FROM freeway_m06a")
    assert passages["passages_kept"] == kept
    worst = passages["worst"][0]
    assert worst["passages_in"] == raw[worst["gantry"]]
    assert worst["share"] == passages["smallest_share"]


def test_a_loss_past_the_limit_is_refused_unless_accepted(
    settings: Settings, two_days: tuple[Path, GeneratedFreeway]
) -> None:
    folder = two_days[0] / "M06A" / "20240325"
    strict = settings.replace(freeway_trip_max_loss=0.10)
    with pytest.raises(PublishRefusedError, match="freeway_trip_max_loss") as refused:
        import_freeway(strict, folder)
    assert "--accept-utility-loss" in str(refused.value)
    assert refused.value.details["trips_kept_share"] < 0.9
    accepted = import_freeway(strict, folder, accept_utility_loss=True).resources[0]
    assert accepted.utility["accepted"] is True and accepted.utility["over_max_loss"] is True
    manifest = VersionStore(strict).read_manifest(accepted.resource, accepted.version)
    assert manifest["screening"]["utility"]["accepted"] is True


def test_the_cli_refuses_then_accepts_the_loss(
    settings: Settings, runner: CliRunner, two_days: tuple[Path, GeneratedFreeway]
) -> None:
    folder = two_days[0] / "M06A" / "20240325"
    base = ["--data-dir", str(settings.data_dir), "import", "freeway", str(folder), "--json"]
    refused = runner.invoke(cli, base)
    assert refused.exit_code != 0
    assert "freeway_trip_max_loss" in str(refused.exception)
    out = runner.invoke(cli, [*base, "--accept-utility-loss"])
    assert out.exit_code == 0, out.output
    (trips,) = json.loads(out.output)["resources"]
    assert trips["utility"]["accepted"] is True
    assert trips["coarsened"][0]["rows"] > 0 and trips["suppressed"][0]["rows"] > 0


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("freeway_trip_time_grain", "7 minutes", "does not divide a day"),
        ("freeway_trip_coarser_grains", "hour, 15 minutes", "not coarser than hour"),
        ("freeway_trip_coarser_grains", "15 minutes, 40 minutes", "not coarser than 15 min"),
        ("freeway_trip_coarser_grains", "15 minutes/5 km, hour/1 km", "rounds lengths finer"),
        ("freeway_trip_coarser_grains", "hour/five km", "is not a grain"),
    ],
)
def test_a_bad_grain_is_refused_before_anything_is_written(
    settings: Settings,
    two_days: tuple[Path, GeneratedFreeway],
    setting: str,
    value: str,
    message: str,
) -> None:
    with pytest.raises(ValidationError, match=message):
        import_freeway(settings.replace(**{setting: value}), two_days[0] / "M06A")


def test_the_dataset_page_shows_what_the_protection_cost(
    settings: Settings, two_days: tuple[Path, GeneratedFreeway]
) -> None:
    from fastapi.testclient import TestClient

    from kaifang.app import create_app

    strict = settings.replace(freeway_trip_max_loss=0.10)
    folder = two_days[0] / "M06A" / "20240325"
    trips = import_freeway(strict, folder, accept_utility_loss=True).resources[0]
    with TestClient(create_app(strict)) as client:
        page = client.get(f"/datasets/{trips.dataset}").text
    utility = trips.utility
    assert "資料效用" in page
    assert f"保留旅次 {utility['trips_kept']:,}／{utility['trips_in']:,}" in page
    assert "保留車公里" in page and "M03A" in page
    assert "發布者已明確接受" in page
    assert f"{trips.coarsened[0]['rows']:,} 筆旅次以較粗粒度發布" in page
    assert f"{trips.suppressed[0]['rows']:,} 筆旅次刪除" in page
