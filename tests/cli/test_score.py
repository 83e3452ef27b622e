"""``kaifang score``: --json equals the library result; human output; usage errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaifang.catalog import create_organization, open_catalog
from kaifang.cli import cli
from kaifang.publish import PublishResult, publish_file
from kaifang.scoring import dataset_openness, organization_openness
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from tests.scoring.conftest import (
    ORG,
    ORG_NAME,
    SCHOOL_HEADER,
    SCHOOL_ROWS,
    SCREENED,
    metadata,
    set_screening,
)

# Two months after publishing: past the monthly due date (31 days + 15.5 days of grace).
AT = (datetime.now(UTC) + timedelta(days=60)).isoformat(timespec="seconds")


@pytest.fixture
def published(settings: Settings, tmp_path: Path) -> PublishResult:
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name=ORG_NAME)
    path = tmp_path / "schools.csv"
    lines = [",".join(SCHOOL_HEADER), *(",".join(row) for row in SCHOOL_ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = publish_file(settings, path, org=ORG, title="國小名錄", metadata=metadata())
    set_screening(settings, result.resource, SCREENED)
    return result


def invoke(runner: CliRunner, settings: Settings, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--data-dir", str(settings.data_dir), "score", *args])
    return result.exit_code, result.output


def test_dataset_json_equals_the_library(
    runner: CliRunner, settings: Settings, published: PublishResult
) -> None:
    code, output = invoke(runner, settings, published.dataset, "--at", AT, "--json")
    assert code == 0, output
    with open_catalog(settings) as catalog:
        expected = dataset_openness(
            catalog, VersionStore(settings), published.dataset, now=datetime.fromisoformat(AT)
        ).to_dict()
    shown = json.loads(output)
    assert shown == expected
    assert {"dataset", "score", "band", "stars", "checks"} <= set(shown)
    t1 = next(c for c in shown["checks"] if c["code"] == "T1")
    assert not t1["passed"]


def test_organization_json_equals_the_library(
    runner: CliRunner, settings: Settings, published: PublishResult
) -> None:
    code, output = invoke(runner, settings, "--org", ORG, "--at", AT, "--json")
    assert code == 0, output
    with open_catalog(settings) as catalog:
        expected = organization_openness(
            catalog, VersionStore(settings), ORG, now=datetime.fromisoformat(AT)
        ).to_dict()
    assert json.loads(output) == expected
    assert {"split_groups", "overdue", "distribution", "trend", "requests"} <= set(expected)


def test_rescore_all_then_nothing_changes(
    runner: CliRunner, settings: Settings, published: PublishResult
) -> None:
    now = json.loads(invoke(runner, settings, "--all", "--json")[1])
    # incremental: nothing changed since the publish scored it
    assert (now["scored"], now["skipped"], now["recorded"], now["changed"]) == (0, 1, 0, [])
    first = json.loads(invoke(runner, settings, "--all", "--at", AT, "--json")[1])
    second = json.loads(invoke(runner, settings, "--all", "--at", AT, "--json")[1])
    assert (first["scored"], first["changed"]) == (1, [published.dataset])
    assert (second["recorded"], second["changed"]) == (0, [])


def test_human_output_names_score_band_and_fixes(
    runner: CliRunner, settings: Settings, published: PublishResult
) -> None:
    code, output = invoke(runner, settings, published.dataset, "--at", AT)
    assert code == 0, output
    assert "90/100" in output and "金" in output
    assert "T1" in output and "逾期" in output
    code, output = invoke(runner, settings, "--org", ORG)
    assert code == 0 and ORG_NAME in output


@pytest.mark.parametrize(
    "args",
    [(), ("x", "--org", ORG), ("--all", "--org", ORG), ("x", "--at", "yesterday")],
)
def test_usage_errors(runner: CliRunner, settings: Settings, args: tuple[str, ...]) -> None:
    code, _ = invoke(runner, settings, *args)
    assert code != 0
