from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from kaifang.catalog import LICENSES, open_catalog
from kaifang.catalog.db import HEAD_REVISION, head_revision
from kaifang.catalog.models import Base, License
from kaifang.settings import Settings, load_settings


def _not_search_index(name: str | None, type_: str, _parent: object) -> bool:
    """The full-text index (SQLite's FTS5 tables; PostgreSQL's generated ``search_vector``
    column and its index) is made by migration 0004 and has no model;
    tests/catalog/test_search_semantics.py checks it."""
    return not (name or "").startswith(("dataset_search", "ix_datasets_search", "search_vector"))


def test_migrations_create_exactly_the_models(catalog_settings: Settings) -> None:
    with open_catalog(catalog_settings) as catalog, catalog.engine.connect() as conn:
        opts = {"compare_type": True, "include_name": _not_search_index}
        context = MigrationContext.configure(conn, opts=opts)
        assert context.get_current_revision() == head_revision()
        assert compare_metadata(context, Base.metadata) == []


def test_every_model_table_exists(catalog_settings: Settings) -> None:
    with open_catalog(catalog_settings) as catalog:
        tables = set(inspect(catalog.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert {"organizations", "users", "memberships", "api_tokens", "datasets"} <= tables
    assert {"resources", "versions", "tags", "licenses", "dataset_requests"} <= tables


def test_licenses_are_seeded(catalog_settings: Settings) -> None:
    with open_catalog(catalog_settings) as catalog, catalog.read() as session:
        ids = set(session.scalars(select(License.id)))
    assert ids == {lic.id for lic in LICENSES}


def test_reopening_does_not_migrate_again(catalog_settings: Settings) -> None:
    with open_catalog(catalog_settings):
        pass
    with open_catalog(catalog_settings) as catalog, catalog.read() as session:
        assert session.scalar(text("SELECT count(*) FROM alembic_version")) == 1


@pytest.mark.sqlite
def test_sqlite_catalog_is_a_wal_file_with_foreign_keys(settings: Settings) -> None:
    """The SQLite file itself, so SQLite on either test backend (marked ``sqlite``)."""
    with open_catalog(settings) as catalog, catalog.read() as session:
        assert session.scalar(text("PRAGMA journal_mode")) == "wal"
        assert session.scalar(text("PRAGMA foreign_keys")) == 1
    assert (settings.data_dir / "catalog.sqlite").is_file()


def test_processes_opening_a_new_catalog_at_once_migrate_it_once(
    catalog_settings: Settings,
) -> None:
    repo = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "PYTHONPATH": str(repo),
        "KAIFANG_DATABASE_URL": catalog_settings.database_url,
    }
    command = [sys.executable, "-m", "kaifang", "--data-dir", str(catalog_settings.data_dir)]
    procs = [
        subprocess.Popen(
            [*command, "org", "list", "--json"], env=env, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with open_catalog(catalog_settings) as catalog, catalog.read() as session:
        assert session.scalar(text("SELECT version_num FROM alembic_version")) == head_revision()


@pytest.mark.sqlite
def test_opening_waits_while_another_process_writes_to_a_new_catalog_file(
    tmp_path: Path,
) -> None:
    """A new file is not in WAL mode yet; while another connection holds a write transaction
    on it, SQLite refuses the switch at once ("database is locked"), busy timeout or not.
    Opening the catalog tries again until the writer is done (CI saw three processes opening
    a new catalog at once fail this way)."""
    data = tmp_path / "data"
    data.mkdir()
    writer = sqlite3.connect(data / "catalog.sqlite", isolation_level=None, check_same_thread=False)
    writer.execute("CREATE TABLE other_writer (x)")
    writer.execute("BEGIN")
    writer.execute("INSERT INTO other_writer VALUES (1)")  # holds the write lock
    done = threading.Timer(0.5, writer.execute, ["COMMIT"])
    done.start()
    try:
        settings = load_settings({}, data_dir=data)
        with open_catalog(settings) as catalog, catalog.read() as session:
            assert session.scalar(text("PRAGMA journal_mode")) == "wal"
    finally:
        done.join()
        writer.close()


def test_head_revision_constant_is_alembics_head() -> None:
    assert HEAD_REVISION == head_revision(), "a new migration must update db.HEAD_REVISION"


@pytest.mark.sqlite
def test_opening_a_migrated_catalog_does_not_import_alembic(tmp_path: Path) -> None:
    """On the default SQLite catalog, so SQLite on either test backend (marked ``sqlite``)."""
    settings = load_settings({}, data_dir=tmp_path / "data")
    open_catalog(settings).close()  # creates and migrates
    script = (
        "import sys\n"
        "from kaifang.catalog.db import open_catalog\n"
        "from kaifang.settings import load_settings\n"
        f"open_catalog(load_settings({{}}, data_dir={str(settings.data_dir)!r})).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert run.stdout.strip() == "False"
