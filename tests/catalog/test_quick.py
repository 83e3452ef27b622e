"""The quick read path (:mod:`kaifang.catalog.quick`, the standard library's ``sqlite3``)
answers exactly like the ORM path on the same SQLite catalog, and steps aside whenever it
cannot: another backend, a catalog to create or to migrate, an unknown or renamed id."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command

from kaifang.catalog import (
    create_organization,
    history,
    list_datasets,
    list_organizations,
    open_catalog,
    show_dataset,
)
from kaifang.catalog.aliases import rename_dataset
from kaifang.catalog.db import HEAD_REVISION, alembic_config, create_catalog_engine
from kaifang.catalog.editing import withdraw_dataset
from kaifang.catalog.quick import QuickCatalog, quick_catalog, read_quickly, sqlite_path
from kaifang.catalog.search import SORTS
from kaifang.diff.history import history_with_changes, quick_history_with_changes
from kaifang.errors import NotFoundError
from kaifang.openness import score_dataset
from kaifang.publish import publish_file
from kaifang.scoring import dataset_openness
from kaifang.scoring.facts import dataset_facts
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from kaifang.storage.filesystem import local_has_version, local_versions

pytestmark = pytest.mark.sqlite

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
METADATA = {
    "title_en": "Theft counts",
    "description": "每月竊盜件數。Monthly theft counts.",
    "category": "A00",
    "keywords": ["竊盜", "治安"],
    "update_frequency": "monthly",
    "temporal_coverage": {"from": "2023-01-01", "to": "2023-12-31"},
    "contact": {"name": "王小明", "email": "wang@example.gov.tw"},
    "primary_key": ["縣市"],
}


def build_catalog(settings: Settings, folder: Path) -> None:
    """Two organizations; a dataset with full metadata, two resources and two versions of
    one; a dataset per organization; a withdrawn dataset; a renamed one."""
    with open_catalog(settings) as catalog:
        create_organization(catalog, "379130000E", name="臺北市政府警察局", name_en="TPD")
        create_organization(catalog, "A59000000N", name="交通部高速公路局")

    def csv(name: str, text: str) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    first = publish_file(
        settings,
        csv("counts.csv", "縣市,件數\n臺北市,10\n新北市,12\n"),
        org="379130000E",
        title="竊盜件數",
        dataset_id="counts",
        metadata=METADATA,
    )
    publish_file(
        settings,
        csv("counts.csv", "縣市,件數\n臺北市,11\n新北市,12\n高雄市,3\n"),
        org="379130000E",
        dataset=first.dataset,
        resource=first.resource,
    )
    publish_file(
        settings,
        csv("monthly.csv", "月份,件數\n2023-01,5\n"),
        org="379130000E",
        dataset=first.dataset,
        resource="monthly",
    )
    publish_file(
        settings,
        csv("flow.csv", "門架,車流\n01F0005N,120\n"),
        org="A59000000N",
        title="門架車流",
        dataset_id="flow",
    )
    for slug in ("gone", "old_name"):
        publish_file(
            settings, csv(f"{slug}.csv", "a\n1\n"), org="A59000000N", title=slug, dataset_id=slug
        )
    with open_catalog(settings) as catalog:
        withdraw_dataset(catalog, "gone")
        rename_dataset(catalog, "old_name", "new_name")


@pytest.fixture
def built(settings: Settings, tmp_path: Path) -> Settings:
    build_catalog(settings, tmp_path)
    return settings


def _quick(settings: Settings, read: Any) -> Any:
    with quick_catalog(settings) as quick:
        assert quick is not None
        return read(quick)


def test_dataset_lists_equal_the_orms(built: Settings) -> None:
    asks: list[dict[str, Any]] = [{"sort": sort} for sort in SORTS]
    asks += [
        {"search": "竊盜"},
        {"search": "件數", "sort": "title"},
        {"search": "臺北 件數"},
        {"search": "nothing-like-it"},
        {"search": "  "},
        {"search": "…"},
        {"limit": 1, "offset": 1},
        {"offset": 9},
    ]
    with open_catalog(built) as catalog:
        for ask in asks:
            expected = list_datasets(catalog, **ask).to_dict()
            assert _quick(built, lambda q, ask=ask: q.list_datasets(**ask)).to_dict() == expected
    assert [d["id"] for d in expected["data"]] == []
    everything = _quick(built, lambda q: q.list_datasets()).to_dict()
    assert everything["count"] == 3  # not the withdrawn one
    assert {d["id"] for d in everything["data"]} == {"counts", "flow", "new_name"}


def test_shows_histories_and_organizations_equal_the_orms(built: Settings) -> None:
    with open_catalog(built) as catalog:
        shown = show_dataset(catalog, "counts")
        for ref in ("counts", shown.identifier, shown.identifier.lower(), "flow", "gone"):
            expected = show_dataset(catalog, ref).to_dict()
            assert _quick(built, lambda q, ref=ref: q.show_dataset(ref)).to_dict() == expected
        for resource in (r for d in list_datasets(catalog).data for r in d.resources):
            for ref in (resource.slug, resource.identifier):
                expected = history(catalog, ref).to_dict()
                assert _quick(built, lambda q, ref=ref: q.history(ref)).to_dict() == expected
        organizations = [o.to_dict() for o in list_organizations(catalog)]
    assert [o.to_dict() for o in _quick(built, QuickCatalog.list_organizations)] == organizations
    assert shown.to_dict()["keywords"] == ["治安", "竊盜"]  # the metadata did arrive
    assert len(shown.resources) == 2 and shown.resources[0].current_version == 2


def test_scores_equal_the_orms(built: Settings) -> None:
    has_version = local_has_version(built)
    assert has_version is not None
    store = VersionStore(built)
    with open_catalog(built) as catalog:
        for ref in ("counts", "flow", "gone", "new_name"):
            expected = dataset_openness(catalog, store, ref, now=NOW).to_dict()
            row = _quick(built, lambda q, ref=ref: q.find_dataset(ref))
            facts = dataset_facts(row, has_version=has_version)
            assert score_dataset(facts, now=NOW).to_dict() == expected


def test_a_local_store_read_without_pyarrow_lists_the_same_files(built: Settings) -> None:
    store, local = VersionStore(built), local_versions(built)
    assert local is not None
    for resource, version in (("counts", 1), ("counts", 2), ("monthly", 1)):
        assert local.read_manifest(resource, version) == store.read_manifest(resource, version)
        assert local.version_files(resource, version) == store.version_files(resource, version)
    with pytest.raises(NotFoundError, match="has no version 9"):
        local.read_manifest("counts", 9)


def test_histories_with_their_changes_equal_the_orms(built: Settings) -> None:
    local = local_versions(built)
    assert local is not None
    with open_catalog(built) as catalog:
        for ref in ("counts", "monthly"):
            expected = history_with_changes(catalog, VersionStore(built), ref)
            found = _quick(built, lambda q, ref=ref: quick_history_with_changes(q, local, ref))
            assert found == expected
    assert expected["versions"][0]["changes"] is None
    assert found["versions"][0]["changes"] is None
    counts = _quick(built, lambda q: quick_history_with_changes(q, local, "counts"))
    assert counts["versions"][1]["changes"] == {
        "added": 1,
        "removed": 0,
        "changed": 1,
        "key": ["縣市"],
    }


def test_unknown_and_renamed_ids_are_left_to_the_orm(built: Settings) -> None:
    """Their errors (the renamed id's names the new one) come from the ORM path."""
    for read in (
        lambda q: q.show_dataset("old_name"),
        lambda q: q.show_dataset("nope"),
        lambda q: q.find_dataset("nope"),
        lambda q: q.history("nope"),
    ):
        assert read_quickly(built, read) is None


def catalog_at(settings: Settings, revision: str) -> None:
    """A new SQLite catalog migrated up to ``revision`` only."""
    settings.data_dir.mkdir(parents=True)
    engine = create_catalog_engine(settings.catalog_url)
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()


def test_a_catalog_at_an_older_migration_takes_the_orm_path_which_migrates_it(
    settings: Settings,
) -> None:
    catalog_at(settings, "community")  # the migration before the head's
    with quick_catalog(settings) as quick:
        assert quick is None
    with open_catalog(settings) as catalog:
        assert list_datasets(catalog).count == 0
    with quick_catalog(settings) as quick:
        assert quick is not None
        assert quick.list_datasets().count == 0


def test_no_file_or_another_database_takes_the_orm_path(settings: Settings) -> None:
    with quick_catalog(settings) as quick:  # no catalog yet: the ORM path creates it
        assert quick is None
    assert not settings.data_dir.exists()
    postgres = settings.replace(database_url="postgresql://u:p@localhost/kaifang")
    with quick_catalog(postgres) as quick:
        assert quick is None
    assert sqlite_path("sqlite:///:memory:") is None
    assert sqlite_path("sqlite:///x.sqlite?mode=ro") is None
    assert sqlite_path("sqlite:////abs/x.sqlite") == Path("/abs/x.sqlite")


def test_an_unstamped_file_takes_the_orm_path(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True)
    sqlite3.connect(settings.data_dir / "catalog.sqlite").close()
    with quick_catalog(settings) as quick:
        assert quick is None
    with open_catalog(settings):  # the ORM path migrates the empty file
        pass
    path = settings.data_dir / "catalog.sqlite"
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)
    db.close()
