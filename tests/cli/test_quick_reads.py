"""The catalog commands print the same bytes, as text and as JSON, whether they read a SQLite
catalog on the quick path (``sqlite3``, :mod:`kaifang.catalog.quick`) or through the ORM, as
they do on PostgreSQL; errors too (an unknown id, a renamed one)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kaifang.catalog import open_catalog, show_dataset
from kaifang.catalog.db import HEAD_REVISION
from kaifang.catalog.quick import QuickCatalog, read_quickly
from kaifang.cli import cli, datasets_cmd, history_cmd, org_cmd, score_cmd
from kaifang.settings import Settings
from tests.catalog.test_quick import build_catalog, catalog_at

pytestmark = pytest.mark.sqlite

AT = ["--at", "2026-12-07T08:00:00+00:00"]
COMMANDS = [
    ["datasets"],
    ["datasets", "--json"],
    ["datasets", "--search", "竊盜", "--json"],
    ["datasets", "--sort", "title", "--limit", "2", "--offset", "1"],
    ["show", "counts"],
    ["show", "counts", "--json"],
    ["show", "flow", "--json"],
    ["show", "gone", "--json"],
    ["show", "old_name"],
    ["show", "nope", "--json"],
    ["history", "flow", "--json"],
    ["history", "flow"],
    ["history", "counts", "--json"],  # two versions, compared in DuckDB
    ["history", "counts"],
    ["history", "nope"],
    ["org", "list"],
    ["org", "list", "--json"],
    ["score", "counts", *AT],
    ["score", "counts", "--json", *AT],
    ["score", "flow", "--json", *AT],
    ["score", "nope", *AT],
]


def _run(runner: CliRunner, settings: Settings, args: list[str]) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["--data-dir", str(settings.data_dir), *args])
    error = f"{type(result.exception).__name__}: {result.exception}" if result.exception else ""
    return result.exit_code, result.output, error


def test_quick_and_orm_paths_print_the_same(
    settings: Settings, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_catalog(settings, tmp_path)
    with open_catalog(settings) as catalog:
        identifier = show_dataset(catalog, "counts").identifier
    commands = [*COMMANDS, ["show", identifier.lower(), "--json"]]
    answered: list[str] = []

    def spied(settings: Settings, read: Callable[[QuickCatalog], Any]) -> Any:
        found = read_quickly(settings, read)
        answered.append("quick" if found is not None else "orm")
        return found

    for module in (datasets_cmd, history_cmd, org_cmd, score_cmd):
        monkeypatch.setattr(module, "read_quickly", spied)
    quick = [_run(runner, settings, args) for args in commands]
    # the quick path answered every command but the unknown and renamed ids
    assert answered.count("quick") == len(commands) - 4, answered
    for module in (datasets_cmd, history_cmd, org_cmd, score_cmd):
        monkeypatch.setattr(module, "read_quickly", lambda settings, read: None)
    full = [_run(runner, settings, args) for args in commands]
    for args, on_quick, on_orm in zip(commands, quick, full, strict=True):
        assert on_quick == on_orm, args
    outcomes = dict(zip((" ".join(a) for a in commands), quick, strict=True))
    assert "臺北市政府警察局" in outcomes["org list"][1]
    assert "renamed to 'new_name'" in outcomes["show old_name"][2]
    assert outcomes["show nope --json"][0] == 1
    assert '"added"' in outcomes["history counts --json"][1]


def test_a_catalog_to_migrate_is_migrated_by_the_command(
    settings: Settings, runner: CliRunner
) -> None:
    catalog_at(settings, "community")  # the migration before the head's
    assert _run(runner, settings, ["datasets", "--json"]) == (
        0,
        '{\n  "data": [],\n  "count": 0\n}\n',
        "",
    )
    with sqlite3.connect(settings.data_dir / "catalog.sqlite") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)
    db.close()
