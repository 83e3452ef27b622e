"""Shared fixtures: settings on a temporary data directory with the catalog on the run's backend
(SQLite by default, PostgreSQL with ``--catalog=postgres``), and the CLI runner."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kaifang.settings import Settings, load_settings
from tests.catalogs import Catalogs, MakeSettings

# The Spark cluster fixtures serve tests in several folders (query, privacy, sources/freeway).
pytest_plugins = ["tests.spark", "tests.notify.receiver"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--catalog",
        choices=("sqlite", "postgres"),
        default=os.environ.get("KAIFANG_TEST_CATALOG", "sqlite"),
        help="Catalog backend of the settings tests build: sqlite (default) or postgres, a fresh "
        "database on the throwaway server for each (env KAIFANG_TEST_CATALOG; `make test` runs "
        "the suite on both).",
    )


@pytest.fixture
def settings(
    request: pytest.FixtureRequest, make_settings: MakeSettings, tmp_path: Path
) -> Settings:
    """Settings on a temporary data directory; with ``--catalog=postgres`` the catalog is a
    fresh PostgreSQL database, so the same tests run on both backends (tests marked ``sqlite``
    keep the SQLite file)."""
    if request.node.get_closest_marker("sqlite") is not None:
        return load_settings({}, data_dir=tmp_path / "data")
    made = make_settings(tmp_path / "data")
    if made.database_url:  # the CLI reads its settings from the environment: same catalog
        request.getfixturevalue("monkeypatch").setenv("KAIFANG_DATABASE_URL", made.database_url)
    return made


CATALOG_FIXTURES = frozenset(
    ("settings", "make_settings", "catalogs", "catalog_settings", "fresh_postgres_url")
)
"""The fixtures through which a test gets a catalog on the run's backend (directly or through
the fixtures it uses): only these tests can differ between the SQLite and PostgreSQL runs."""


def touches_the_catalog(item: pytest.Item) -> bool:
    return not CATALOG_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``--catalog=postgres``, run only the tests that get a catalog from the fixtures
    (``touches_the_catalog``), and not the SQLite half of those parametrized over both backends
    (``catalog_settings``): every other test would repeat the SQLite run exactly. The SQLite run
    checks that no test builds a catalog some other way (``sqlite_allowed``), so none is left
    out of this run."""
    if config.getoption("--catalog") != "postgres":
        return
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_sqlite = callspec is not None and callspec.params.get("catalog_settings") == "sqlite"
        (dropped if on_sqlite or not touches_the_catalog(item) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _sqlite_allowed_here(request: pytest.FixtureRequest, sqlite_allowed: list[Path]) -> None:
    """Tests marked ``sqlite`` may leave a SQLite catalog in their tmp_path on any backend; on
    SQLite, so may the tests that get their catalog from the fixtures."""
    marked = request.node.get_closest_marker("sqlite") is not None
    on_sqlite = request.config.getoption("--catalog") == "sqlite"
    if marked or (on_sqlite and touches_the_catalog(request.node)):
        if "tmp_path" in request.fixturenames or marked:
            sqlite_allowed.append(request.getfixturevalue("tmp_path"))


@pytest.fixture(scope="session")
def sqlite_allowed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Path]]:
    """Fail the session when a test left a SQLite catalog in the temporary folders outside
    the places allowed: it built its settings some other way than the ``settings`` /
    ``make_settings`` fixtures or ``catalogs.settings``. With ``--catalog=postgres`` that test
    would silently test SQLite; on SQLite it would be left out of the PostgreSQL run."""
    # asked for here rather than as an argument: every test uses this fixture, and a test that
    # does not ask for ``catalogs`` itself must not count as one that touches the catalog
    catalogs: Catalogs = request.getfixturevalue("catalogs")
    allowed: list[Path] = []
    yield allowed
    allowed += catalogs.sqlite_dirs
    stray = [
        path
        for path in tmp_path_factory.getbasetemp().rglob("catalog.sqlite")
        if not any(path.is_relative_to(folder) for folder in allowed)
    ]
    if not stray:
        return
    if catalogs.on_postgres:
        why = "--catalog=postgres, yet tests built SQLite catalogs"
    else:
        why = "tests built catalogs the PostgreSQL run would leave out"
    pytest.fail(
        f"{why} (route their settings through the settings/make_settings fixtures or "
        "catalogs.settings):\n" + "\n".join(str(path) for path in stray)
    )


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


@pytest.fixture(scope="session")
def catalogs(request: pytest.FixtureRequest) -> Iterator[Catalogs]:
    """The run's catalog backend, for fixtures of any scope (``catalogs.settings(data_dir)``)."""
    backend: str = request.config.getoption("--catalog")
    if backend == "postgres":  # set up first, so the server outlives the databases on it
        request.getfixturevalue("postgres_url")
    made = Catalogs(backend, lambda: str(request.getfixturevalue("postgres_url")))
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def make_settings(catalogs: Catalogs) -> Iterator[MakeSettings]:
    """``make_settings(data_dir, **overrides)``: settings on this run's catalog backend (a new
    PostgreSQL database each call with ``--catalog=postgres``), dropped after the test."""
    made: list[str] = []

    def make(data_dir: Path, **overrides: Any) -> Settings:
        built = catalogs.settings(data_dir, **overrides)
        made.append(built.database_url)
        return built

    yield make
    catalogs.drop(made)


@pytest.fixture
def fresh_postgres_url(catalogs: Catalogs) -> Iterator[str]:
    """A new, empty database on the test server, dropped after the test."""
    url = catalogs.new_database()
    try:
        yield url
    finally:
        catalogs.drop([url])


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def catalog_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings on a temporary data directory, with the catalog on SQLite or PostgreSQL (an
    empty database, so opening it migrates). With ``--catalog=postgres`` only the PostgreSQL
    half runs."""
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
