"""A catalog that already holds data upgrades to the newest schema without losing any of it.

Agencies upgrade kaifang under a catalog full of datasets; a fresh database migrates
trivially. The test publishes data at the head revision, then for each older revision takes
the schema back to it (alembic's downgrade, the way an older kaifang left it), opens the
catalog as a new kaifang does, and checks that every dataset, resource and version is still
there and still answers. On SQLite, altering a table that other rows refer to (resources:
versions refer to them) once failed with "FOREIGN KEY constraint failed", and the server
would not start.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from kaifang.catalog import open_catalog
from kaifang.catalog.datasets import list_datasets
from kaifang.catalog.db import alembic_config, create_catalog_engine
from kaifang.catalog.models import Dataset, Resource, Version
from kaifang.publish import publish_file
from kaifang.service import Service
from kaifang.settings import Settings

ORG = "379130000E"
REVISIONS = [
    script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
]
"""Every revision, newest first; the tables datasets, resources and versions exist from the
first one on."""


def _back_to(settings: Settings, revision: str) -> None:
    """The catalog's schema taken back to ``revision``, rows kept (SQLite: foreign keys off
    while tables are copied, as alembic's batch mode needs)."""
    engine = create_catalog_engine(settings.catalog_url)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                driver = conn.connection.driver_connection
                assert driver is not None
                driver.execute("PRAGMA foreign_keys=OFF")
            with conn.begin():
                config = alembic_config()
                config.attributes["connection"] = conn
                command.downgrade(config, revision)
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                revision
            )
    finally:
        engine.dispose()


def _counts(settings: Settings) -> tuple[int, int, int]:
    with open_catalog(settings) as catalog, catalog.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Dataset)) or 0,
            session.scalar(select(func.count()).select_from(Resource)) or 0,
            session.scalar(select(func.count()).select_from(Version)) or 0,
        )


def test_a_catalog_with_data_upgrades_from_every_older_revision(
    org_settings: Settings, tmp_path: Path
) -> None:
    csv = tmp_path / "theft.csv"
    csv.write_text("編號,案類\n1,住宅竊盜\n", encoding="utf-8")
    first = publish_file(org_settings, csv, org=ORG, title="住宅竊盜點位")
    csv.write_text("編號,案類\n1,住宅竊盜\n2,汽車竊盜\n", encoding="utf-8")
    publish_file(org_settings, csv, org=ORG, dataset=first.dataset, resource=first.resource)
    other = tmp_path / "schools.csv"
    other.write_text("代碼,名稱\n013601,國立華僑高級中等學校\n", encoding="utf-8")
    schools = publish_file(org_settings, other, org=ORG, title="學校名錄")
    before = _counts(org_settings)
    assert before == (2, 2, 3)

    for revision in REVISIONS[1:]:  # as each older kaifang left it, newest first
        _back_to(org_settings, revision)
        with open_catalog(org_settings) as catalog:  # opening upgrades it to the head
            listed = {d.slug: d for d in list_datasets(catalog).data}
        assert _counts(org_settings) == before, revision
        assert set(listed) == {first.dataset, schools.dataset}, revision
        assert listed[first.dataset].title == "住宅竊盜點位", revision

    service = Service(org_settings)  # after the oldest: every migration ran on these rows
    try:
        assert service.sql(f"SELECT count(*) FROM {first.resource}").rows == [(2,)]
        assert service.sql(f"SELECT count(*) FROM {first.resource}__v1").rows == [(1,)]
        assert service.sql(f"SELECT 名稱 FROM {schools.resource}").rows == [
            ("國立華僑高級中等學校",)
        ]
    finally:
        service.close()

    # publishing goes on in the upgraded catalog
    csv.write_text("編號,案類\n1,住宅竊盜\n2,汽車竊盜\n3,機車竊盜\n", encoding="utf-8")
    again = publish_file(org_settings, csv, org=ORG, dataset=first.dataset, resource=first.resource)
    assert again.version == 3
