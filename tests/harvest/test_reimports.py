"""Scheduled re-imports: ``kaifang worker`` imports a flagship source's drop folder again when
its schedule comes due, through the real importer. Unchanged files publish nothing; new files
publish a version; a failing import is recorded with its reason and never stops the others;
two runs of one import never overlap; the CLI adds, lists, runs and removes them."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kaifang.catalog.db import open_catalog
from kaifang.cli import cli
from kaifang.errors import ConflictError, NotFoundError, ValidationError
from kaifang.settings import Settings
from kaifang.sources.reimports import (
    _lock,
    add_import,
    due_imports,
    list_imports,
    run_due_imports,
    run_import,
)
from kaifang.sources.theft.generate import TheftPlan, file_name, generate_theft

NOON = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("theft")
    generate_theft(out, TheftPlan(year=2023, seed=5, scale=0.05))
    return out


def _drop(generated: Path, folder: Path, *categories: str) -> Path:
    """The agency's drop folder holding the given categories' UTF-8 files."""
    folder.mkdir(parents=True, exist_ok=True)
    for category in categories:
        name = file_name(category, utf8_bom=True)
        shutil.copy(generated / name, folder / name)
    return folder


def test_a_drop_folder_is_reimported_when_due_and_only_changes_publish(
    settings: Settings, tmp_path: Path, generated: Path
) -> None:
    drop = _drop(generated, tmp_path / "drop", "home")
    with open_catalog(settings) as catalog:
        added = add_import(catalog, "theft-drop", "theft", drop, schedule="0 * * * *")
        assert added["path"] == str(drop.resolve()) and added["last_status"] is None
        assert due_imports(catalog, NOON) == ["theft-drop"]  # never run: due at once

        first = run_due_imports(settings, catalog, now=NOON)
        assert [r.status for r in first] == ["ok"], first
        made = first[0].report["datasets"][0]["versions_made"]
        assert len(made) == 1 and made[0].endswith(" v1")

        assert due_imports(catalog, NOON + timedelta(minutes=30)) == []  # not yet
        unchanged = run_due_imports(settings, catalog, now=NOON + timedelta(hours=1))
        assert unchanged[0].status == "ok"
        assert unchanged[0].report["datasets"][0]["versions_made"] == []  # nothing new

        _drop(generated, drop, "car")  # the agency drops a new month's file
        second = run_due_imports(settings, catalog, now=NOON + timedelta(hours=2))
        assert second[0].report["datasets"][0]["versions_made"][0].endswith(" v2")

        listed = list_imports(catalog)[0]
        assert listed["runs"] == 3 and listed["failures"] == 0
        assert listed["last_status"] == "ok" and not listed["running"]


def test_a_failing_import_is_recorded_and_the_others_still_run(
    settings: Settings, tmp_path: Path, generated: Path
) -> None:
    good = _drop(generated, tmp_path / "good", "home")
    gone = _drop(generated, tmp_path / "gone", "car")
    broken = tmp_path / "broken"  # the agency dropped the wrong file
    broken.mkdir()
    (broken / "readme.txt").write_text("not a theft file", encoding="utf-8")
    with open_catalog(settings) as catalog:
        for name, path in (("a-gone", gone), ("b-broken", broken), ("c-good", good)):
            add_import(catalog, name, "theft", path, schedule="hourly")
        shutil.rmtree(gone)
        runs = {r.name: r for r in run_due_imports(settings, catalog, now=NOON)}
    assert runs["a-gone"].status == "failed"
    assert "no longer exists" in (runs["a-gone"].error or "")
    assert str(tmp_path) not in (runs["a-gone"].error or "")  # the file's name, not the path
    assert runs["b-broken"].status == "failed"
    assert "no CSV files found" in (runs["b-broken"].error or "")
    assert runs["c-good"].status == "ok"
    with open_catalog(settings) as catalog:
        status = {item["name"]: item for item in list_imports(catalog)}
    assert status["a-gone"]["failures"] == 1 and status["a-gone"]["last_error"]
    assert status["c-good"]["failures"] == 0


def test_two_runs_of_one_import_never_overlap(
    settings: Settings, tmp_path: Path, generated: Path
) -> None:
    drop = _drop(generated, tmp_path / "drop", "home")
    with open_catalog(settings) as catalog:
        add_import(catalog, "theft-drop", "theft", drop, schedule="hourly")
        _lock(catalog, "theft-drop", NOON)  # another worker is in the middle of it
        with pytest.raises(ConflictError):
            run_import(settings, catalog, "theft-drop", now=NOON + timedelta(minutes=5))
        assert run_due_imports(settings, catalog, now=NOON + timedelta(hours=1)) == []
        later = run_import(settings, catalog, "theft-drop", now=NOON + timedelta(hours=7))
        assert later.status == "ok"  # a crashed run's lock lapses


def test_bad_schedules_options_sources_and_names_are_refused(
    settings: Settings, tmp_path: Path
) -> None:
    with open_catalog(settings) as catalog:
        with pytest.raises(ValidationError, match="cron"):
            add_import(catalog, "x", "theft", tmp_path, schedule="*/0 * * * *")
        with pytest.raises(NotFoundError, match="no source"):
            add_import(catalog, "x", "weather", tmp_path)
        with pytest.raises(ValidationError, match="no option"):
            add_import(catalog, "x", "theft", tmp_path, options={"engine": "spark"})
        with pytest.raises(ValidationError, match="name"):
            add_import(catalog, "../x", "theft", tmp_path)
        with pytest.raises(ValidationError, match="does not exist"):
            add_import(catalog, "x", "theft", tmp_path / "missing")
        with pytest.raises(ValidationError, match="one of"):
            add_import(catalog, "x", "freeway", tmp_path, options={"engine": "cobol"})
        add_import(catalog, "x", "freeway", tmp_path, options={"accept-utility-loss": "yes"})
        assert list_imports(catalog)[0]["options"] == {"accept_utility_loss": True}
        with pytest.raises(ConflictError):
            add_import(catalog, "x", "theft", tmp_path)


def test_the_cli_adds_lists_runs_and_removes_and_the_worker_runs_them(
    settings: Settings, tmp_path: Path, generated: Path
) -> None:
    drop = _drop(generated, tmp_path / "drop", "home")
    runner = CliRunner()

    def invoke(*args: str, code: int = 0) -> Any:
        result = runner.invoke(cli, ["--data-dir", str(settings.data_dir), *args])
        assert result.exit_code == code, result.output
        if "--json" in args and code == 0:
            return json.loads(result.stdout)
        return result.stdout + result.stderr + str(result.exception or "")

    added = invoke("schedule", "add", "theft-drop", "theft", str(drop), "--json")
    assert added["schedule"] == "daily" and added["source"] == "theft"
    refused = invoke("schedule", "add", "y", "theft", str(drop), "--option", "novalue", code=2)
    assert "NAME=VALUE" in refused

    worked = invoke("worker", "--once")  # never run: due at once
    assert "import theft-drop: ok" in worked
    listed = invoke("schedule", "list", "--json")
    assert listed["count"] == 1 and listed["data"][0]["runs"] == 1
    assert "theft-drop" in invoke("schedule", "list")

    ran = invoke("schedule", "run", "theft-drop", "--json")
    assert ran["status"] == "ok" and ran["report"]["datasets"][0]["versions_made"] == []
    datasets = invoke("datasets", "--json")

    invoke("schedule", "remove", "theft-drop", "--json")
    assert invoke("schedule", "list", "--json")["count"] == 0
    assert invoke("datasets", "--json") == datasets  # what it published stays published
    shutil.rmtree(drop)
    missing = invoke("schedule", "run", "theft-drop", code=1)
    assert "no scheduled import" in missing
