from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaifang.cli import cli
from kaifang.sources.schools.generate import SchoolsPlan, generate_schools
from kaifang.sources.theft.generate import TheftPlan, generate_theft


def test_help_lists_every_source(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["generate", "--help"])
    assert result.exit_code == 0
    for name in ("freeway", "elections", "theft", "schools"):
        assert name in result.output


def test_theft_json_equals_library_result(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["generate", "theft", "--out", str(tmp_path / "cli"), "--scale", "0.1", "--json"]
    )
    assert result.exit_code == 0, result.output
    library = generate_theft(tmp_path / "lib", TheftPlan(scale=0.1))
    assert json.loads(result.output)["rows"] == library.rows
    cli_files = sorted(p.name for p in (tmp_path / "cli").iterdir())
    assert cli_files == sorted(p.name for p in library.files)


def test_schools_json_equals_library_result(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli,
        ["generate", "schools", "--out", str(tmp_path), "--scale", "0.05", "--seed", "4", "--json"],
    )
    assert result.exit_code == 0, result.output
    library = generate_schools(tmp_path / "lib", SchoolsPlan(scale=0.05, seed=4))
    assert json.loads(result.output)["rows"] == library.rows


def test_freeway_and_elections_write_their_layouts(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli,
        ["generate", "freeway", "--out", str(tmp_path / "fw"), "--scale", "0.05",
         "--datasets", "m03a,M07A", "--trips", "100", "--start", "2024-02-29", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["rows"]["M03A"] == summary["gantries"] * 5 * 288
    assert (tmp_path / "fw/M03A/20240229/23/TDCS_M03A_20240229_235500.csv").is_file()
    result = runner.invoke(
        cli, ["generate", "elections", "--out", str(tmp_path / "el"), "--scale", "0.05", "--zip"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "el/votedata.zip").is_file()
    assert "2020總統立委/總統" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--datasets", "M09A"], "unknown TDCS dataset(s): M09A"),
        (["--start", "2024-13-01"], "is not a date"),
        (["--scale", "0"], "--scale"),
    ],
)
def test_freeway_bad_options(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(cli, ["generate", "freeway", "--out", str(tmp_path), *args])
    assert result.exit_code != 0
    assert message in result.output or message in str(result.exception)
