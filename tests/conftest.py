"""Shared fixtures: settings on a temporary data directory, and the CLI runner."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from click.testing import CliRunner

from kaifang.settings import Settings, load_settings


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--catalog",
        choices=("sqlite", "postgres"),
        default=os.environ.get("KAIFANG_TEST_CATALOG", "sqlite"),
        help="Catalog of the `settings` fixture: sqlite (default) or postgres, a fresh database "
        "on the throwaway server per test (env KAIFANG_TEST_CATALOG; `make test` runs both).",
    )


@pytest.fixture
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings on a temporary data directory; with ``--catalog=postgres`` the catalog is a
    fresh PostgreSQL database, so the same tests run on both backends."""
    on_postgres = request.config.getoption("--catalog") == "postgres"
    if on_postgres and request.node.get_closest_marker("sqlite") is None:
        url: str = request.getfixturevalue("fresh_postgres_url")
        # the CLI reads its settings from the environment: point it at the same catalog
        request.getfixturevalue("monkeypatch").setenv("KAIFANG_DATABASE_URL", url)
        return load_settings({}, data_dir=tmp_path / "data", database_url=url)
    return load_settings({}, data_dir=tmp_path / "data")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# -- catalog backends: SQLite always, PostgreSQL on a real throwaway server ----------------
PG_TEST_SERVER = Path(__file__).resolve().parent.parent / "scripts" / "pg-test-server"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server URL: ``KAIFANG_TEST_DATABASE_URL`` when set, else a throwaway server
    started by scripts/pg-test-server for the session (a failure to start fails the tests)."""
    preset = os.environ.get("KAIFANG_TEST_DATABASE_URL")
    if preset:
        yield preset
        return
    started = subprocess.run(
        [str(PG_TEST_SERVER), "start"], capture_output=True, text=True, check=False, timeout=180
    )
    if started.returncode != 0:
        pytest.fail(f"could not start PostgreSQL for the tests:\n{started.stderr}")
    url, folder = started.stdout.split()[:2]
    try:
        yield url
    finally:
        subprocess.run([str(PG_TEST_SERVER), "stop", folder], check=False, timeout=120)


@pytest.fixture
def fresh_postgres_url(postgres_url: str) -> Iterator[str]:
    """A new, empty database on the test server, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def catalog_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings on a temporary data directory, with the catalog on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        return load_settings({}, data_dir=tmp_path / "data")
    url: str = request.getfixturevalue("fresh_postgres_url")
    return load_settings({}, data_dir=tmp_path / "data", database_url=url)


# -- publishing: an organization in a fresh catalog, and CSV files --------------------------
@pytest.fixture
def org_settings(catalog_settings: Settings) -> Settings:
    """Catalog settings (SQLite and PostgreSQL) with organization 379130000E created."""
    from kaifang.catalog import create_organization, open_catalog

    with open_catalog(catalog_settings) as catalog:
        create_organization(catalog, "379130000E", name="臺北市政府警察局", name_en="Taipei Police")
    return catalog_settings


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """``write_csv(name, header, rows)`` writes a UTF-8 CSV under tmp_path/files."""

    def write(name: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
        path = tmp_path / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write
