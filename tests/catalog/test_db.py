from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from kaifang.catalog import LICENSES, open_catalog
from kaifang.catalog.db import head_revision
from kaifang.catalog.models import Base, License
from kaifang.settings import Settings


def test_migrations_create_exactly_the_models(catalog_settings: Settings) -> None:
    with open_catalog(catalog_settings) as catalog, catalog.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
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
    with open_catalog(settings) as catalog, catalog.read() as session:
        assert session.scalar(text("PRAGMA journal_mode")) == "wal"
        assert session.scalar(text("PRAGMA foreign_keys")) == 1
    assert (settings.data_dir / "catalog.sqlite").is_file()
