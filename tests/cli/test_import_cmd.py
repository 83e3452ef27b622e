"""The import commands (one per registered source) print the library's result (``--json``) or a
summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaifang.cli import cli
from kaifang.settings import Settings
from kaifang.sources.elections.generate import ElectionsPlan, generate_elections
from kaifang.sources.schools.generate import SchoolsPlan, generate_schools
from kaifang.sources.theft.generate import TheftPlan, generate_theft


def _generate(source: str, out: Path) -> Path:
    if source == "elections":
        generate_elections(out, ElectionsPlan(seed=1, scale=0.05))
        return out / "voteData" / "2022-111年地方公職人員選舉"
    if source == "theft":
        generate_theft(out, TheftPlan(seed=1, scale=0.05))
        return out
    generate_schools(out, SchoolsPlan(seed=1, scale=0.02))
    return out / "e1_new.csv"


@pytest.mark.parametrize("source", ["elections", "schools", "theft"])
def test_json_is_the_import_result_and_a_rerun_is_unchanged(
    source: str, tmp_path: Path, runner: CliRunner, settings: Settings
) -> None:
    path = _generate(source, tmp_path / "in")
    base = ["--data-dir", str(settings.data_dir), "import", source, str(path)]
    first = runner.invoke(cli, [*base, "--json"])
    assert first.exit_code == 0, first.output
    out = json.loads(first.output)
    assert set(out) >= {"dataset", "resources", "problems"}
    assert out["dataset"]
    assert all(r["version"] == 1 and r["rows"] > 0 for r in out["resources"])
    again = runner.invoke(cli, base)
    assert again.exit_code == 0, again.output
    assert "unchanged" in again.output
    assert "new version" not in again.output
