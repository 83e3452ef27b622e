"""The run's catalog backend reaches every way tests build settings: with ``--catalog=postgres``
the catalog is a PostgreSQL database, so a misrouted fixture fails here instead of silently
testing SQLite (``make test`` runs the suite once per backend)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaifang.catalog import create_organization, open_catalog
from kaifang.cli import cli
from kaifang.settings import Settings
from tests.catalogs import Catalogs, MakeSettings

DIALECTS = {"sqlite": "sqlite", "postgres": "postgresql"}


@pytest.fixture
def dialect(request: pytest.FixtureRequest) -> str:
    return DIALECTS[request.config.getoption("--catalog")]


def _dialect_of(settings: Settings) -> str:
    with open_catalog(settings) as catalog:
        return catalog.engine.dialect.name


def test_the_settings_fixture_is_on_the_runs_backend(settings: Settings, dialect: str) -> None:
    assert settings.catalog_url.split(":", 1)[0].split("+")[0] == dialect
    assert _dialect_of(settings) == dialect


def test_make_settings_and_shared_catalogs_are_on_the_runs_backend(
    make_settings: MakeSettings, catalogs: Catalogs, tmp_path: Path, dialect: str
) -> None:
    made = make_settings(tmp_path / "made", rate_limit=0)
    shared = catalogs.settings(tmp_path / "shared")
    assert (_dialect_of(made), _dialect_of(shared)) == (dialect, dialect)
    if dialect == "postgresql":  # a database of its own per settings object
        assert made.database_url != shared.database_url


@pytest.mark.sqlite
def test_tests_marked_sqlite_keep_the_sqlite_file(settings: Settings) -> None:
    assert _dialect_of(settings) == "sqlite"
    assert (settings.data_dir / "catalog.sqlite").is_file()


def test_the_cli_reads_the_same_catalog(settings: Settings, runner: CliRunner) -> None:
    with open_catalog(settings) as catalog:
        create_organization(catalog, "379130000E", name="臺北市政府警察局")
    result = runner.invoke(cli, ["--data-dir", str(settings.data_dir), "org", "list", "--json"])
    assert result.exit_code == 0, result.output
    assert "379130000E" in json.dumps(json.loads(result.output))
