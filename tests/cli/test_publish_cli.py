"""The publishing commands: ``--json`` equals the library result; errors exit non-zero."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kaifang.catalog import list_datasets, open_catalog, show_dataset
from kaifang.cli import cli
from kaifang.diff.history import history_with_changes
from kaifang.query.published import query_published
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.publishing import ORG, THEFT_HEADER, THEFT_ROWS, WriteCsv, catalog_counts

REPO = Path(__file__).resolve().parents[2]


def run_json(runner: CliRunner, settings: Settings, *args: str) -> Any:
    env = {"KAIFANG_DATABASE_URL": settings.database_url}
    result = runner.invoke(cli, ["--data-dir", str(settings.data_dir), *args, "--json"], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def published(org_settings: Settings, write_csv: WriteCsv, runner: CliRunner) -> dict[str, Any]:
    file = write_csv("theft.csv", THEFT_HEADER, THEFT_ROWS)
    first = run_json(runner, org_settings, "publish", str(file), "--org", ORG, "--title", "竊盜")
    smaller = write_csv("theft.csv", THEFT_HEADER, THEFT_ROWS[:2])
    run_json(
        runner, org_settings, "publish", str(smaller), "--org", ORG, "--dataset", first["dataset"]
    )
    return dict(first)


def test_publish_json_has_the_promised_keys(published: dict[str, Any]) -> None:
    assert {"dataset", "resource", "version", "rows"} <= set(published)
    assert (published["version"], published["rows"]) == (1, 3)


def test_json_output_equals_the_library(
    org_settings: Settings, runner: CliRunner, published: dict[str, Any]
) -> None:
    dataset, resource = published["dataset"], published["resource"]
    with open_catalog(org_settings) as catalog:
        assert (
            run_json(runner, org_settings, "show", dataset)
            == show_dataset(catalog, dataset).to_dict()
        )
        assert run_json(runner, org_settings, "datasets") == list_datasets(catalog).to_dict()
        assert (
            run_json(runner, org_settings, "datasets", "--search", "竊盜")
            == list_datasets(catalog, search="竊盜").to_dict()
        )
        assert run_json(runner, org_settings, "history", resource) == history_with_changes(
            catalog, VersionStore(org_settings), resource
        )
    sql = f"SELECT count(*) AS n FROM {resource}"
    assert run_json(runner, org_settings, "query", sql) == query_published(org_settings, sql)
    assert run_json(runner, org_settings, "query", sql)["rows"] == [[2]]


def test_rollback_from_the_command_line(
    org_settings: Settings, runner: CliRunner, published: dict[str, Any]
) -> None:
    resource = published["resource"]
    rolled = run_json(runner, org_settings, "rollback", resource, "--to", "1")
    assert (rolled["version"], rolled["rows"], rolled["rollback_of"]) == (3, 3, 1)
    found = run_json(runner, org_settings, "history", resource)
    assert found["current"] == 3
    assert [v["version"] for v in found["versions"]] == [1, 2, 3]
    assert run_json(runner, org_settings, "query", f"SELECT count(*) FROM {resource}__v2")[
        "rows"
    ] == [[2]]


def test_accounts_commands(catalog_settings: Settings, runner: CliRunner) -> None:
    org = run_json(runner, catalog_settings, "org", "create", ORG, "--name", "臺北市政府警察局")
    assert org["code"] == ORG
    user = run_json(runner, catalog_settings, "user", "create", "alice", "--org", ORG)
    assert user["roles"] == {ORG: "editor"}
    token = run_json(runner, catalog_settings, "token", "create", "alice")
    assert token["token"].startswith("kf_")
    plain = runner.invoke(
        cli,
        ["--data-dir", str(catalog_settings.data_dir), "token", "create", "alice"],
        env={"KAIFANG_DATABASE_URL": catalog_settings.database_url},
    )
    assert plain.stdout.strip().startswith("kf_")
    assert "not shown again" in plain.stderr


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (["--org", "000000000X", "--title", "t"], "kaifang org create"),
        (["--org", ORG, "--title", "t", "--license", "WTFPL"], "OGDL-Taiwan-1.0"),
        (["--org", ORG], "--title"),
    ],
)
def test_bad_publish_exits_non_zero_with_a_hint(
    org_settings: Settings, write_csv: WriteCsv, args: list[str], mentions: str
) -> None:
    file = write_csv("theft.csv", THEFT_HEADER, THEFT_ROWS)
    env = {**os.environ, "PYTHONPATH": str(REPO), "KAIFANG_DATABASE_URL": org_settings.database_url}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kaifang",
            "--data-dir",
            str(org_settings.data_dir),
            "publish",
            str(file),
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert mentions in proc.stderr
    assert catalog_counts(org_settings) == (0, 0, 0)
