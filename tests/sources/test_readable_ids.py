"""Importers give new datasets and resources ids people can read, and a catalog made by the
importers before readable ids keeps its ids: a re-import adds nothing, before and after
``kaifang catalog rename`` (issue 21)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from kaifang.catalog.db import open_catalog
from kaifang.catalog.models import Dataset, Resource
from kaifang.cli import cli
from kaifang.settings import Settings
from kaifang.sources.common.publish import ImportResult
from kaifang.sources.elections import importer
from kaifang.sources.elections.discover import ElectionFolder
from kaifang.sources.elections.generate import ElectionsPlan, generate_elections
from kaifang.sources.elections.importer import import_elections
from kaifang.sources.schools.generate import SchoolsPlan, generate_schools
from kaifang.sources.schools.importer import import_schools
from kaifang.sources.theft.generate import TheftPlan, generate_theft
from kaifang.sources.theft.importer import import_theft

ELECTIONS = {
    "中選會選舉資料庫 2008立委 區域立委": "cec_2008_legislator_district",
    "中選會選舉資料庫 2008立委 不分區政黨": "cec_2008_legislator_party_list",
    "中選會選舉資料庫 2020總統立委 總統": "cec_2020_president",
    "中選會選舉資料庫 2022-111年地方公職人員選舉 C1 prv": "cec_2022_c1_prv",
    "中選會選舉資料庫 2024總統立委 區域立委": "cec_2024_legislator_district",
}


@pytest.fixture(scope="module")
def votedata(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cec")
    generate_elections(out, ElectionsPlan(seed=3, scale=0.05))
    return out / "voteData"


def _ids(result: ImportResult) -> dict[str, str]:
    return {d.title: d.dataset for d in result.datasets}


def _counts(settings: Settings) -> tuple[int, int]:
    with open_catalog(settings) as catalog, catalog.read() as session:
        datasets = session.scalar(select(func.count()).select_from(Dataset))
        resources = session.scalar(select(func.count()).select_from(Resource))
    return int(datasets or 0), int(resources or 0)


def test_election_ids_read_as_year_and_seat(votedata: Path, settings: Settings) -> None:
    result = import_elections(settings, votedata)
    assert _ids(result) == ELECTIONS
    president = next(d for d in result.datasets if d.dataset == "cec_2020_president")
    assert sorted(r.resource for r in president.resources) == [
        f"cec_2020_president_{stem}" for stem in ("elbase", "elcand", "elctks", "elpaty", "elprof")
    ]


def test_a_catalog_with_the_former_ids_keeps_them(
    votedata: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    # the importer before readable ids: hashed resource names, datasets named t_<year>
    with monkeypatch.context() as old:
        old.setattr(importer, "resource_name", importer.former_resource_name)
        old.setattr(importer, "dataset_id", lambda e: f"t_{e.readable_key[:4]}")
        first = import_elections(settings, votedata)
    former = _ids(first)
    assert former["中選會選舉資料庫 2020總統立委 總統"] == "t_2020"
    counts = _counts(settings)

    again = import_elections(settings, votedata)
    assert _ids(again) == former
    assert [r.resource for d in again.datasets for r in d.resources] == [
        r.resource for d in first.datasets for r in d.resources
    ]
    assert all(r.unchanged for d in again.datasets for r in d.resources)
    assert _counts(settings) == counts

    renamed = runner.invoke(
        cli,
        ["--data-dir", str(settings.data_dir), "catalog", "rename", "t_2020",
         "cec_2020_president", "--json"],
    )  # fmt: skip
    assert renamed.exit_code == 0, renamed.output
    assert json.loads(renamed.output) == {
        "kind": "dataset",
        "old": "t_2020",
        "new": "cec_2020_president",
    }
    third = import_elections(settings, votedata)
    assert _ids(third)["中選會選舉資料庫 2020總統立委 總統"] == "cec_2020_president"
    assert all(r.unchanged for d in third.datasets for r in d.resources)
    assert _counts(settings) == counts


def test_two_elections_with_one_readable_key_get_a_suffix(
    votedata: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ElectionFolder, "readable_key", property(lambda e: "2008_legislator"))
    found = [d for d in import_elections(settings, votedata).datasets if "2008" in d.title]
    assert sorted(d.dataset for d in found) == ["cec_2008_legislator", "cec_2008_legislator_2"]
    resources = [r.resource for d in found for r in d.resources]
    assert len(set(resources)) == len(resources)
    assert "cec_2008_legislator_elctks_2" in resources


def test_schools_and_theft_datasets_have_readable_ids(tmp_path: Path, settings: Settings) -> None:
    generate_schools(tmp_path / "schools", SchoolsPlan(seed=1, scale=0.02))
    generate_theft(tmp_path / "theft", TheftPlan(seed=1, scale=0.05))
    assert import_schools(settings, tmp_path / "schools").datasets[0].dataset == "moe_schools"
    theft = import_theft(settings, tmp_path / "theft").datasets[0]
    assert (theft.dataset, [r.resource for r in theft.resources]) == (
        "taipei_theft_points",
        ["taipei_theft_points"],
    )


def test_readable_ids_converges_a_catalog_with_the_former_ids(
    votedata: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    with monkeypatch.context() as old:  # the importer before readable ids
        old.setattr(importer, "resource_name", importer.former_resource_name)
        old.setattr(importer, "dataset_id", lambda e: f"t_{e.readable_key[:4]}")
        first = import_elections(settings, votedata)
    former = {d.dataset: [r.resource for r in d.resources] for d in first.datasets}
    assert "t_2020" in former
    counts = _counts(settings)
    # someone already chose an id for one dataset: it is kept
    chosen = ["--data-dir", str(settings.data_dir), "catalog", "rename", "t_2008", "leg_2008"]
    assert runner.invoke(cli, chosen).exit_code == 0

    def converge(*flags: str) -> dict[str, Any]:
        args = ["--data-dir", str(settings.data_dir), "catalog", "readable-ids", "--json"]
        done = runner.invoke(cli, [*args, *flags])
        assert done.exit_code == 0, done.output
        return dict(json.loads(done.output))

    planned = converge("--dry-run")
    assert _ids(import_elections(settings, votedata)) == _ids(first) | {
        "中選會選舉資料庫 2008立委 不分區政黨": "leg_2008"
    }  # a dry run renames nothing
    report = converge()
    assert report["renamed"] == planned["renamed"]
    renamed = {(c["kind"], c["old"]): c["new"] for c in report["renamed"]}
    assert renamed[("dataset", "t_2020")] == "cec_2020_president"
    president = former["t_2020"]
    assert renamed[("resource", president[0])].startswith("cec_2020_president_")
    assert [(c["old"], c["reason"]) for c in report["left"]] == [
        ("leg_2008", "renamed by someone: kept")
    ]
    assert converge() == {"dry_run": False, "renamed": [], "left": report["left"]}

    again = import_elections(settings, votedata)  # the importer finds them all again
    assert _ids(again) == {**ELECTIONS, "中選會選舉資料庫 2008立委 不分區政黨": "leg_2008"}
    assert all(r.unchanged for d in again.datasets for r in d.resources)
    assert _counts(settings) == counts
    with open_catalog(settings) as catalog, catalog.read() as session:
        moved = session.scalar(select(Resource).where(Resource.slug == "cec_2020_president_elctks"))
        assert moved is not None
        assert moved.storage.startswith("cec_2020_") and moved.storage.endswith("_elctks")
        assert moved.storage != moved.slug  # its files did not move


def test_an_importer_builds_on_a_renamed_resource(
    tmp_path: Path, settings: Settings, runner: CliRunner
) -> None:
    """The theft importer merges a file with the current version's rows: it finds a renamed
    resource by its name and reads its files by their unchanged storage name."""
    generate_theft(tmp_path / "theft", TheftPlan(seed=1, scale=0.05))
    first = import_theft(settings, tmp_path / "theft").datasets[0].resources[0]
    counts = _counts(settings)
    args = ["--data-dir", str(settings.data_dir), "catalog", "rename", "--resource",
            "taipei_theft_points", "theft_points", "--json"]  # fmt: skip
    done = runner.invoke(cli, args)
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["kind"] == "resource"
    again = import_theft(settings, tmp_path / "theft").datasets[0].resources[0]
    assert (again.resource, again.unchanged, again.rows) == ("theft_points", True, first.rows)
    assert _counts(settings) == counts
